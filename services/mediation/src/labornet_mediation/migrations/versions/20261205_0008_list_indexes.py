"""mediation: indexes for the case list's orders and the queue, so pages walk an index at scale

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# As adapters.orm.OPEN_STATUSES writes it: the queue's query names the same literals.
OPEN = sa.text("status IN ('ACCEPTED', 'MEDIATING', 'RECEIVED')")


def upgrade() -> None:
    op.create_index("ix_mediation_cases_opened_at_id", "mediation_cases", ["opened_at", "case_id"])
    op.create_index("ix_mediation_cases_received_on_id", "mediation_cases", ["received_on", "case_id"])
    op.create_index("ix_mediation_cases_due_on_id", "mediation_cases", ["due_on", "case_id"])
    op.create_index("ix_mediation_cases_status_opened_at_id", "mediation_cases", ["status", "opened_at", "case_id"])
    op.create_index(
        "ix_mediation_cases_open_due",
        "mediation_cases",
        ["due_on", "case_id"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )
    # (due_on, case_id) serves everything the single-column index did.
    op.drop_index("ix_mediation_cases_due_on", table_name="mediation_cases")


def downgrade() -> None:
    op.create_index("ix_mediation_cases_due_on", "mediation_cases", ["due_on"])
    for name in (
        "ix_mediation_cases_open_due",
        "ix_mediation_cases_status_opened_at_id",
        "ix_mediation_cases_due_on_id",
        "ix_mediation_cases_received_on_id",
        "ix_mediation_cases_opened_at_id",
    ):
        op.drop_index(name, table_name="mediation_cases")
