"""mediation: period extensions agreed by the parties; centres, tribunals and mediators managed by administrators

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mediators") as batch:
        batch.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
    op.create_table(
        "mediation_extensions",
        sa.Column("extension_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("extra_days", sa.Integer(), nullable=False),
        sa.Column("previous_due_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("worker_agrees", sa.Boolean(), nullable=False),
        sa.Column("employer_agrees", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_mediation_extensions_case_id", "mediation_extensions", ["case_id"])
    op.create_table(
        "managed_centres",
        sa.Column("centre_id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("serves", sa.JSON(), nullable=False),
        sa.Column("tribunal_id", sa.String(40)),
        sa.Column("industry", sa.String(40)),
        sa.Column("employer_uscc", sa.String(18)),
        sa.Column("employer_name", sa.String(200)),
        sa.Column("composition", sa.JSON()),
        sa.Column("retired_on", sa.Date()),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_managed_centres_division_code", "managed_centres", ["division_code"])
    op.create_table(
        "managed_tribunals",
        sa.Column("tribunal_id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("commission_id", sa.String(40), nullable=False),
        sa.Column("centre_id", sa.String(40)),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("retired_on", sa.Date()),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_managed_tribunals_division_code", "managed_tribunals", ["division_code"])
    op.create_table(
        "roster_changes",
        sa.Column("change_id", sa.String(36), primary_key=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(80), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_roster_changes_subject_id", "roster_changes", ["subject_id"])
    op.create_index("ix_roster_changes_division_code", "roster_changes", ["division_code"])
    op.create_index("ix_roster_changes_changed_at", "roster_changes", ["changed_at"])


def downgrade() -> None:
    op.drop_table("roster_changes")
    op.drop_table("managed_tribunals")
    op.drop_table("managed_centres")
    op.drop_table("mediation_extensions")
    with op.batch_alter_table("mediators") as batch:
        batch.drop_column("retired_on")
