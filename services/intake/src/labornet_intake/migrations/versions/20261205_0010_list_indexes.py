"""intake: indexes for the complaint list's orders, scope and filters, so pages walk an index at scale

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_complaints_received_at_id": ["received_at", "case_id"],
    "ix_complaints_status_received_at_id": ["status", "received_at", "case_id"],
    "ix_complaints_workplace_division": ["workplace_division"],
    "ix_complaints_target_org_id": ["target_org_id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "complaints", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="complaints")
