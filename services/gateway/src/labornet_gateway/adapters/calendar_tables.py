"""Holiday schedules as entered at the gateway: every version of every year is kept."""

from sqlalchemy import JSON, Column, DateTime, Integer, String, Table

from labornet_gateway.adapters.orm import metadata

schedule_versions = Table(
    "holiday_schedule_versions",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("notice", String(200), nullable=False),
    Column("days", JSON, nullable=False),
    Column("entered_by", String(200), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
)
