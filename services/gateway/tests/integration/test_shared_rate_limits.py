"""The database-backed limit holds across gateway replicas: two limiters on one database
(two engines, as two replicas would have) let through one burst between them, not two."""

from __future__ import annotations

import asyncio

import pytest

from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_gateway.adapters.ratelimit_store import SharedRateLimiter
from labornet_gateway.main import SPEC


@pytest.fixture
async def replicas(database_url: str):
    engines = [create_engine(database_url) for _ in range(2)]
    await upgrade_to_head(engines[0], SPEC.migrations_dir)
    now = [1_000_000.0]
    limiters = [
        SharedRateLimiter(session_factory(e), name="anonymous_filing", per_minute=6, burst=5, clock=lambda: now[0])
        for e in engines
    ]
    yield limiters, now
    for engine in engines:
        await engine.dispose()


async def test_concurrent_requests_on_two_replicas_share_one_burst(replicas) -> None:
    limiters, _ = replicas
    answers = await asyncio.gather(*(limiters[n % 2].retry_after("203.0.113.7") for n in range(20)))
    assert sum(wait is None for wait in answers) == 5
    assert {wait for wait in answers if wait is not None} == {10}


async def test_clients_are_counted_apart_and_forgiven_over_time(replicas) -> None:
    limiters, now = replicas
    for _ in range(5):
        assert await limiters[0].retry_after("198.51.100.1") is None
    assert await limiters[1].retry_after("198.51.100.1") == 10
    assert await limiters[1].retry_after("198.51.100.2") is None
    now[0] += 10
    assert await limiters[1].retry_after("198.51.100.1") is None


async def test_prune_forgets_only_clients_whose_time_has_passed(replicas) -> None:
    limiters, now = replicas
    await limiters[0].retry_after("old")
    now[0] += 3600
    await limiters[0].retry_after("recent")
    await limiters[0].retry_after("recent")
    assert await limiters[0].prune() == 1
    assert await limiters[0].retry_after("recent") is None  # still counted: 3 of 5 used


async def test_an_allowed_request_costs_one_statement(database_url: str) -> None:
    from sqlalchemy import event

    engine = create_engine(database_url)
    await upgrade_to_head(engine, SPEC.migrations_dir)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    sent = lambda: [s for s in statements if not s.startswith("BEGIN")]  # noqa: E731  (SQLite's BEGIN IMMEDIATE)
    now = [1_000_000.0]
    limiter = SharedRateLimiter(session_factory(engine), name="sign_in", per_minute=6, burst=2, clock=lambda: now[0])
    try:
        assert await limiter.retry_after("192.0.2.1") is None  # a new client
        assert await limiter.retry_after("192.0.2.1") is None  # a known one
        assert len(sent()) == 2, sent()
        assert await limiter.retry_after("192.0.2.1") == 10  # refused: the time is read back for Retry-After
        now[0] += 10
        assert await limiter.retry_after("192.0.2.1") is None
    finally:
        await engine.dispose()


async def test_a_request_that_waited_for_the_row_is_judged_at_the_time_it_got_it(replicas) -> None:
    """A request's time is read before it waits for the client's row; requests that came later
    may take the row first and move the client's time on by more than the burst lasts. That
    request is then judged again at the time it got the row, not refused for having waited."""
    limiters, now = replicas
    for _ in range(5):  # the burst, used up at 1_000_000 (the client's time is 1_000_050)
        assert await limiters[0].retry_after("203.0.113.9") is None
    now[0] += 60  # a minute on: every request forgiven, the time passed
    times = iter([now[0] - 55, now[0], now[0]])  # read 55 s before it got the row, then now

    waited = SharedRateLimiter(
        limiters[1]._sessions, name="anonymous_filing", per_minute=6, burst=5, clock=lambda: next(times)
    )
    assert await waited.retry_after("203.0.113.9") is None
