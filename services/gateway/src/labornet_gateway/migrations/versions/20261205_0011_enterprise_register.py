"""enterprise register: a public id per named 和谐劳动关系 enterprise (the API's and the events'),
who named it, and its removal (kept, not deleted: the register shows what was withdrawn)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("named_enterprises", sa.Column("public_id", sa.String(36), nullable=True))
    op.add_column("named_enterprises", sa.Column("named_by", sa.String(200), nullable=False, server_default=""))
    op.add_column("named_enterprises", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("named_enterprises", sa.Column("removed_by", sa.String(200), nullable=True))
    op.add_column("named_enterprises", sa.Column("removal_reason", sa.Text(), nullable=True))
    table = sa.table("named_enterprises", sa.column("enterprise_id", sa.Integer), sa.column("public_id", sa.String))
    bind = op.get_bind()
    for (row_id,) in bind.execute(sa.select(table.c.enterprise_id)).all():
        bind.execute(sa.update(table).where(table.c.enterprise_id == row_id).values(public_id=str(uuid.uuid4())))
    op.create_index(op.f("ix_named_enterprises_public_id"), "named_enterprises", ["public_id"], unique=True)
    # The register's default order (adapters.reports.ENTERPRISE_ORDERS): newest first.
    op.create_index("ix_named_enterprises_created_public", "named_enterprises", ["created_at", "public_id"])


def downgrade() -> None:
    op.drop_index("ix_named_enterprises_created_public", table_name="named_enterprises")
    op.drop_index(op.f("ix_named_enterprises_public_id"), table_name="named_enterprises")
    with op.batch_alter_table("named_enterprises") as batch:
        for column in ("removal_reason", "removed_by", "removed_at", "named_by", "public_id"):
            batch.drop_column(column)
