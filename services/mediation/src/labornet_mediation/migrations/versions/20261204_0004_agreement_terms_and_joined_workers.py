"""mediation: per-term performance of agreements; workers joining a case (collective, filings)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mediation_cases") as batch:
        batch.add_column(sa.Column("collective", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("joined_filings", sa.JSON(), nullable=True))
    with op.batch_alter_table("mediation_agreements") as batch:
        # Null on agreements stored before: their status then holds for every term.
        batch.add_column(sa.Column("term_states", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mediation_agreements") as batch:
        batch.drop_column("term_states")
    with op.batch_alter_table("mediation_cases") as batch:
        batch.drop_column("joined_filings")
        batch.drop_column("collective")
