"""Alembic operations for the holiday-schedule table every service that counts legal deadlines
keeps (see ``holiday_store``): one migration shape, shared."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create_holiday_schedules_table() -> None:
    op.create_table(
        "holiday_schedules",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("notice", sa.String(length=200), nullable=False),
        sa.Column("days", sa.JSON(), nullable=False),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_holiday_schedules")),
    )


def drop_holiday_schedules_table() -> None:
    op.drop_table("holiday_schedules")
