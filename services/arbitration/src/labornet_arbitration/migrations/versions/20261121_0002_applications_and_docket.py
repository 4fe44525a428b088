"""arbitration applications (one per origin) and the docket counters

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
    op.create_table(
        "arb_applications",
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_key", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("commission_id", sa.String(length=40), nullable=False),
        sa.Column("commission_division", sa.String(length=12), nullable=False),
        sa.Column("tribunal_id", sa.String(length=40), nullable=True),
        sa.Column("worker_name", sa.String(length=100), nullable=False),
        sa.Column("worker_count", sa.Integer(), nullable=False),
        sa.Column("collective", sa.Boolean(), nullable=False),
        sa.Column("employer_name", sa.String(length=200), nullable=False),
        sa.Column("employer_uscc", sa.String(length=18), nullable=True),
        sa.Column("employer_division", sa.String(length=12), nullable=True),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("acceptance_due_on", sa.Date(), nullable=False),
        sa.Column("correction_items", sa.JSON(), nullable=False),
        sa.Column("correction_requested_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("referred_to", sa.String(length=40), nullable=True),
        sa.Column("case_number", sa.String(length=80), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("serve_copy_due_on", sa.Date(), nullable=True),
        sa.Column("tribunal_notice_due_on", sa.Date(), nullable=True),
        sa.Column("respondent_received_on", sa.Date(), nullable=True),
        sa.Column("defence_due_on", sa.Date(), nullable=True),
        sa.Column("award_clock_start", sa.Date(), nullable=True),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("paused_days", sa.Integer(), nullable=False),
        sa.Column("suspended_since", sa.Date(), nullable=True),
        sa.Column("resume_status", sa.String(length=20), nullable=True),
        sa.Column("award_due_on", sa.Date(), nullable=True),
        sa.Column("tribunal", sa.JSON(), nullable=True),
        sa.Column("recusals", sa.JSON(), nullable=False),
        sa.Column("hearing", sa.JSON(), nullable=True),
        sa.Column("award", sa.JSON(), nullable=True),
        sa.Column("acceptance_overdue_on", sa.Date(), nullable=True),
        sa.Column("award_overdue_on", sa.Date(), nullable=True),
        sa.Column("court", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_arb_applications")),
        sa.UniqueConstraint("case_number", name=op.f("uq_arb_applications_case_number")),
        sa.UniqueConstraint("source_key", name=op.f("uq_arb_applications_source_key")),
    )
    with op.batch_alter_table("arb_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_arb_applications_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_arb_applications_commission_division"), ["commission_division"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_arb_applications_commission_id"), ["commission_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_arb_applications_division_code"), ["division_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_arb_applications_status"), ["status"], unique=False)

    op.create_table(
        "arb_docket_counters",
        sa.Column("commission_id", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("commission_id", "year", name=op.f("pk_arb_docket_counters")),
    )


def downgrade() -> None:
    op.drop_table("arb_docket_counters")
    with op.batch_alter_table("arb_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_arb_applications_status"))
        batch_op.drop_index(batch_op.f("ix_arb_applications_division_code"))
        batch_op.drop_index(batch_op.f("ix_arb_applications_commission_id"))
        batch_op.drop_index(batch_op.f("ix_arb_applications_commission_division"))
        batch_op.drop_index(batch_op.f("ix_arb_applications_case_id"))

    op.drop_table("arb_applications")
