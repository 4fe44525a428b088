"""Mediation tables (SQLAlchemy Core) and the messaging tables."""

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    false,
    true,
)
from sqlalchemy.sql.elements import ColumnElement

from labornet_common.platform.db import new_metadata
from labornet_common.platform.documents.store import document_tables
from labornet_common.platform.listing import declare_search_indexes
from labornet_common.platform.outbox import messaging_tables
from labornet_mediation.domain.model import ACTIVE

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
    # The claims and history lines stored (mediation_case_claims, mediation_case_history): the
    # number the next one takes. Both lists only grow; a worker joining appends rows to them.
    Column("claim_count", Integer, nullable=False, server_default="0"),
    Column("history_count", Integer, nullable=False, server_default="0"),
    Column("received_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    # The mediator a case was handed to, who may be outside the case's region
    # (跨区域联合受理); visibility honours it (Principal.can_see_case rule 2).
    Column("assigned_to", String(200), index=True),
    Column("centre_id", String(40), index=True),
    Column("centre_name", String(200), nullable=False, server_default=""),
    Column("workplace_division", String(12), nullable=False, server_default=""),
    Column("employer_uscc", String(18)),
    Column("employer_division", String(12)),
    Column("worker_count", Integer, nullable=False, server_default="1"),
    Column("collective", Boolean, nullable=False, server_default=false()),  # LDA Art. 7
    Column("joined_filings", JSON),  # intake filing ids whose workers joined (each once)
    Column("tracking_number", String(40), nullable=False, server_default=""),
    Column("origin", String(10), nullable=False, server_default="intake"),
    Column("mediator_id", String(80), index=True),
    Column("mediator_name", String(100)),
    Column("recused", JSON),
    Column("decline_reason", Text),
    Column("failure_reason", String(20)),
    Column("outcome", String(20)),
    Column("closed_on", Date),
    Column("warned_on", Date),
    Column("version", Integer, nullable=False, server_default="0"),  # optimistic concurrency
    # The list's orders (adapters.case_search.CASE_ORDERS), each with the id that breaks ties: a
    # page walks its index from the cursor and stops at the limit instead of sorting the table.
    Index("ix_mediation_cases_opened_at_id", "opened_at", "case_id"),
    Index("ix_mediation_cases_received_on_id", "received_on", "case_id"),
    Index("ix_mediation_cases_due_on_id", "due_on", "case_id"),
    # A status filter in the default order (newest first).
    Index("ix_mediation_cases_status_opened_at_id", "status", "opened_at", "case_id"),
)
# A case's claims and the lines of its history, each a row numbered from 0 in the order added:
# a collective case with hundreds of workers appends one row per claim a joining worker brings,
# instead of rewriting every claim before it.


def _case_entries(name: str, value: Column[Any]) -> Table:
    return Table(
        name,
        metadata,
        Column("case_id", String(36), primary_key=True),
        Column("n", Integer, primary_key=True),
        value,
    )


mediation_case_claims = _case_entries("mediation_case_claims", Column("claim", JSON, nullable=False))
mediation_case_history = _case_entries("mediation_case_history", Column("text_zh", Text, nullable=False))

# The list's text search (labornet_common.platform.listing.text_match), on PostgreSQL.
declare_search_indexes(
    mediation_cases, ["tracking_number", "worker_name", "employer_name", "case_id"], ["worker_name", "employer_name"]
)

# The cases whose 15-day clock runs (LDA Art. 14), in the order the queue and the clock scanner
# walk them: nearest last day first. A partial index: on a system that has run for years the
# open cases are a few per cent of the table, and the walk skips every closed one.
OPEN_STATUSES = tuple(sorted(ACTIVE))


def _open_cases_index(name: str, column: Column[Any]) -> Index:
    """An index of the open cases only (status IN OPEN_STATUSES), by ``column`` then case id."""
    open_ = mediation_cases.c.status.in_(OPEN_STATUSES)
    return Index(name, column, mediation_cases.c.case_id, postgresql_where=open_, sqlite_where=open_)


_open_cases_index("ix_mediation_cases_open_due", mediation_cases.c.due_on)
# The open cases in the list's default order (newest opened first): the clock filters (running,
# overdue) and the queue sorted by opening walk the open cases only, however far back a cursor
# points, instead of the whole table's opened_at index filtered row by row.
_open_cases_index("ix_mediation_cases_open_opened", mediation_cases.c.opened_at)


