"""Intake tables (SQLAlchemy Core) and the messaging tables every service carries."""

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Index, Integer, String, Table, Text, false

from labornet_common.platform.db import new_metadata
from labornet_common.platform.documents.store import document_tables
from labornet_common.platform.listing import declare_search_indexes
from labornet_common.platform.outbox import messaging_tables
from labornet_common.platform.passport_store import passport_table
from labornet_common.security.pii import pii_columns

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
    # A region scope matches either division (labornet_common.security.visibility): both are indexed.
    Column("workplace_division", String(12), nullable=False, index=True),
    Column("worker_name", String(100), nullable=False),
    Column("employer_name", String(200), nullable=False),
    Column("facts", Text, nullable=False),
    Column("claims", JSON, nullable=False),
    Column("route", String(20)),
    Column("received_at", DateTime(timezone=True), nullable=False),  # when it arrived (the clerk's record)
    Column("filed_by", String(200)),
    Column("registered_at", DateTime(timezone=True)),  # when it was typed in (by filed_by)
    # scrypt hash of the worker's access code; the code itself is shown once and never stored.
    Column("access_code_hash", String(200)),
    *pii_columns("worker_id_number"),
    *pii_columns("worker_phone"),
    *pii_columns("worker_residence"),
    # The facts as typed, when they name an ID number or phone; ``facts`` holds them masked.
    *pii_columns("facts_full"),
    Column("employer_uscc", String(18)),
    Column("employer_address", String(300)),
    Column("employer_division", String(12)),
    # USCC, else normalised name + county: what duplicate detection and grouping match on.
    Column("employer_key", String(300), index=True),
    Column("workplace_address", String(300)),
    Column("other_workplaces", JSON),
    Column("project", String(200)),
    Column("worker_count", Integer, nullable=False, server_default="1"),
    Column("collective", Boolean, nullable=False, server_default=false()),
    Column("requested_route", String(20), nullable=False, server_default="help_me_choose"),
    Column("oral", Boolean, nullable=False, server_default=false()),
    Column("police_incident_number", String(64)),
    Column("referred_by", String(200)),
    Column("pending_proceedings", String(20)),
    Column("employment_ended_on", Date),
    Column("limitation_warning", Boolean, nullable=False, server_default=false()),
    Column("limitation_reason", Text, nullable=False, server_default=""),
    Column("accepted_in_region", String(12), index=True),
    Column("joint_status", String(20)),
    Column("joint_reason", Text, nullable=False, server_default=""),
    Column("target_org_id", String(64), index=True),  # the list's ``centre`` filter
    Column("target_org_name", String(200)),
    Column("target_division", String(12)),
    Column("routing_reasons", JSON),
    # The list's orders (adapters.complaint_search.ORDERS) with the id that breaks ties, and the
    # status filter in the default order: a page walks an index and stops at its limit.
    Index("ix_complaints_received_at_id", "received_at", "case_id"),
    Index("ix_complaints_status_received_at_id", "status", "received_at", "case_id"),
)
# The list's text search (labornet_common.platform.listing.text_match), on PostgreSQL.
declare_search_indexes(
    complaints, ["tracking_number", "worker_name", "employer_name", "case_id"], ["worker_name", "employer_name"]
)

# Every filing, including the one that opened the case: who complained, through which channel,
# and whether it opened the case, repeated it (duplicate) or joined it (grouped).
filings = Table(
    "filings",
    metadata,
    Column("filing_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # created | linked_duplicate | grouped
    Column("channel", String(20), nullable=False),
    Column("filed_at", DateTime(timezone=True), nullable=False),
    Column("filed_by", String(200)),
    Column("worker_name", String(100), nullable=False),
    Column("worker_count", Integer, nullable=False),
    Column("claims", JSON, nullable=False),
    *pii_columns("worker_id_number"),
    *pii_columns("worker_phone"),
    # Keyed hash (HMAC-SHA-256) of the access code this filer was given, shown to them once.
    Column("access_code_bidx", String(64), index=True),
)

# Where each dispute stands across the network (labornet_common.contracts.passport), intake's own cases
# and those lodged directly at a centre or commission: what duplicates and grouping match on.
passports = passport_table(metadata)

# The representatives a collective dispute's workers chose (LDA Art. 7), in their order; replaced
# as a whole. ID numbers and phones sealed like the worker's (same blind-index contexts).
representatives = Table(
    "representatives",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False),
    *pii_columns("id_number"),
    *pii_columns("phone"),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(200)),
)

# The worker's status page: intake's own steps and what later services reported.
timeline = Table(
    "timeline",
    metadata,
    Column("entry_id", String(64), primary_key=True),  # the event id for consumed events
    Column("case_id", String(36), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("source", String(30), nullable=False),
    Column("event_type", String(120)),
    Column("text_zh", Text, nullable=False),
)

# Cross-region joint acceptance, as the owning region sees it: one row per forwarding.
joint_forwards = Table(
    "joint_forwards",
    metadata,
    Column("forward_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("accepting_region", String(12), nullable=False),
    Column("target_region", String(12), nullable=False, index=True),
    Column("status", String(20), nullable=False),  # pending | accepted | refused
    Column("requested_on", Date, nullable=False),
    Column("answer_due_on", Date),
    Column("reason", Text, nullable=False, server_default=""),
    Column("answered_by", String(200)),
    Column("answered_at", DateTime(timezone=True)),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
)

# One row per employer key filed against (see ``repository.hold_employer``): a filing locks its
# employer's row, so two filings against one employer decide duplicate/grouped/new one after the
# other, while filings against other employers go ahead.
filing_keys = Table(
    "filing_keys",
    metadata,
    Column("employer_key", String(300), primary_key=True),
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

# 补正通知书 and 移送函 as issued: numbered per intake region and year, versioned, with their PDFs.
documents = document_tables(metadata, "intake")
