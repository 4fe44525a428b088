"""arbitrator roster: arbitrators added, moved to another commission or retired by administrators,
over the shipped roster, and the log of those changes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "arb_arbitrators",
        sa.Column("arbitrator_id", sa.String(80), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("commission_id", sa.String(40), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("subject", sa.String(200)),
        sa.Column("retired_on", sa.Date()),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("arbitrator_id", name=op.f("pk_arb_arbitrators")),
    )
    op.create_index(op.f("ix_arb_arbitrators_commission_id"), "arb_arbitrators", ["commission_id"])
    op.create_index(op.f("ix_arb_arbitrators_division_code"), "arb_arbitrators", ["division_code"])
    op.create_table(
        "arb_roster_changes",
        sa.Column("change_id", sa.String(36), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(80), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("change_id", name=op.f("pk_arb_roster_changes")),
    )
    for column in ("subject_id", "division_code", "changed_at"):
        op.create_index(op.f(f"ix_arb_roster_changes_{column}"), "arb_roster_changes", [column])


def downgrade() -> None:
    op.drop_table("arb_roster_changes")
    op.drop_table("arb_arbitrators")
