"""Arbitration tables (SQLAlchemy Core) and the messaging tables."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from labornet_common.platform.db import new_metadata
from labornet_common.platform.listing import declare_search_indexes
from labornet_common.platform.outbox import messaging_tables
from labornet_common.security.pii import pii_columns

metadata = new_metadata()
messaging = messaging_tables(metadata)

applications = Table(
    "arb_applications",
    metadata,
    Column("application_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("source", String(20), nullable=False),
    # One application per origin: a routed complaint, a mediation transfer_id, a referral or a
    # direct filing; a redelivered or re-sent origin finds the row it already made.
    Column("source_key", String(120), nullable=False, unique=True),
    Column("status", String(20), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("division_code", String(12), nullable=False, index=True),
    Column("commission_id", String(40), nullable=False, index=True),
    Column("commission_division", String(12), nullable=False, index=True),
    Column("tribunal_id", String(40)),
    Column("worker_name", String(100), nullable=False),
    Column("worker_count", Integer, nullable=False),
    Column("collective", Boolean, nullable=False),
    Column("employer_name", String(200), nullable=False),
    Column("employer_uscc", String(18), index=True),
    Column("employer_division", String(12)),
    Column("facts", Text, nullable=False),
    Column("claims", JSON, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("acceptance_due_on", Date, nullable=False),
    Column("correction_items", JSON, nullable=False),
    Column("correction_requested_on", Date),
    Column("decided_on", Date),
    Column("reasons", JSON, nullable=False),
    Column("referred_to", String(40)),
    Column("case_number", String(80), unique=True),
    Column("accepted_on", Date),
    Column("serve_copy_due_on", Date),
    Column("tribunal_notice_due_on", Date),
    Column("respondent_received_on", Date),
    Column("defence_due_on", Date),
    Column("award_clock_start", Date),
    Column("extension_days", Integer, nullable=False),
    Column("paused_days", Integer, nullable=False),
    Column("suspended_since", Date),
    Column("resume_status", String(20)),
    Column("award_due_on", Date),
    Column("tribunal", JSON),
    Column("recusals", JSON, nullable=False),
    Column("hearing", JSON),
    Column("award", JSON),
    Column("acceptance_overdue_on", Date),
    Column("award_overdue_on", Date),
    Column("court", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("applicant_side", String(10), nullable=False, server_default="worker"),
    Column("worker_keys", JSON, nullable=False),
    Column("worker_id_masked", String(20)),
    Column("worker_phone_masked", String(20)),
    *pii_columns("worker_id_number"),
    *pii_columns("worker_phone"),
    *pii_columns("facts_full"),
    Column("employer_key", String(220), nullable=False, server_default="", index=True),
    Column("merged_into", String(36)),
    Column("joined_filings", JSON, nullable=False),
    Column("history", JSON, nullable=False),
    Column("procedure", JSON, nullable=False),
    # The list's orders (adapters.application_search): a page walks the index and stops at the
    # limit instead of sorting every row in scope.
    Index("ix_arb_applications_created_at_id", "created_at", "application_id"),
    Index("ix_arb_applications_received_on_id", "received_on", "application_id"),
    Index("ix_arb_applications_status_created_at_id", "status", "created_at", "application_id"),
)
# The list's text search (labornet_common.platform.listing.text_match), on PostgreSQL.
declare_search_indexes(
    applications,
    ["case_number", "worker_name", "employer_name", "case_id", "application_id"],
    ["worker_name", "employer_name"],
)

# The blind index of each worker's ID number on an application (``worker_keys``), one row each:
# the list finds a worker's applications by the index without reading every row's JSON.
worker_keys = Table(
    "arb_worker_keys",
    metadata,
    Column("worker_key", String(64), primary_key=True),
    Column("application_id", String(36), primary_key=True, index=True),
)

# One lock row per employer: arrivals and acceptances of applications against one employer take
# turns, so the same dispute is never docketed at two commissions (LDA Art. 21).
dispute_locks = Table(
    "arb_dispute_locks",
    metadata,
    Column("employer_key", String(220), primary_key=True),
)

# One counter per commission and year, bumped in the acceptance's own transaction: the row lock
# (PostgreSQL) or the write lock (SQLite) serialises docketing, and a rollback returns the number.
docket_counters = Table(
    "arb_docket_counters",
    metadata,
    Column("commission_id", String(40), primary_key=True),
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last_seq", Integer, nullable=False),
)

# The commission's documents (文书): one row per version. A correction is a new version under
# the same number; earlier versions are kept and stay readable.
documents = Table(
    "arb_documents",
    metadata,
    Column("document_id", String(36), primary_key=True),
    Column("application_id", String(36), nullable=False, index=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("commission_id", String(40), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("number", String(80), nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", String(40), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("paragraphs", JSON, nullable=False),
    # The PDF, rendered after the issuing transaction (or on first read): the same draft always
    # gives the same bytes, so whoever renders first stores what anyone would.
    Column("sha256", String(64)),
    Column("size_bytes", Integer),
    Column("content", LargeBinary),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("application_id", "kind", "version", name="uq_arb_documents_kind_version"),
    UniqueConstraint("number", "version", name="uq_arb_documents_number_version"),
)

# Document numbers per commission and year, taken in the issuing transaction (like the docket).
document_counters = Table(
    "arb_document_counters",
    metadata,
    Column("commission_id", String(40), primary_key=True),
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last_seq", Integer, nullable=False),
)

# A party's consent to electronic service (民诉法 Art. 90) and the channel named; the address
# (e-mail or the phone on file) sealed like every personal datum, shown masked.
e_service_consents = Table(
    "arb_e_service_consents",
    metadata,
    Column("application_id", String(36), primary_key=True),
    Column("party", String(10), primary_key=True),
    Column("channel", String(10), nullable=False),
    Column("address_masked", String(80), nullable=False),
    *pii_columns("address"),
    Column("given_by", String(120), nullable=False),
    Column("given_at", DateTime(timezone=True), nullable=False),
)

# One row per document, party and channel, written in the transaction that issued the document:
# the sender works from these rows, so a restart loses nothing (a send cut off is sent again).
deliveries = Table(
    "arb_deliveries",
    metadata,
    Column("delivery_id", String(36), primary_key=True),
    Column("application_id", String(36), nullable=False, index=True),
    Column("case_id", String(36), nullable=False),
    Column("document_id", String(36), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("party", String(10), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("address_masked", String(80), nullable=False),
    *pii_columns("address"),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("last_error", String(300)),
    Column("provider_id", String(120)),
    Column("sent_at", DateTime(timezone=True)),
    Column("received_at", DateTime(timezone=True)),
    Column("receipt", String(20)),
    Column("served_on", Date),
    Column("served_by", String(120)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_arb_deliveries_due", "status", "next_attempt_at"),
)

# The worker's stage prompts (SMS to the phone on file), written with the change that calls for
# them and sent by the same sender as the deliveries; status pending, sent, failed, or not sent:
# limited (too many in 24 hours) or opted_out.
worker_prompts = Table(
    "arb_worker_prompts",
    metadata,
    Column("prompt_id", String(36), primary_key=True),
    Column("application_id", String(36), nullable=False, index=True),
    Column("stage", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("last_error", String(300)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Index("ix_arb_worker_prompts_due", "status", "next_attempt_at"),
)

# A worker who asked for no prompts (退订); deleting the row opts back in.
prompt_opt_outs = Table(
    "arb_prompt_opt_outs",
    metadata,
    Column("application_id", String(36), primary_key=True),
    Column("by", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# The roster as administrators changed it (domain/arbitrators.py): each row replaces the shipped
# arbitrator of the same id or adds one; ``division_code`` is the commission's seat (the region
# that administers the arbitrator).
managed_arbitrators = Table(
    "arb_arbitrators",
    metadata,
    Column("arbitrator_id", String(80), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("commission_id", String(40), nullable=False, index=True),
    Column("division_code", String(12), nullable=False, index=True),
    Column("subject", String(200)),
    Column("retired_on", Date),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per roster change: who did what to which arbitrator, and the open cases it left.
roster_changes = Table(
    "arb_roster_changes",
    metadata,
    Column("change_id", String(36), primary_key=True),
    Column("action", String(40), nullable=False),
    Column("subject_id", String(80), nullable=False, index=True),
    Column("division_code", String(12), nullable=False, index=True),
    Column("detail", JSON, nullable=False),
    Column("changed_by", String(200), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, index=True),
)
