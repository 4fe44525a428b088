"""documents: the commission's documents (文书) as PDF, numbered per commission and year, versioned;
consent to electronic service and the deliveries with their receipts

Revision ID: 0006
Revises: 0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0007"
branch_labels = None
depends_on = None


def _pii(name: str) -> list[sa.Column]:
    return [sa.Column(f"{name}_enc", sa.Text()), sa.Column(f"{name}_bidx", sa.String(64))]


def upgrade() -> None:
    op.create_table(
        "arb_documents",
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("commission_id", sa.String(40), nullable=False),
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
        sa.UniqueConstraint("application_id", "kind", "version", name="uq_arb_documents_kind_version"),
        sa.UniqueConstraint("number", "version", name="uq_arb_documents_number_version"),
    )
    op.create_index("ix_arb_documents_application_id", "arb_documents", ["application_id"])
    op.create_index("ix_arb_documents_case_id", "arb_documents", ["case_id"])
    op.create_table(
        "arb_document_counters",
        sa.Column("commission_id", sa.String(40), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
    )

    op.create_table(
        "arb_e_service_consents",
        sa.Column("application_id", sa.String(36), primary_key=True),
        sa.Column("party", sa.String(10), primary_key=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("address_masked", sa.String(80), nullable=False),
        *_pii("address"),
        sa.Column("given_by", sa.String(120), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "arb_deliveries",
        sa.Column("delivery_id", sa.String(36), primary_key=True),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("party", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("address_masked", sa.String(80), nullable=False),
        *_pii("address"),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.String(300)),
        sa.Column("provider_id", sa.String(120)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("received_at", sa.DateTime(timezone=True)),
        sa.Column("receipt", sa.String(20)),
        sa.Column("served_on", sa.Date()),
        sa.Column("served_by", sa.String(120)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_arb_deliveries_application_id", "arb_deliveries", ["application_id"])
    op.create_index("ix_arb_deliveries_due", "arb_deliveries", ["status", "next_attempt_at"])
    op.create_index("ix_arb_deliveries_address_bidx", "arb_deliveries", ["address_bidx"])
    op.create_index("ix_arb_e_service_consents_address_bidx", "arb_e_service_consents", ["address_bidx"])
    op.create_table(
        "arb_worker_prompts",
        sa.Column("prompt_id", sa.String(36), primary_key=True),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.String(300)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_arb_worker_prompts_application_id", "arb_worker_prompts", ["application_id"])
    op.create_index("ix_arb_worker_prompts_due", "arb_worker_prompts", ["status", "next_attempt_at"])
    op.create_table(
        "arb_prompt_opt_outs",
        sa.Column("application_id", sa.String(36), primary_key=True),
        sa.Column("by", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("arb_prompt_opt_outs")
    op.drop_index("ix_arb_worker_prompts_due", table_name="arb_worker_prompts")
    op.drop_index("ix_arb_worker_prompts_application_id", table_name="arb_worker_prompts")
    op.drop_table("arb_worker_prompts")
    op.drop_index("ix_arb_e_service_consents_address_bidx", table_name="arb_e_service_consents")
    op.drop_index("ix_arb_deliveries_address_bidx", table_name="arb_deliveries")
    op.drop_index("ix_arb_deliveries_due", table_name="arb_deliveries")
    op.drop_index("ix_arb_deliveries_application_id", table_name="arb_deliveries")
    op.drop_table("arb_deliveries")
    op.drop_table("arb_e_service_consents")
    op.drop_table("arb_document_counters")
    op.drop_index("ix_arb_documents_case_id", table_name="arb_documents")
    op.drop_index("ix_arb_documents_application_id", table_name="arb_documents")
    op.drop_table("arb_documents")
