"""arbitration: the application list's status index and trigram and bigram text-search indexes (PostgreSQL)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from alembic import op

from labornet_common.platform.listing import drop_search_index_ddl, search_index_ddl

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# table -> (the fields ``q`` searches, the names a 1- or 2-character ``q`` searches), as the
# list's query passes them to ``labornet_common.platform.listing.text_match``.
SEARCHED = {
    "arb_applications": (
        ["case_number", "worker_name", "employer_name", "case_id", "application_id"],
        ["worker_name", "employer_name"],
    )
}


def upgrade() -> None:
    op.create_index(
        "ix_arb_applications_status_created_at_id", "arb_applications", ["status", "created_at", "application_id"]
    )
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite reads the table: it has no trigram or bigram index
    for table, (columns, names) in SEARCHED.items():
        for statement in search_index_ddl(table, columns, names):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SEARCHED:
            for statement in drop_search_index_ddl(table):
                op.execute(statement)
    op.drop_index("ix_arb_applications_status_created_at_id", table_name="arb_applications")
