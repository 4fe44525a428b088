"""mediation: trigram and bigram GIN indexes for the case list's text search (PostgreSQL)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from alembic import op

from labornet_common.platform.listing import drop_search_index_ddl, search_index_ddl

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# table -> (the fields ``q`` searches, the names a 1- or 2-character ``q`` searches), as the
# list's query passes them to ``labornet_common.platform.listing.text_match``.
SEARCHED = {
    "mediation_cases": (
        ["tracking_number", "worker_name", "employer_name", "case_id"],
        ["worker_name", "employer_name"],
    )
}


def upgrade() -> None:
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
