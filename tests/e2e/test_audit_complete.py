"""An audit trail without gaps, end to end (every service a real process, all through the gateway).

Every answer the gateway gives has its audit row: its own 500s, early refusals (a NUL in a
query, a bad token), 50 requests at once; filings answered while the gateway's database
refuses connections, by a gateway then killed with SIGKILL, are in the trail once a new
gateway process has drained the journal they left (it is not ready before). ``/audit/verify``
names an injected gap.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from labornet_common.platform.db import create_engine
from labornet_common.testing.api import eventually, sign_in
from labornet_common.testing.databases import postgres_base_url
from labornet_common.testing.intake_support import complaint_body
from labornet_common.testing.stack import Stack, running_stack

pytestmark = pytest.mark.slow


async def _query(stack: Stack, sql: str, **params: object) -> list[tuple]:
    engine = create_engine(stack.databases["gateway"])
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(sql), params)
            return [tuple(r) for r in result.all()] if result.returns_rows else []
    finally:
        await engine.dispose()


async def _trail(stack: Stack) -> dict[str, int]:
    return {rid: status for rid, status in await _query(stack, "SELECT request_id, status FROM audit_log")}


def _rid(label: str) -> dict[str, str]:
    return {"x-request-id": f"e2e-{label}-{uuid.uuid4().hex[:8]}"}


async def _verify(client: httpx.AsyncClient, admin: dict) -> dict:
    r = await client.get("/api/v1/audit/verify", headers=admin)
    assert r.status_code == 200, r.text
    return r.json()


async def _own_500_and_early_refusals(client: httpx.AsyncClient, stack: Stack, admin: dict) -> None:
    # A stored schedule the gateway cannot read back: its calendar API fails with its own 500.
    await _query(
        stack,
        "INSERT INTO holiday_schedule_versions (year, version, notice, days, entered_by, entered_at) "
        "VALUES (2031, 1, 'broken', '{\"not\": \"a list\"}', 'e2e', CURRENT_TIMESTAMP)",
    )
    answers = {
        "500": await client.get("/api/v1/calendar/years/2031", headers={**admin, **_rid("500")}),
        "nul": await client.get("/api/v1/complaints", params={"q": "a\x00b"}, headers=_rid("nul")),
        "token": await client.get("/api/v1/complaints", headers={"Authorization": "Bearer forged", **_rid("tok")}),
    }
    assert [a.status_code for a in answers.values()] == [500, 422, 401]
    await _verify(client, admin)  # drains this gateway's journal first
    trail = await _trail(stack)
    for answer in answers.values():
        assert trail.get(answer.request.headers["x-request-id"]) == answer.status_code


async def _fifty_at_once(client: httpx.AsyncClient, stack: Stack, clerk: dict, admin: dict) -> None:
    async def one(n: int) -> httpx.Response:
        return await client.get(f"/api/v1/complaints/{uuid.uuid4()}", headers={**clerk, **_rid(f"c{n}")})

    answers = await asyncio.gather(*(one(n) for n in range(50)))
    report = await _verify(client, admin)
    assert report["ok"] and report["gaps"] == [] and report["unrecorded"] == 0, report
    trail = await _trail(stack)
    assert all(trail.get(a.request.headers["x-request-id"]) == a.status_code for a in answers)
    seqs = [s for (s,) in await _query(stack, "SELECT seq FROM audit_log ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1)) and report["checked"] == report["head_seq"] >= 50


@asynccontextmanager
async def _database_refusing(stack: Stack, backend: str) -> AsyncIterator[None]:
    """The gateway's database refuses connections (PostgreSQL) or holds every writer off (SQLite)."""
    if backend == "postgresql":
        name = make_url(stack.databases["gateway"]).database
        admin = await asyncpg.connect(postgres_base_url())
        try:
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
            yield
        finally:
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            await admin.close()
        return
    # SQLite has no server to refuse a connection. Holding its write lock instead makes writers
    # wait out the busy timeout (30 s), as long as a client's patience, so the outcome would be a
    # race: on SQLite the gateway is only killed right after answering (the journal part).
    yield


