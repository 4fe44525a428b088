"""A service started while its database refuses connections waits for it instead of exiting
(a process restarted during an outage comes up with the database); any other start-up failure,
or an outage longer than ``startup_database_wait_s``, still stops it at once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, text
from sqlalchemy.engine import make_url

from labornet_common.platform.db import database_unavailable
from labornet_common.platform.runtime import Runtime, ServiceSpec
from labornet_common.platform.settings import BaseServiceSettings
from labornet_common.testing.messaging import tables
from labornet_common.testing.tcp_proxy import TcpProxy


def _spec(attempts: list[str], *, fail_with: Exception | None = None) -> ServiceSpec[int]:
    async def context(runtime: Runtime[int]) -> int:
        attempts.append("context")
        if fail_with is not None:
            raise fail_with
        async with runtime.engine.connect() as conn:
            return int((await conn.execute(text("SELECT 1"))).scalar_one())

    return ServiceSpec(
        name="startup-test",
        settings_cls=BaseServiceSettings,
        metadata=MetaData(),
        tables=tables,
        migrations_dir=Path("."),
        default_port=0,
        routers=lambda: (),
        context=context,
    )


def _runtime(spec: ServiceSpec[int], url: str, wait_s: float) -> Runtime[int]:
    return Runtime.create(spec, BaseServiceSettings(database_url=url, startup_database_wait_s=wait_s))


@contextlib.contextmanager
def _unreachable(database_url: str) -> Iterator[tuple[str, contextlib.AbstractContextManager[None]]]:
    """A URL to the test's PostgreSQL database behind a TCP proxy that refuses connections while
    the context manager it yields is open (SQLite is a file: no server that could refuse)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        pytest.skip("SQLite is a file in the service's own process: there is no server to refuse connections")
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    try:
        through = url.set(host=proxy.host, port=proxy.port).render_as_string(hide_password=False)
        yield through, proxy.refusing()
    finally:
        proxy.stop()


async def test_a_service_starting_during_an_outage_comes_up_when_the_database_does(database_url: str) -> None:
    attempts: list[str] = []
    with _unreachable(database_url) as (url, outage):
        runtime = _runtime(_spec(attempts), url, wait_s=60)
        try:
            with outage:
                opening = asyncio.create_task(runtime.open())
                await asyncio.sleep(1.5)
                assert not opening.done(), "the start-up gave up while the database refused connections"
            await asyncio.wait_for(opening, 15)
            assert runtime.context == 1
            assert len(attempts) >= 2, attempts
        finally:
            await runtime.close()


async def test_an_outage_longer_than_the_wait_stops_the_start(database_url: str) -> None:
    attempts: list[str] = []
    with _unreachable(database_url) as (url, outage), outage:
        runtime = _runtime(_spec(attempts), url, wait_s=1.0)
        try:
            with pytest.raises(Exception) as raised:
                await asyncio.wait_for(runtime.open(), 15)
            assert database_unavailable(raised.value)
            assert len(attempts) >= 2, attempts
        finally:
            await runtime.close()


async def test_any_other_start_up_failure_is_not_retried(database_url: str) -> None:
    attempts: list[str] = []
    runtime = _runtime(_spec(attempts, fail_with=ValueError("a register row is malformed")), database_url, 60)
    try:
        with pytest.raises(ValueError, match="malformed"):
            await asyncio.wait_for(runtime.open(), 5)
        assert attempts == ["context"]
    finally:
        await runtime.close()