def case_is_open() -> ColumnElement[bool]:
    """``status IN ('ACCEPTED', 'MEDIATING', 'RECEIVED')`` written with literals, as the partial
    index is: neither database can match a bound parameter to an index predicate."""
    return mediation_cases.c.status.in_(bindparam("open_statuses", OPEN_STATUSES, expanding=True, literal_execute=True))


mediators = Table(
    "mediators",
    metadata,
    Column("mediator_id", String(80), primary_key=True),
    Column("subject", String(200), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("centre_id", String(40), nullable=False, index=True),
    Column("division_code", String(12), nullable=False, index=True),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("retired_on", Date),  # set when an administrator retires the mediator
    UniqueConstraint("subject", "centre_id"),
)

# Extensions of the mediation period agreed by both parties (LDA Art. 14; 人社部令17号), in order.
mediation_extensions = Table(
    "mediation_extensions",
    metadata,
    Column("extension_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("extra_days", Integer, nullable=False),
    Column("previous_due_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("agreed_on", Date, nullable=False),
    Column("worker_agrees", Boolean, nullable=False),
    Column("employer_agrees", Boolean, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

# Centres and dispatched tribunals as administrators add, change or retire them; the shipped
# register is the base these rows overlay (domain/roster.py).
managed_centres = Table(
    "managed_centres",
    metadata,
    Column("centre_id", String(40), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("division_code", String(12), nullable=False, index=True),
    Column("serves", JSON, nullable=False),
    Column("tribunal_id", String(40)),
    Column("industry", String(40)),
    Column("employer_uscc", String(18)),
    Column("employer_name", String(200)),
    Column("composition", JSON),  # enterprise committees (LDA Art. 10 ¶2)
    Column("retired_on", Date),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

managed_tribunals = Table(
    "managed_tribunals",
    metadata,
    Column("tribunal_id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("commission_id", String(40), nullable=False),
    Column("centre_id", String(40)),
    Column("division_code", String(12), nullable=False, index=True),
    Column("retired_on", Date),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per change of the roster or register: who did what to which body, and its effect.
roster_changes = Table(
    "roster_changes",
    metadata,
    Column("change_id", String(36), primary_key=True),
    Column("action", String(40), nullable=False),
    Column("subject_id", String(80), nullable=False, index=True),
    Column("division_code", String(12), nullable=False, index=True),
    Column("detail", JSON, nullable=False),
    Column("changed_by", String(200), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, index=True),
)

mediation_sessions = Table(
    "mediation_sessions",
    metadata,
    Column("session_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("place", String(200), nullable=False, server_default=""),
    Column("video_link", String(500), nullable=False, server_default=""),
    Column("attendees", JSON),  # invited
    Column("attended", JSON),  # recorded after the session; null until then
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

mediation_notes = Table(
    "mediation_notes",
    metadata,
    Column("note_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("author", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

mediator_recusals = Table(
    "mediator_recusals",
    metadata,
    Column("recusal_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("mediator_id", String(80), nullable=False),
    Column("ground", String(30), nullable=False),
    Column("explanation", Text, nullable=False, server_default=""),
    Column("replaced_by", String(80)),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

mediation_agreements = Table(
    "mediation_agreements",
    metadata,
    Column("agreement_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, unique=True),
    Column("effective_on", Date, nullable=False),
    Column("terms", JSON, nullable=False),
    Column("total_fen", BigInteger, nullable=False),
    Column("status", String(12), nullable=False),
    Column("performed_on", Date),
    Column("breached_on", Date),
    Column("unpaid_fen", BigInteger),
    Column("court_requests", JSON),  # kind -> {requested_on, amount_fen, status, outcome, ...}
    Column("term_states", JSON),  # per term: {status, unpaid_fen, not_done, recorded_on}
)

# One row per case: the unique case id makes a repeated or concurrent transfer a no-op.
arbitration_transfers = Table(
    "arbitration_transfers",
    metadata,
    Column("transfer_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, unique=True),
    Column("commission_id", String(40), nullable=False),
    Column("tribunal_id", String(40)),
    Column("venue_name", String(200), nullable=False),
    Column("grounds", String(30), nullable=False),
    Column("transferred_on", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# 调解协议书 as issued: numbered per centre and year, versioned, with their PDFs (labornet_common.platform.documents).
documents = document_tables(metadata, "mediation")
