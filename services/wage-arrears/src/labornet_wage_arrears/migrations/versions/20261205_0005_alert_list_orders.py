"""alert list orders: indexes for the alert list's named orders (raised, amount)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_wa_alerts_raised_at_id", "wa_alerts", ["raised_at", "alert_id"])
    op.create_index("ix_wa_alerts_amount_id", "wa_alerts", ["amount_fen", "alert_id"])


def downgrade() -> None:
    op.drop_index("ix_wa_alerts_amount_id", table_name="wa_alerts")
    op.drop_index("ix_wa_alerts_raised_at_id", table_name="wa_alerts")
