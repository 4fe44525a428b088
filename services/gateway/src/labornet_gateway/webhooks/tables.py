"""Webhook tables in the gateway's database."""

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from labornet_common.platform.outbox.tables import BigId
from labornet_gateway.adapters.orm import metadata

endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("url", String(2000), nullable=False),
    Column("description", String(200), nullable=False),
    Column("secrets", JSON, nullable=False),  # list of encrypted whsec_ secrets, newest first
    Column("event_types", JSON, nullable=False),
    Column("region_scopes", JSON, nullable=False),
    Column("status", String(20), nullable=False),  # active | disabled
    Column("disabled_reason", Text),
    Column("failing_since", DateTime(timezone=True)),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("endpoint_id", String(36), ForeignKey("webhook_endpoints.id"), nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("case_id", String(100), nullable=False),
    Column("body", JSON, nullable=False),  # the CloudEvent in structured JSON form
    Column("status", String(20), nullable=False),  # pending | succeeded | failed | cancelled
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
)
Index("uq_webhook_deliveries_endpoint_event", deliveries.c.endpoint_id, deliveries.c.event_id, unique=True)
Index("ix_webhook_deliveries_due", deliveries.c.status, deliveries.c.next_attempt_at)
Index("ix_webhook_deliveries_endpoint_case", deliveries.c.endpoint_id, deliveries.c.case_id, deliveries.c.id)

attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("delivery_id", BigId, ForeignKey("webhook_deliveries.id"), nullable=False, index=True),
    Column("attempted_at", DateTime(timezone=True), nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
)

case_regions = Table(
    "webhook_case_regions",
    metadata,
    Column("case_id", String(100), primary_key=True),
    Column("region", String(12), nullable=False),
)

inbound = Table(
    "webhook_inbound",
    metadata,
    Column("webhook_id", String(200), primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("event_id", String(36)),
)

notices = Table(
    "admin_notices",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("kind", String(50), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("message_zh", Text, nullable=False),
    Column("message_en", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("acknowledged_at", DateTime(timezone=True)),
)
