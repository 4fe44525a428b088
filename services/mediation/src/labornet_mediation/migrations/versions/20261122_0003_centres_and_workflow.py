"""mediators, the mediation workflow (sessions, notes, recusals, agreements, transfers)

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


def _case_columns() -> list[sa.Column]:
    return [
        sa.Column("centre_id", sa.String(40), nullable=True),
        sa.Column("centre_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("workplace_division", sa.String(12), nullable=False, server_default=""),
        sa.Column("employer_uscc", sa.String(18), nullable=True),
        sa.Column("employer_division", sa.String(12), nullable=True),
        sa.Column("worker_count", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("tracking_number", sa.String(40), nullable=False, server_default=""),
        sa.Column("origin", sa.String(10), nullable=False, server_default="intake"),
        sa.Column("mediator_id", sa.String(80), nullable=True),
        sa.Column("mediator_name", sa.String(100), nullable=True),
        sa.Column("recused", sa.JSON(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("failure_reason", sa.String(20), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("warned_on", sa.Date(), nullable=True),
        sa.Column("history_zh", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
    ]


CASE_INDEXES = ["due_on", "centre_id", "mediator_id"]


def _create_children() -> None:
    op.create_table(
        "mediators",
        sa.Column("mediator_id", sa.String(80), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("centre_id", sa.String(40), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.PrimaryKeyConstraint("mediator_id", name=op.f("pk_mediators")),
        sa.UniqueConstraint("subject", "centre_id", name=op.f("uq_mediators_subject_centre_id")),
    )
    for column in ("subject", "centre_id", "division_code"):
        op.create_index(op.f(f"ix_mediators_{column}"), "mediators", [column])
    op.create_table(
        "mediation_sessions",
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(200), nullable=False, server_default=""),
        sa.Column("video_link", sa.String(500), nullable=False, server_default=""),
        sa.Column("attendees", sa.JSON(), nullable=True),
        sa.Column("attended", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_mediation_sessions")),
    )
    op.create_table(
        "mediation_notes",
        sa.Column("note_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("note_id", name=op.f("pk_mediation_notes")),
    )
    op.create_table(
        "mediator_recusals",
        sa.Column("recusal_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("mediator_id", sa.String(80), nullable=False),
        sa.Column("ground", sa.String(30), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False, server_default=""),
        sa.Column("replaced_by", sa.String(80), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("recusal_id", name=op.f("pk_mediator_recusals")),
    )
    for table in ("mediation_sessions", "mediation_notes", "mediator_recusals"):
        op.create_index(op.f(f"ix_{table}_case_id"), table, ["case_id"])


def _create_outcomes() -> None:
    op.create_table(
        "mediation_agreements",
        sa.Column("agreement_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=True),
        sa.Column("breached_on", sa.Date(), nullable=True),
        sa.Column("unpaid_fen", sa.BigInteger(), nullable=True),
        sa.Column("court_requests", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("agreement_id", name=op.f("pk_mediation_agreements")),
        sa.UniqueConstraint("case_id", name=op.f("uq_mediation_agreements_case_id")),
    )
    op.create_table(
        "arbitration_transfers",
        sa.Column("transfer_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("commission_id", sa.String(40), nullable=False),
        sa.Column("tribunal_id", sa.String(40), nullable=True),
        sa.Column("venue_name", sa.String(200), nullable=False),
        sa.Column("grounds", sa.String(30), nullable=False),
        sa.Column("transferred_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("transfer_id", name=op.f("pk_arbitration_transfers")),
        sa.UniqueConstraint("case_id", name=op.f("uq_arbitration_transfers_case_id")),
    )


def upgrade() -> None:
    with op.batch_alter_table("mediation_cases") as batch:
        for column in _case_columns():
            batch.add_column(column)
    for name in CASE_INDEXES:
        op.create_index(op.f(f"ix_mediation_cases_{name}"), "mediation_cases", [name])
    _create_children()
    _create_outcomes()


def downgrade() -> None:
    for table in (
        "arbitration_transfers",
        "mediation_agreements",
        "mediator_recusals",
        "mediation_notes",
        "mediation_sessions",
        "mediators",
    ):
        op.drop_table(table)
    for name in CASE_INDEXES:
        op.drop_index(op.f(f"ix_mediation_cases_{name}"), table_name="mediation_cases")
    with op.batch_alter_table("mediation_cases") as batch:
        for column in reversed(_case_columns()):
            batch.drop_column(column.name)
