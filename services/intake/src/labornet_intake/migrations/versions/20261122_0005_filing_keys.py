"""filing keys: one row per employer filed against, locked by each filing so that concurrent
filings against one employer decide duplicate / grouped / new one after the other

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "filing_keys",
        sa.Column("employer_key", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("employer_key", name=op.f("pk_filing_keys")),
    )


def downgrade() -> None:
    op.drop_table("filing_keys")
