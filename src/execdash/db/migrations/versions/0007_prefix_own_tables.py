"""Rename execdash's own tables of older installations; add the seed backend's side tables.

Fresh databases get the prefixed names from 0002-0006 directly; this renames the tables of an
installation made before, keeping every row, index, constraint and foreign key (see
`execdash.db.legacy_names`). A table of the same old name that is not ours is left alone.

Then the tables the seed's own backend keeps beside the seed (`users` profiles,
`user_settings`, `meetings`, `messages`, `user_event_meta`; `execdash.db.compat_tables`) are
created where they are missing; where that backend already made them, their rows are not
touched (an older `meetings` only gets the `category` column that backend adds itself).
`execdash_profile_links` says which of those profiles belongs to which execdash login.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from execdash.db import compat_tables, legacy_names

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    legacy_names.rename_tables(op.get_bind())
    compat_tables.compat_metadata.create_all(op.get_bind(), checkfirst=True)
    compat_tables.add_late_columns(op.get_bind())
    op.create_table(
        "execdash_profile_links",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("execdash_users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("profile_id", sa.Integer, nullable=False, unique=True),
    )


def downgrade() -> None:
    """Nothing to undo: the prefixed names are what 0002-0006 create today, and the side tables
    may hold another system's rows."""
