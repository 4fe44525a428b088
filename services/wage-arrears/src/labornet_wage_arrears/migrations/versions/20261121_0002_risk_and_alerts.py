"""risk picture and alerts: case facts, employer/project profiles, alerts

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

_MONEY = ("claimed_fen", "wages_claimed_fen", "agreed_fen", "awarded_fen", "unpaid_agreements_fen", "unpaid_awards_fen")


def _cases() -> None:
    op.create_table(
        "wa_cases",
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("employer_key", sa.String(300), nullable=False),
        sa.Column("project_key", sa.String(300), nullable=False),
        sa.Column("region_code", sa.String(12), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_wa_cases")),
    )
    for column in ("employer_key", "region_code"):
        op.create_index(op.f(f"ix_wa_cases_{column}"), "wa_cases", [column])


def _profiles() -> None:
    op.create_table(
        "wa_profiles",
        sa.Column("profile_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("employer_key", sa.String(300), nullable=False),
        sa.Column("project_key", sa.String(300), nullable=False),
        sa.Column("region_code", sa.String(12), nullable=False),
        sa.Column("employer_name", sa.String(200), nullable=False),
        sa.Column("employer_uscc", sa.String(18), nullable=True),
        sa.Column("project", sa.String(200), nullable=True),
        *(
            sa.Column(c, sa.Integer(), nullable=False)
            for c in ("cases", "complaints", "open_complaints", "workers_involved")
        ),
        *(sa.Column(c, sa.BigInteger(), nullable=False) for c in _MONEY),
        sa.Column("police_linked", sa.Integer(), nullable=False),
        sa.Column("collective_cases", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("profile_id", name=op.f("pk_wa_profiles")),
    )
    for column in ("employer_key", "region_code"):
        op.create_index(op.f(f"ix_wa_profiles_{column}"), "wa_profiles", [column])


_ALERT_INDEXES = ("alert_key", "severity", "state", "region_code", "employer_key", "referral_id", "due_at")


def _alerts() -> None:
    op.create_table(
        "wa_alerts",
        sa.Column("alert_id", sa.String(36), nullable=False),
        sa.Column("alert_key", sa.String(700), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("region_code", sa.String(12), nullable=False),
        sa.Column("subject_kind", sa.String(10), nullable=False),
        sa.Column("employer_key", sa.String(300), nullable=False),
        sa.Column("employer_name", sa.String(200), nullable=False),
        sa.Column("employer_uscc", sa.String(18), nullable=True),
        sa.Column("project", sa.String(200), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("summary_zh", sa.Text(), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("worker_count", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.Column("referral_id", sa.String(36), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clock", sa.String(20), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("dispatched_to", sa.String(100), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_wa_alerts")),
        sa.UniqueConstraint("alert_key", "occurrence", name=op.f("uq_wa_alerts_alert_key_occurrence")),
    )
    for column in _ALERT_INDEXES:
        op.create_index(op.f(f"ix_wa_alerts_{column}"), "wa_alerts", [column])


def upgrade() -> None:
    _cases()
    _profiles()
    _alerts()


def downgrade() -> None:
    for column in _ALERT_INDEXES:
        op.drop_index(op.f(f"ix_wa_alerts_{column}"), table_name="wa_alerts")
    op.drop_table("wa_alerts")
    for table in ("wa_profiles", "wa_cases"):
        for column in ("employer_key", "region_code"):
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
