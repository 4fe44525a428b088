"""incident list order: each incident's day (occurred_on) beside its record, and the index the
incident list pages by (kind, occurred_on, record_id), newest day first

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

records = sa.table(
    "wa_records",
    sa.column("record_id", sa.String),
    sa.column("kind", sa.String),
    sa.column("record", sa.JSON),
    sa.column("occurred_on", sa.Date),
)


def upgrade() -> None:
    op.add_column("wa_records", sa.Column("occurred_on", sa.Date(), nullable=True))
    bind = op.get_bind()
    incidents = bind.execute(sa.select(records.c.record_id, records.c.record).where(records.c.kind == "incident"))
    for record_id, record in list(incidents):
        day = (record or {}).get("occurred_on")
        if day:
            bind.execute(
                records.update().where(records.c.record_id == record_id).values(occurred_on=date.fromisoformat(day))
            )
    op.create_index("ix_wa_records_kind_occurred_id", "wa_records", ["kind", "occurred_on", "record_id"])


def downgrade() -> None:
    op.drop_index("ix_wa_records_kind_occurred_id", table_name="wa_records")
    with op.batch_alter_table("wa_records") as batch:
        batch.drop_column("occurred_on")
