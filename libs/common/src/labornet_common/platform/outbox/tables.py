"""Tables every service's database carries for reliable messaging.

- ``outbox``: events waiting to be (or already) published, in commit order.
- ``event_streams``: the last sequence number handed out per case stream.
- ``inbox``: which consumer applied which event (dedupe and audit).
- ``inbox_streams``: the last sequence a consumer applied per (source, case) stream.
- ``relay_leases``: one active relay per database (per-case order needs a single publisher).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a bigint identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


@dataclass(frozen=True)
class MessagingTables:
    outbox: Table
    streams: Table
    inbox: Table
    inbox_streams: Table
    leases: Table


def messaging_tables(metadata: MetaData) -> MessagingTables:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("partition_key", String(100), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("sequence", BigInteger, nullable=False),
        Column("source", String(200), nullable=False),
        Column("traceparent", String(55)),
        Column("data", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text),
    )
    # The relay's query (unpublished rows in id order) stays an index scan as the table grows.
    Index(
        "ix_outbox_pending",
        outbox.c.id,
        postgresql_where=outbox.c.published_at.is_(None),
        sqlite_where=outbox.c.published_at.is_(None),
    )
    streams = Table(
        "event_streams",
        metadata,
        Column("stream_id", String(100), primary_key=True),
        Column("version", BigInteger, nullable=False),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("source", String(200), nullable=False),
        Column("stream_id", String(100), nullable=False),
        Column("sequence", BigInteger, nullable=False),
        Column("outcome", String(20), nullable=False),  # applied | ignored | dead_lettered
        Column("error", Text),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )
    inbox_streams = Table(
        "inbox_streams",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("source", String(200), primary_key=True),
        Column("stream_id", String(100), primary_key=True),
        Column("last_sequence", BigInteger, nullable=False),
    )
    leases = Table(
        "relay_leases",
        metadata,
        Column("name", String(100), primary_key=True),
        Column("owner", String(100), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
    )
    return MessagingTables(outbox, streams, inbox, inbox_streams, leases)
