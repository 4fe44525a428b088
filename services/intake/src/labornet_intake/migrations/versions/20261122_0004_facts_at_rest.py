"""facts at rest: ID numbers and phones in the free text are stored masked, the text as typed
only encrypted

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("facts_full_enc", sa.Text(), nullable=True))
        batch.add_column(sa.Column("facts_full_bidx", sa.String(64), nullable=True))
    op.create_index(op.f("ix_complaints_facts_full_bidx"), "complaints", ["facts_full_bidx"])


def downgrade() -> None:
    op.drop_index(op.f("ix_complaints_facts_full_bidx"), table_name="complaints")
    with op.batch_alter_table("complaints") as batch:
        batch.drop_column("facts_full_bidx")
        batch.drop_column("facts_full_enc")
