"""intake: the 补正通知书 and 移送函 as issued documents, numbered per region and year, versioned, with their PDFs

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
        "intake_documents",
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("subject_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("issuer_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("number", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(40), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("size_bytes", sa.Integer()),
        sa.Column("content", sa.LargeBinary()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("subject_id", "kind", "version", name="uq_intake_documents_kind_version"),
        sa.UniqueConstraint("number", "version", name="uq_intake_documents_number_version"),
    )
    op.create_index("ix_intake_documents_subject_id", "intake_documents", ["subject_id"])
    op.create_index("ix_intake_documents_case_id", "intake_documents", ["case_id"])
    op.create_table(
        "intake_document_counters",
        sa.Column("issuer_id", sa.String(40), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("intake_document_counters")
    op.drop_index("ix_intake_documents_case_id", table_name="intake_documents")
    op.drop_index("ix_intake_documents_subject_id", table_name="intake_documents")
    op.drop_table("intake_documents")
