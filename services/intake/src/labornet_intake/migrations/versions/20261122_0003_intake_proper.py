"""intake proper: parties, routing decisions, limitation flag, joint acceptance, filings,
worker timeline

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _complaint_columns() -> list[sa.Column]:
    return [
        sa.Column("worker_residence_enc", sa.Text(), nullable=True),
        sa.Column("worker_residence_bidx", sa.String(64), nullable=True),
        sa.Column("employer_uscc", sa.String(18), nullable=True),
        sa.Column("employer_address", sa.String(300), nullable=True),
        sa.Column("employer_division", sa.String(12), nullable=True),
        sa.Column("employer_key", sa.String(300), nullable=True),
        sa.Column("workplace_address", sa.String(300), nullable=True),
        sa.Column("other_workplaces", sa.JSON(), nullable=True),
        sa.Column("project", sa.String(200), nullable=True),
        sa.Column("worker_count", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("collective", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("requested_route", sa.String(20), nullable=False, server_default="help_me_choose"),
        sa.Column("oral", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("police_incident_number", sa.String(64), nullable=True),
        sa.Column("referred_by", sa.String(200), nullable=True),
        sa.Column("pending_proceedings", sa.String(20), nullable=True),
        sa.Column("employment_ended_on", sa.Date(), nullable=True),
        sa.Column("limitation_warning", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("limitation_reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("accepted_in_region", sa.String(12), nullable=True),
        sa.Column("joint_status", sa.String(20), nullable=True),
        sa.Column("joint_reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("target_org_id", sa.String(64), nullable=True),
        sa.Column("target_org_name", sa.String(200), nullable=True),
        sa.Column("target_division", sa.String(12), nullable=True),
        sa.Column("routing_reasons", sa.JSON(), nullable=True),
    ]


COMPLAINT_INDEXES = ("worker_residence_bidx", "employer_key", "accepted_in_region")


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        for column in _complaint_columns():
            batch.add_column(column)
    for name in COMPLAINT_INDEXES:
        op.create_index(op.f(f"ix_complaints_{name}"), "complaints", [name])
    op.create_table(
        "filings",
        sa.Column("filing_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_by", sa.String(200), nullable=True),
        sa.Column("worker_name", sa.String(100), nullable=False),
        sa.Column("worker_count", sa.Integer(), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("worker_id_number_enc", sa.Text(), nullable=True),
        sa.Column("worker_id_number_bidx", sa.String(64), nullable=True),
        sa.Column("worker_phone_enc", sa.Text(), nullable=True),
        sa.Column("worker_phone_bidx", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("filing_id", name=op.f("pk_filings")),
    )
    for name in ("case_id", "worker_id_number_bidx", "worker_phone_bidx"):
        op.create_index(op.f(f"ix_filings_{name}"), "filings", [name])
    op.create_table(
        "timeline",
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("event_type", sa.String(120), nullable=True),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_timeline")),
    )
    op.create_index(op.f("ix_timeline_case_id"), "timeline", ["case_id"])
    op.create_table(
        "joint_forwards",
        sa.Column("forward_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("accepting_region", sa.String(12), nullable=False),
        sa.Column("target_region", sa.String(12), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("answer_due_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("answered_by", sa.String(200), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("forward_id", name=op.f("pk_joint_forwards")),
    )
    op.create_index(op.f("ix_joint_forwards_case_id"), "joint_forwards", ["case_id"])
    op.create_index(op.f("ix_joint_forwards_target_region"), "joint_forwards", ["target_region"])


def downgrade() -> None:
    for table, columns in (
        ("joint_forwards", ("target_region", "case_id")),
        ("timeline", ("case_id",)),
        ("filings", ("worker_phone_bidx", "worker_id_number_bidx", "case_id")),
    ):
        for name in columns:
            op.drop_index(op.f(f"ix_{table}_{name}"), table_name=table)
        op.drop_table(table)
    for name in reversed(COMPLAINT_INDEXES):
        op.drop_index(op.f(f"ix_complaints_{name}"), table_name="complaints")
    with op.batch_alter_table("complaints") as batch:
        for column in reversed(_complaint_columns()):
            batch.drop_column(column.name)
