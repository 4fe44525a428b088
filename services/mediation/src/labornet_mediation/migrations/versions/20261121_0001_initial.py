"""initial: mediation cases, messaging tables

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

from labornet_common.platform.outbox.migration import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "mediation_cases",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("worker_name", sa.String(100), nullable=False),
        sa.Column("employer_name", sa.String(200), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_mediation_cases")),
    )
    op.create_index(op.f("ix_mediation_cases_division_code"), "mediation_cases", ["division_code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_mediation_cases_division_code"), table_name="mediation_cases")
    op.drop_table("mediation_cases")
    drop_messaging_tables()
