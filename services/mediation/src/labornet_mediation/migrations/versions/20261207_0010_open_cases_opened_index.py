"""mediation: the open cases' partial index in opening order, for the clock filters at any depth

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# As adapters.orm.OPEN_STATUSES writes it: the list's clock clause names the same literals.
OPEN = sa.text("status IN ('ACCEPTED', 'MEDIATING', 'RECEIVED')")


def upgrade() -> None:
    op.create_index(
        "ix_mediation_cases_open_opened",
        "mediation_cases",
        ["opened_at", "case_id"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_mediation_cases_open_opened", table_name="mediation_cases")
