"""the State Council's holiday schedules entered after the shipped years (one row per year)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from labornet_common.platform.holiday_migration import create_holiday_schedules_table, drop_holiday_schedules_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_holiday_schedules_table()


def downgrade() -> None:
    drop_holiday_schedules_table()
