"""mediation cases: assigned mediator

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mediation_cases") as batch:
        batch.add_column(sa.Column("assigned_to", sa.String(200), nullable=True))
    op.create_index(op.f("ix_mediation_cases_assigned_to"), "mediation_cases", ["assigned_to"])


def downgrade() -> None:
    op.drop_index(op.f("ix_mediation_cases_assigned_to"), table_name="mediation_cases")
    with op.batch_alter_table("mediation_cases") as batch:
        batch.drop_column("assigned_to")
