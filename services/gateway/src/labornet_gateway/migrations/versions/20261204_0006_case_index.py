"""case index: the court finds a case by its docket number (案号) or case id

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
    op.create_table(
        "case_index",
        sa.Column("case_id", sa.String(100), nullable=False),
        sa.Column("stage", sa.String(30), nullable=True),
        sa.Column("commission_id", sa.String(50), nullable=True),
        sa.Column("centre_id", sa.String(50), nullable=True),
        sa.Column("application_id", sa.String(36), nullable=True),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("moved_to", sa.String(100), nullable=True),
        sa.Column("passport", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_index")),
    )
    op.create_index(op.f("ix_case_index_moved_to"), "case_index", ["moved_to"])
    op.create_table(
        "case_index_numbers",
        sa.Column("case_number", sa.String(100), nullable=False),
        sa.Column("case_id", sa.String(100), nullable=False),
        sa.Column("commission_id", sa.String(50), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("case_number", name=op.f("pk_case_index_numbers")),
    )
    op.create_index("ix_case_index_numbers_case_id", "case_index_numbers", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_index_numbers_case_id", table_name="case_index_numbers")
    op.drop_table("case_index_numbers")
    op.drop_index(op.f("ix_case_index_moved_to"), table_name="case_index")
    op.drop_table("case_index")
