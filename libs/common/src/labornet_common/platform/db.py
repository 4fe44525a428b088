"""Async database layer shared by every service (SQLite via aiosqlite, PostgreSQL via asyncpg)."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Column, CursorResult, DateTime, MetaData, Result, TableClause, bindparam, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, InvalidatePoolError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from labornet_common.platform import metrics

# Deterministic constraint names so Alembic migrations are stable across databases.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers proceed during a write; busy_timeout makes concurrent writers wait
    # instead of failing; synchronous=NORMAL in WAL mode is still crash-safe for commits.
    # Hand transaction control to SQLAlchemy (the "begin" hook below), per the SQLAlchemy
    # recipe for pysqlite/aiosqlite.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class _UtcSqliteDateTime(sqlite.DATETIME):
    """SQLite keeps no offset: a ``DateTime(timezone=True)`` value (stored in UTC) is read back
    with UTC attached, as PostgreSQL gives it, so every answer's date-time carries an offset."""

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        parse = super().result_processor(dialect, coltype)

        def process(value: Any) -> Any:
            moment = parse(value) if parse is not None else value
            if self.timezone and isinstance(moment, datetime) and moment.tzinfo is None:
                return moment.replace(tzinfo=UTC)
            return moment

        return process


def _count_round_trips(engine: AsyncEngine) -> AsyncEngine:
    statements, checkouts = metrics.DB_STATEMENTS, metrics.DB_CHECKOUTS
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *_: statements.inc())
    event.listen(engine.sync_engine.pool, "checkout", lambda *_: checkouts.inc())
    return engine


# PostgreSQL connections are kept at most this long, then replaced on their next checkout, so
# that no connection outlives a server's or a proxy's idle timeout.
POOL_RECYCLE_S = 1800
# A connection that waited in the pool at least this long is pinged before it is handed out, and
# replaced by a fresh one (the pool's own retry) if the server dropped it meanwhile (a restart,
# a failover, an idle timeout). Under load connections come back within milliseconds and are
# handed out again without the round trip of a ping on every checkout. A connection dropped
# while in use, or within this time of its last use, fails its statement: the platform answers
# that with 503 (database_unavailable), consumers retry it, and the pool then replaces every
# connection opened before the failure.
IDLE_PING_S = 2.0


def _ping_when_idle(engine: AsyncEngine, idle_ping_s: float) -> None:
    dialect = engine.sync_engine.dialect

    def checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < idle_ping_s:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool invalidates every older connection and retries with a fresh one.
            raise InvalidatePoolError(f"pooled connection dropped while idle: {exc}") from exc

    event.listen(engine.sync_engine.pool, "checkin", checkin)
    event.listen(engine.sync_engine.pool, "checkout", checkout)


def create_engine(
    url: str, *, pool_size: int = 10, echo: bool = False, idle_ping_s: float = IDLE_PING_S
) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, echo=echo, json_serializer=json_param, json_deserializer=orjson.loads)
        engine.sync_engine.dialect.colspecs = {**engine.sync_engine.dialect.colspecs, DateTime: _UtcSqliteDateTime}
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        # SQLite takes its write lock lazily; BEGIN IMMEDIATE takes it at the start of the
        # transaction so two writers never deadlock on a lock upgrade.
        event.listen(engine.sync_engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return _count_round_trips(engine)
    engine = create_async_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        pool_recycle=POOL_RECYCLE_S,
        json_serializer=json_param,
        json_deserializer=orjson.loads,
    )
    _ping_when_idle(engine, idle_ping_s)
    return _count_round_trips(engine)


JSON_OPTIONS = orjson.OPT_NON_STR_KEYS  # keys that are not text written as text, as the standard library does


