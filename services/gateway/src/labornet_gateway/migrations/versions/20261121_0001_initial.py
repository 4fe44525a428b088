"""initial: messaging tables

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from labornet_common.platform.outbox.migration import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()


def downgrade() -> None:
    drop_messaging_tables()
