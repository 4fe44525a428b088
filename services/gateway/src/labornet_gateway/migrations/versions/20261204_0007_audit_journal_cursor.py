"""audit journal cursor: how far each gateway's local audit journal is chained into the log

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from labornet_common.platform.outbox.tables import BigId

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_journal_cursor",
        sa.Column("journal_id", sa.String(36), nullable=False),
        sa.Column("drained_through", BigId, nullable=False),
        sa.Column("lost", BigId, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("journal_id", name=op.f("pk_audit_journal_cursor")),
    )


def downgrade() -> None:
    op.drop_table("audit_journal_cursor")
