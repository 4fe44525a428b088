"""list exports: who exported which list, with which filters, how many rows

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_exports",
        sa.Column("export_id", sa.String(36), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("roles", sa.String(200), nullable=False),
        sa.Column("list_name", sa.String(80), nullable=False),
        sa.Column("route", sa.String(300), nullable=False),
        sa.Column("filters", sa.Text(), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("export_id", name=op.f("pk_list_exports")),
    )
    op.create_index(op.f("ix_list_exports_occurred_at"), "list_exports", ["occurred_at"])
    op.create_index(op.f("ix_list_exports_subject"), "list_exports", ["subject"])


def downgrade() -> None:
    op.drop_index(op.f("ix_list_exports_subject"), table_name="list_exports")
    op.drop_index(op.f("ix_list_exports_occurred_at"), table_name="list_exports")
    op.drop_table("list_exports")
