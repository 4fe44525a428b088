"""Intake tables (SQLAlchemy Core) and the messaging tables every service carries."""

from sqlalchemy import JSON, Column, DateTime, Integer, String, Table, Text

from labornet_common.db import new_metadata
from labornet_common.outbox import messaging_tables
from labornet_common.pii import pii_columns

metadata = new_metadata()
messaging = messaging_tables(metadata)

complaints = Table(
    "complaints",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("tracking_number", String(40), nullable=False, unique=True),
    Column("channel", String(20), nullable=False),
    Column("status", String(30), nullable=False),
    Column("region_code", String(12), nullable=False, index=True),
    Column("workplace_division", String(12), nullable=False),
    Column("worker_name", String(100), nullable=False),
    Column("employer_name", String(200), nullable=False),
    Column("facts", Text, nullable=False),
    Column("claims", JSON, nullable=False),
    Column("route", String(20)),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("filed_by", String(200)),
    # scrypt hash of the worker's access code; the code itself is shown once and never stored.
    Column("access_code_hash", String(200)),
    *pii_columns("worker_id_number"),
    *pii_columns("worker_phone"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
