"""Audit trail tables: an append-only, hash-chained log and its single-row chain head.

The head row is updated in the same transaction as every append: on PostgreSQL the row lock
(SELECT ... FOR UPDATE) and on SQLite the database write lock (BEGIN IMMEDIATE) make appends
take turns, so two requests can never chain onto the same predecessor.
"""

from sqlalchemy import Column, DateTime, Integer, String, Table

from labornet_common.outbox.tables import BigId
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
