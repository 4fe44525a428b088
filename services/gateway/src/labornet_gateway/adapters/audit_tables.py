"""Audit trail tables: an append-only, hash-chained log and its single-row chain head.

Entries reach the log from each gateway's local journal (adapters.audit_journal): a sequencer
chains them in order and moves that journal's cursor in the same transaction, so a journal line
is chained exactly once. The head row is updated in the same transaction as every append: on PostgreSQL the row lock
(SELECT ... FOR UPDATE) and on SQLite the database write lock (BEGIN IMMEDIATE) make appends
take turns, so two requests can never chain onto the same predecessor.
"""

from sqlalchemy import Column, DateTime, Integer, String, Table

from labornet_common.platform.outbox.tables import BigId
from labornet_gateway.adapters.orm import metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=False),  # position in the chain
    Column("occurred_at", DateTime(timezone=True), nullable=False, index=True),
    Column("subject", String(200), nullable=False),
    Column("roles", String(200), nullable=False),
    Column("method", String(10), nullable=False),
    Column("route", String(300), nullable=False),
    Column("status", Integer, nullable=False),
    Column("case_id", String(36), index=True),
    Column("client_ip", String(64), nullable=False),
    Column("user_agent", String(300), nullable=False),
    Column("request_id", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_chain_head = Table(
    "audit_chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("seq", BigId, nullable=False),  # last appended entry
    Column("hash", String(64), nullable=False),
    # Retention prunes the oldest entries; the anchor is where the remaining chain must start.
    Column("anchor_seq", BigId, nullable=False),
    Column("anchor_hash", String(64), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# How far each gateway journal has been chained into the log (journal lines 1..drained_through).
audit_journal_cursor = Table(
    "audit_journal_cursor",
    metadata,
    Column("journal_id", String(36), primary_key=True),
    Column("drained_through", BigId, nullable=False),
    # Lines the journal skipped (answered requests known but never chained): should stay 0.
    Column("lost", BigId, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
