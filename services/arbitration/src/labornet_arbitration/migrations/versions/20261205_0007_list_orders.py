"""list orders: indexes for the application list's named orders (newest filing, receipt date)

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-05
"""

from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_arb_applications_created_at_id", "arb_applications", ["created_at", "application_id"])
    op.create_index("ix_arb_applications_received_on_id", "arb_applications", ["received_on", "application_id"])


def downgrade() -> None:
    op.drop_index("ix_arb_applications_received_on_id", table_name="arb_applications")
    op.drop_index("ix_arb_applications_created_at_id", table_name="arb_applications")
