"""record list order: an index for the order and incident lists' order (kind, last changed, id)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_wa_records_kind_updated_id", "wa_records", ["kind", "updated_at", "record_id"])


def downgrade() -> None:
    op.drop_index("ix_wa_records_kind_updated_id", table_name="wa_records")
