"""Index customer names case-insensitively, so search finds a name prefix without a scan.

The index is on `lower(name)` (in the "C" collation on PostgreSQL, where a prefix is then an
exact range); it only adds to the seed `customers` table and carries execdash's prefix.

Revision ID: 0011
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEX = "execdash_ix_customers_name"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON customers ((lower(name) COLLATE "C"))')
    else:
        op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON customers (lower(name))")


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
