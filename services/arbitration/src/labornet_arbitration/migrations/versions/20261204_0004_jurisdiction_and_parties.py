"""who applied, the worker's ID number and phone (sealed), the employer key and lock rows for
one dispute at one commission, parties joining, and the case history

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_EMPTY_LIST = sa.text("'[]'")


def upgrade() -> None:
    with op.batch_alter_table("arb_applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applicant_side", sa.String(length=10), nullable=False, server_default="worker"))
        batch_op.add_column(sa.Column("worker_keys", sa.JSON(), nullable=False, server_default=_EMPTY_LIST))
        batch_op.add_column(sa.Column("worker_id_masked", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("worker_phone_masked", sa.String(length=20), nullable=True))
        for name in ("worker_id_number", "worker_phone", "facts_full"):
            batch_op.add_column(sa.Column(f"{name}_enc", sa.Text(), nullable=True))
            batch_op.add_column(sa.Column(f"{name}_bidx", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("employer_key", sa.String(length=220), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("merged_into", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("joined_filings", sa.JSON(), nullable=False, server_default=_EMPTY_LIST))
        batch_op.add_column(sa.Column("history", sa.JSON(), nullable=False, server_default=_EMPTY_LIST))
        for name in ("worker_id_number_bidx", "worker_phone_bidx", "facts_full_bidx", "employer_key"):
            batch_op.create_index(batch_op.f(f"ix_arb_applications_{name}"), [name], unique=False)
    op.create_table(
        "arb_dispute_locks",
        sa.Column("employer_key", sa.String(length=220), nullable=False),
        sa.PrimaryKeyConstraint("employer_key", name=op.f("pk_arb_dispute_locks")),
    )


def downgrade() -> None:
    op.drop_table("arb_dispute_locks")
    with op.batch_alter_table("arb_applications", schema=None) as batch_op:
        for name in ("worker_id_number_bidx", "worker_phone_bidx", "facts_full_bidx", "employer_key"):
            batch_op.drop_index(batch_op.f(f"ix_arb_applications_{name}"))
        for name in (
            "history",
            "joined_filings",
            "merged_into",
            "employer_key",
            "worker_phone_masked",
            "worker_id_masked",
            "worker_keys",
            "applicant_side",
        ):
            batch_op.drop_column(name)
        for name in ("worker_id_number", "worker_phone", "facts_full"):
            batch_op.drop_column(f"{name}_bidx")
            batch_op.drop_column(f"{name}_enc")
