"""Pooled PostgreSQL connections without a ping on every checkout: a connection reused at once
is handed out as it is, and one that waited in the pool is pinged and, if the server dropped it
meanwhile, replaced by a fresh one before the caller sees it."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import text

from labornet_common.platform.db import create_engine


def _pings(engine) -> list[object]:
    dialect = engine.sync_engine.dialect
    calls: list[object] = []
    ping = dialect.do_ping

    def counted(dbapi_connection):
        calls.append(dbapi_connection)
        return ping(dbapi_connection)

    dialect.do_ping = counted
    return calls


async def _backend_pid(engine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


@pytest.fixture
def postgres_url(database_url: str, db_backend: str) -> str:
    if db_backend != "postgresql":
        pytest.skip("a SQLite file has no server that drops connections")
    return database_url


async def test_a_connection_reused_at_once_is_not_pinged(postgres_url: str) -> None:
    engine = create_engine(postgres_url, pool_size=1, idle_ping_s=60.0)
    try:
        pings = _pings(engine)
        pids = {await _backend_pid(engine) for _ in range(5)}
        assert len(pids) == 1  # one pooled connection, used five times
        assert pings == []
    finally:
        await engine.dispose()


async def test_a_connection_dropped_while_idle_is_replaced_before_use(postgres_url: str) -> None:
    engine = create_engine(postgres_url, pool_size=1, idle_ping_s=0.05)
    try:
        pings = _pings(engine)
        first = await _backend_pid(engine)
        admin = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg://", "postgresql://", 1))
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
        finally:
            await admin.close()
        await asyncio.sleep(0.1)
        second = await _backend_pid(engine)  # no error: the ping found it dropped, the pool reconnected
        assert second != first
        assert len(pings) == 1
    finally:
        await engine.dispose()
