"""inspection records: orders to pay and incidents; alerts whose pattern no longer holds and
alerts dispatched to another region; unpaid orders and incidents on the risk profiles; the
lock row of each employer's picture

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wa_picture_locks",
        sa.Column("picture_key", sa.String(320), nullable=False),
        sa.PrimaryKeyConstraint("picture_key", name=op.f("pk_wa_picture_locks")),
    )
    op.create_table(
        "wa_records",
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("employer_key", sa.String(300), nullable=False),
        sa.Column("region_code", sa.String(12), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("lapses_on", sa.Date(), nullable=True),
        sa.Column("lapse_seen", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_wa_records")),
    )
    op.create_index(op.f("ix_wa_records_employer_key"), "wa_records", ["employer_key"])
    op.create_index(op.f("ix_wa_records_lapses_on"), "wa_records", ["lapses_on"])
    with op.batch_alter_table("wa_alerts") as batch:
        batch.add_column(sa.Column("holds", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("dispatched_region", sa.String(12), nullable=True))
    op.create_index(op.f("ix_wa_alerts_dispatched_region"), "wa_alerts", ["dispatched_region"])
    with op.batch_alter_table("wa_profiles") as batch:
        batch.add_column(sa.Column("orders_unpaid_fen", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("incidents", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("wa_profiles") as batch:
        batch.drop_column("incidents")
        batch.drop_column("orders_unpaid_fen")
    op.drop_index(op.f("ix_wa_alerts_dispatched_region"), table_name="wa_alerts")
    with op.batch_alter_table("wa_alerts") as batch:
        batch.drop_column("dispatched_region")
        batch.drop_column("holds")
    op.drop_index(op.f("ix_wa_records_lapses_on"), table_name="wa_records")
    op.drop_index(op.f("ix_wa_records_employer_key"), table_name="wa_records")
    op.drop_table("wa_records")
    op.drop_table("wa_picture_locks")
