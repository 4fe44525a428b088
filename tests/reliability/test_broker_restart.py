"""The embedded broker killed (-9) in the middle of a stream of filings and a fresh, empty one
started on the same port: every service is a real process behind the gateway.

Afterwards every accepted complaint has exactly one mediation case, every intake and mediation
event reached wage arrears (the case's facts are there), and the gateway is ready again with
no relay still resending. Prints ``accepted / lost / duplicated / reordered`` counts (0 lost,
0 duplicated, 0 reordered). On the code before relays and consumers watched the broker, the
complaints filed around the kill never reached mediation, and the events already consumed
before it were never read again by a consumer that had not seen them.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import MetaData, Table, select

from labornet_common.platform.broker import EmbeddedBroker, free_port
from labornet_common.platform.db import create_engine
from labornet_common.testing.stack import Stack, running_stack

pytestmark = pytest.mark.slow

FILINGS, SPAN_S, KILL_AT = 60, 20.0, 25
STREET = "410311007"  # 科技园街道: complaints there open a mediation case at med-410311007
OPENED = "cn.labornet.mediation.case.opened.v1"
WAGE_ARREARS_CONSUMER = "wage-arrears.cases"


def _complaint(i: int) -> dict:
    return {
        "channel": "online",
        "workplace_division": STREET,
        "worker_name": f"工人{i:03d}",
        "employer_name": f"洛阳某建设有限公司{i % 7}",
        "facts": "2026年9月至10月工资未发放",
        "claims": [{"category": "labor_remuneration", "amount_fen": 100000 + i}],
    }


async def _file_while_killing(client: httpx.AsyncClient, broker: EmbeddedBroker) -> tuple[list[str], Counter]:
    """FILINGS filings, one every SPAN_S / FILINGS seconds whatever the answers take; the broker
    is killed and replaced after KILL_AT of them were sent (some are in flight then)."""

    async def file(i: int) -> httpx.Response:
        return await client.post("/api/v1/complaints", json=_complaint(i))

    sent: list[asyncio.Task[httpx.Response]] = []
    for i in range(FILINGS):
        if i == KILL_AT:
            before = broker.cluster_id
            broker.process.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
            await asyncio.to_thread(broker.process.wait)  # type: ignore[union-attr]
            await asyncio.to_thread(broker.start)  # same port, empty
            assert broker.cluster_id != before
        sent.append(asyncio.create_task(file(i)))
        await asyncio.sleep(SPAN_S / FILINGS)
    answers = await asyncio.gather(*sent)
    accepted = [r.json()["case_id"] for r in answers if r.status_code == 201]
    return accepted, Counter(r.status_code for r in answers if r.status_code != 201)


async def _rows(url: str, table: str, *columns: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            t = await conn.run_sync(lambda sync: Table(table, MetaData(), autoload_with=sync))
            return [tuple(r) for r in await conn.execute(select(*(t.c[c] for c in columns)))]
    finally:
        await engine.dispose()


async def _tally(stack: Stack, accepted: list[str]) -> dict[str, int]:
    db = stack.databases
    cases = set(accepted)
    opened = Counter(k for k, t in await _rows(db["mediation"], "outbox", "partition_key", "event_type") if t == OPENED)
    mediated = {c for (c,) in await _rows(db["mediation"], "mediation_cases", "case_id")}
    sent = [
        (event_id, key)
        for name in ("intake", "mediation")
        for event_id, key in await _rows(db[name], "outbox", "event_id", "partition_key")
        if key in cases
    ]
    columns = ("consumer", "event_id", "source", "stream_id", "sequence", "processed_at")
    inbox = await _rows(db["wage-arrears"], "inbox", *columns)
    reached = Counter(e for consumer, e, *_ in inbox if consumer == WAGE_ARREARS_CONSUMER)
    facts = {c for (c,) in await _rows(db["wage-arrears"], "wa_cases", "case_id")}
    return {
        "accepted": len(accepted),
        "complaints without a mediation case": len(cases - mediated),
        "duplicated mediation cases": sum(n - 1 for c, n in opened.items() if c in cases and n > 1),
        "events": len(sent),
        "events lost before wage arrears": sum(1 for e, _ in sent if e not in reached),
        "events applied twice": sum(1 for e, _ in sent if reached[e] > 1),
        "events applied out of order": _reordered([r for r in inbox if r[0] == WAGE_ARREARS_CONSUMER]),
        "cases without their facts in wage arrears": len(cases - facts),
    }


def _reordered(inbox: list[tuple]) -> int:
    """Per (source, case) stream, in the order applied, a sequence other than the next one."""
    last: dict[tuple[str, str], int] = {}
    out = 0
    for _consumer, _event, source, stream, sequence, _at in sorted(inbox, key=lambda r: (r[5], r[4])):
        out += sequence != last.get((source, stream), 0) + 1
        last[(source, stream)] = sequence
    return out


def _warnings(stack: Stack, lines: int = 30) -> str:
    """What the services warned of (a run that did not converge says why)."""
    out = []
    for name in ("intake", "mediation", "wage-arrears"):
        said = [
            line
            for line in stack.log_tail(name, 4000).splitlines()
            if '"level": "warning"' in line or '"level": "error"' in line
        ]
        out.append(f"-- {name}: {len(said)} warnings and errors, the last {lines}:")
        out += [line[:400] for line in said[-lines:]]
    return "\n".join(out)


async def _converged(stack: Stack, accepted: list[str], client: httpx.AsyncClient, timeout_s: float) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        tally = await _tally(stack, accepted)
        ready = await client.get("/readyz")
        missing = sum(v for k, v in tally.items() if k not in ("accepted", "events"))
        if (missing == 0 and ready.status_code == 200) or time.monotonic() > deadline:
            return {"tally": tally, "ready": ready.json()}
        await asyncio.sleep(0.5)


async def test_a_broker_killed_mid_filing_strands_no_event(
    db_backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broker = EmbeddedBroker(port=free_port(), log_path=tmp_path / "broker.log").start()
    # Out of the way: a rate alone still refuses requests that queue on SQLite's write lock
    # behind later ones for more than its burst of intervals (the check reads the clock first).
    limits = {"LABORNET_ANONYMOUS_FILING_PER_MINUTE": "100000", "LABORNET_ANONYMOUS_FILING_BURST": "1000"}
    try:
        async with (
            running_stack(
                backend=db_backend, broker=broker.bootstrap_servers, workdir=tmp_path, extra_env=limits
            ) as stack,
            httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client,
        ):
            started = time.monotonic()
            accepted, refused = await _file_while_killing(client, broker)
            filed = time.monotonic()
            state = await _converged(stack, accepted, client, timeout_s=45)
            tally = state["tally"]
            with capsys.disabled():  # the counts belong in CI's output
                print(
                    f"\nbroker killed after {KILL_AT} of {FILINGS} filings ({db_backend}): {tally}; "
                    f"refused: {dict(refused)}; filing {filed - started:.1f}s, "
                    f"converged {time.monotonic() - filed:.1f}s later"
                )
            assert (tally["accepted"], refused) == (FILINGS, Counter())  # the outage refuses no filing
            assert {k: v for k, v in tally.items() if k not in ("accepted", "events")} == dict.fromkeys(
                [k for k in tally if k not in ("accepted", "events")], 0
            ), f"{tally}\n{_warnings(stack)}"
            services = state["ready"]["services"]
            assert state["ready"]["ready"], services
            assert all(s.get("outbox", "ok") == "ok" for s in services.values()), services
            relays = "\n".join(stack.log_tail(n, 400) for n in ("intake", "mediation"))
            assert "the broker lost published events" in relays  # the relays noticed the new broker
    finally:
        broker.stop()
