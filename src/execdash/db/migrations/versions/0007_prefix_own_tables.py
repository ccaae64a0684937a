"""Rename execdash's own tables of older installations to their `execdash_` names.

Fresh databases get the prefixed names from 0002-0006 directly; this renames the tables of an
installation made before, keeping every row, index, constraint and foreign key (see
`execdash.db.legacy_names`). A table of the same old name that is not ours is left alone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

from execdash.db import legacy_names

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    legacy_names.rename_tables(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the prefixed names are what 0002-0006 create today."""