def json_param(value: Any) -> str:
    """``value`` as JSON text: a statement's parameter (``CAST(:p AS json)``, ``json_each``) and
    every value written to a JSON column (``create_engine``), read back with the same library.
    Datetimes as RFC 3339, text as UTF-8 (not ``\\u`` escapes)."""
    return orjson.dumps(value, option=JSON_OPTIONS).decode()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def dialect_name(session: AsyncSession) -> str:
    """``"postgresql"`` or ``"sqlite"``: the dialect of the database the session talks to."""
    return session.get_bind().dialect.name


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. ``AsyncSession.execute`` is typed as returning
    a ``Result``; for these statements it is a ``CursorResult``, which carries the count."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"rows_matched needs the result of an UPDATE or DELETE, not {type(result).__name__}")
    return result.rowcount


async def insert_new(
    session: AsyncSession, table: TableClause, values: Mapping[str, Any], *, key: Sequence[Column[Any]]
) -> bool:
    """Insert the row unless one with the same ``key`` (a primary key or unique columns) is
    there: one statement, ``INSERT ... ON CONFLICT DO NOTHING``, instead of a read then a write.
    True when the row was inserted. PostgreSQL: an insert of a key another transaction has just
    inserted waits for it to end, then does nothing if it committed."""
    dialect_insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    statement = dialect_insert(table).values(dict(values)).on_conflict_do_nothing(index_elements=list(key))
    result = await session.execute(statement)
    return isinstance(result, CursorResult) and result.rowcount == 1


async def insert_new_rows(
    session: AsyncSession, table: TableClause, rows: Sequence[Mapping[str, Any]], *, key: Column[Any]
) -> set[Any]:
    """``insert_new`` for many rows in one statement: the ``key`` values of the rows inserted
    (those already there are left as they are). Rows go in in their order: callers that may
    meet another transaction inserting the same keys sort them, so neither waits on the other
    in a cycle."""
    if not rows:
        return set()
    dialect_insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    statement = (
        dialect_insert(table).values([dict(r) for r in rows]).on_conflict_do_nothing(index_elements=[key])
    ).returning(key)
    return set((await session.execute(statement)).scalars())


async def hold_row(session: AsyncSession, column: Column[str], key: str) -> None:
    """Lock the row keyed ``key`` in ``column``'s table until the transaction ends, making it on
    first use: a mutex for work that must not interleave (one employer's picture, one employer's
    filings) without serialising everything else.

    PostgreSQL (read committed), in one statement: ``INSERT ... ON CONFLICT DO UPDATE`` inserts
    the row or, when it is there, locks it as ``FOR UPDATE`` would (an insert of a key another
    transaction has just inserted, or a row another holds, waits for that transaction to end).
    Holders queue on the row, and each statement after it sees what the holder before committed.
    SQLite: the transaction already holds the database's write lock (``BEGIN IMMEDIATE``), so
    holders run one at a time anyway; the row is made if missing.
    """
    if dialect_name(session) == "postgresql":
        await session.execute(_lock_row(column), {"lock_key": key})
    else:
        await insert_new(session, column.table, {column.name: key}, key=[column])


async def hold_rows(session: AsyncSession, column: Column[str], keys: Iterable[str]) -> None:
    """``hold_row`` for several keys in one statement, taken in sorted order (so transactions
    holding overlapping sets queue rather than wait on each other in a cycle)."""
    ordered = sorted(set(keys))
    if len(ordered) == 1:
        await hold_row(session, column, ordered[0])
    elif dialect_name(session) == "postgresql":
        statement = postgresql.insert(column.table).values([{column.name: key} for key in ordered])
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[column], set_={column.name: statement.excluded[column.name]}
            )
        )
    elif ordered:
        await insert_new_rows(session, column.table, [{column.name: key} for key in ordered], key=column)


@functools.lru_cache(maxsize=64)
def _lock_row(column: Column[str]) -> Any:
    """``INSERT INTO t (key) VALUES (:lock_key) ON CONFLICT (key) DO UPDATE SET key = excluded.key``."""
    statement = postgresql.insert(column.table).values({column.name: bindparam("lock_key")})
    return statement.on_conflict_do_update(index_elements=[column], set_={column.name: statement.excluded[column.name]})


def database_unavailable(exc: BaseException) -> bool:
    """Connection-level failures (the server refuses or drops connections, the pool is exhausted,
    SQLite is locked): the request or event may be tried again when the database is back."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout | OSError | ConnectionError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)
