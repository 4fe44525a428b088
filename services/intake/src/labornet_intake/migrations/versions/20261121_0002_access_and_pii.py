"""access codes, filing clerk, encrypted worker ID number and phone with blind indexes

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

PII_FIELDS = ("worker_id_number", "worker_phone")


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("filed_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("access_code_hash", sa.String(200), nullable=True))
        for name in PII_FIELDS:
            batch.add_column(sa.Column(f"{name}_enc", sa.Text(), nullable=True))
            batch.add_column(sa.Column(f"{name}_bidx", sa.String(64), nullable=True))
    for name in PII_FIELDS:
        op.create_index(op.f(f"ix_complaints_{name}_bidx"), "complaints", [f"{name}_bidx"])


def downgrade() -> None:
    for name in PII_FIELDS:
        op.drop_index(op.f(f"ix_complaints_{name}_bidx"), table_name="complaints")
    with op.batch_alter_table("complaints") as batch:
        for name in reversed(PII_FIELDS):
            batch.drop_column(f"{name}_bidx")
            batch.drop_column(f"{name}_enc")
        batch.drop_column("access_code_hash")
        batch.drop_column("filed_by")
