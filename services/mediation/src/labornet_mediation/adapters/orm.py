"""Mediation tables (SQLAlchemy Core) and the messaging tables."""

from sqlalchemy import JSON, Column, Date, DateTime, String, Table, Text

from labornet_common.db import new_metadata
from labornet_common.outbox import messaging_tables

metadata = new_metadata()
messaging = messaging_tables(metadata)

mediation_cases = Table(
    "mediation_cases",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("division_code", String(12), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("worker_name", String(100), nullable=False),
    Column("employer_name", String(200), nullable=False),
    Column("facts", Text, nullable=False),
    Column("claims", JSON, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    # The mediator a case was handed to, who may be outside the case's region
    # (跨区域联合受理); visibility honours it (Principal.can_see_case rule 2).
    Column("assigned_to", String(200), index=True),
)
