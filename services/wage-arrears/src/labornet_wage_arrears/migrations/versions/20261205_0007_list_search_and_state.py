"""wage-arrears: the alert list's state index and trigram and bigram text-search indexes (PostgreSQL)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from alembic import op

from labornet_common.platform.listing import drop_search_index_ddl, search_index_ddl

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# table -> (the fields ``q`` searches, the names a 1- or 2-character ``q`` searches), as the
# list's query passes them to ``labornet_common.platform.listing.text_match``.
SEARCHED = {
    "wa_alerts": (
        ["employer_name", "employer_uscc", "project", "alert_id", "referral_id"],
        ["employer_name", "project"],
    ),
    "wa_records": (["employer_key", "record_id"], ["employer_key"]),
}


def upgrade() -> None:
    op.create_index("ix_wa_alerts_state_raised_at_id", "wa_alerts", ["state", "raised_at", "alert_id"])
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
    op.drop_index("ix_wa_alerts_state_raised_at_id", table_name="wa_alerts")