def _gateway_env(stack: Stack, broker: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABORNET_")}
    env.update(
        {
            "LABORNET_KAFKA_BOOTSTRAP_SERVERS": broker,
            "LABORNET_ENVIRONMENT": "test",
            "LABORNET_LOG_JSON": "true",
            "LABORNET_DATABASE_URL": stack.databases["gateway"],
            "LABORNET_DATA_DIR": str(stack.data_dirs["gateway"]),
            "LABORNET_PORT": str(make_url(stack.gateway.replace("http", "postgresql", 1)).port),
            **{f"LABORNET_{n.upper().replace('-', '_')}_URL": u for n, u in stack.urls.items() if n != "gateway"},
        }
    )
    return env


async def _restart_gateway(stack: Stack, broker: str) -> None:
    log = stack.logs["gateway"].open("ab")
    stack.processes["gateway"] = subprocess.Popen(  # noqa: ASYNC220 - starting is instant
        [sys.executable, "-m", "labornet_common.platform.cli", "serve", "gateway"],
        env=_gateway_env(stack, broker),
        stdout=log,
        stderr=log,
    )
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=3) as probe:

        async def ready() -> int:
            try:
                return (await probe.get("/readyz/self")).status_code
            except httpx.HTTPError:
                return 0

        assert await eventually(ready, lambda s: s == 200, timeout_s=30) == 200, stack.log_tail("gateway")


async def _not_ready(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=3) as probe:
        readiness = (await probe.get("/readyz/self")).json()
    assert readiness["ready"] is False and readiness["audit_journal"].startswith("draining"), readiness


async def _filings_through_an_outage_then_kill(
    client: httpx.AsyncClient, stack: Stack, backend: str, broker: str, clerk: dict
) -> list[httpx.Response]:
    answers = []
    async with _database_refusing(stack, backend):
        for n in range(8):
            body = complaint_body(employer_name=f"审计断库测试公司{n}")
            answers.append(await client.post("/api/v1/complaints", json=body, headers={**clerk, **_rid(f"f{n}")}))
        if backend == "postgresql":
            await asyncio.sleep(5.5)  # sequencer.STUCK_AFTER_S: the journal cannot drain, the gateway is not ready
            await _not_ready(stack)
        os.kill(stack.processes["gateway"].pid, signal.SIGKILL)  # right after answering
        stack.processes["gateway"].wait()
    assert all(a.status_code in (201, 503) for a in answers), [a.text for a in answers]
    assert sum(a.status_code == 201 for a in answers) >= 4, [a.status_code for a in answers]
    await _restart_gateway(stack, broker)  # ready only once the journal left behind is drained
    assert (await client.get("/readyz/self")).json()["audit_journal"] == "ok"
    return answers


async def _gap_is_reported(client: httpx.AsyncClient, stack: Stack, admin: dict) -> None:
    (middle,) = (await _query(stack, "SELECT MAX(seq) / 2 FROM audit_log"))[0]
    await _query(stack, "DELETE FROM audit_log WHERE seq = :seq", seq=middle)
    report = await _verify(client, admin)
    assert not report["ok"] and report["missing"] == 1
    assert report["gaps"] == [{"first": middle, "last": middle}] and report["broken_at"] == middle


async def test_every_answered_request_is_in_the_trail(db_backend: str, broker: str, tmp_path: Path) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
            admin = await sign_in(client, "admin", "admin-demo")
            clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
            await _own_500_and_early_refusals(client, stack, admin)
            await _fifty_at_once(client, stack, clerk, admin)
            answers = await _filings_through_an_outage_then_kill(client, stack, db_backend, broker, clerk)
            trail = await _trail(stack)  # the new gateway is ready: the old one's journal is drained
            for answer in answers:
                rid = answer.request.headers["x-request-id"]
                assert trail.get(rid) == answer.status_code or answer.status_code == 503, (rid, answer.text)
            report = await _verify(client, admin)
            assert report["ok"] and report["unrecorded"] == 0, report
            await _gap_is_reported(client, stack, admin)
