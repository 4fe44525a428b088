"""reports: the reporting read model (case and alert fact sheets, applied events), the named
和谐劳动关系 enterprises and the log of rebuilds

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _sheet(name: str, key: str) -> None:
    op.create_table(
        name,
        sa.Column(key, sa.String(100), nullable=False),
        sa.Column("region", sa.String(20), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(key, name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_region"), name, ["region"])


def upgrade() -> None:
    _sheet("report_cases", "case_id")
    _sheet("report_alerts", "alert_id")
    op.create_table(
        "report_applied",
        sa.Column("event_id", sa.String(100), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_report_applied")),
    )
    op.create_table(
        "named_enterprises",
        sa.Column("enterprise_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("named_on", sa.Date(), nullable=True),
        sa.Column("region", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_named_enterprises")),
    )
    op.create_table(
        "report_rebuilds",
        sa.Column("rebuild_id", sa.String(36), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("rebuild_id", name=op.f("pk_report_rebuilds")),
    )


def downgrade() -> None:
    op.drop_table("report_rebuilds")
    op.drop_table("named_enterprises")
    op.drop_table("report_applied")
    for name in ("report_alerts", "report_cases"):
        op.drop_index(op.f(f"ix_{name}_region"), table_name=name)
        op.drop_table(name)
