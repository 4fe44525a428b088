"""Faults under a steady stream of filings through the gateway, every service a real process.

One after another: kill -9 of each service (intake, mediation, arbitration, wage arrears, the
gateway), of intake's worker (the relay that publishes the complaints), of mediation's worker
(the consumer that opens their mediation cases) and of the broker (it comes back empty), each
started again; then, on PostgreSQL, the databases refuse connections for a while (a TCP proxy
of the test's own in front of the server goes away and cuts every connection).

The client files as a careful client does: an Idempotency-Key per complaint, a retry after a
503/502/504 (after its Retry-After) or a connection that broke. Afterwards: every accepted
complaint exists once and has exactly one mediation case, every event intake and mediation
published about it reached wage arrears once and in its case's order, every answered request
has its audit row, and no answer was a 500 (or a 5xx without Retry-After). Prints: filings
sent, accepted, refused (503), lost, duplicated, reordered, missing audit rows.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from labornet_common.platform.broker import EmbeddedBroker, free_port
from labornet_common.testing.api import sign_in
from labornet_common.testing.databases import postgres_base_url
from labornet_common.testing.fault_tally import downstream, rows
from labornet_common.testing.stack import Stack, running_stack
from labornet_common.testing.tcp_proxy import TcpProxy

pytestmark = pytest.mark.slow

# Bounded by count and by time: at most MAX_FILINGS, none sent after the faults are over.
MAX_FILINGS, PER_SECOND = 300, 3.0
DOWN_S, SETTLE_S, OUTAGE_S = 1.0, 3.0, 4.0
GIVE_UP_AFTER_S = 45.0  # one filing's retries
CONVERGE_S = 90.0  # a bound: the wait ends as soon as everything has arrived
STREET = "410311007"  # 科技园街道: complaints there open a mediation case at med-410311007
RETRYABLE = {502, 503, 504}
# The relay: intake's worker publishes the complaints; the consumer: mediation's worker opens
# their cases. Both services' APIs run without relay and consumers (stack ``workers``).
PROCESSES = ["intake", "mediation", "arbitration", "wage-arrears", "gateway", "intake-worker", "mediation-worker"]


def _complaint(marker: str) -> dict:
    return {
        "channel": "online",
        "workplace_division": STREET,
        "worker_name": marker,
        "employer_name": "洛阳某建设有限公司",
        "facts": "2026年9月至10月工资未发放",
        "claims": [{"category": "labor_remuneration", "amount_fen": 150000}],
    }


@dataclass
class Attempt:
    request_id: str
    status: int | None  # None: no answer (the connection failed or broke)
    retry_after: bool = False
    at: float = field(default_factory=time.monotonic)
    error: str = ""  # why there was no answer


@dataclass
class Filing:
    marker: str
    attempts: list[Attempt] = field(default_factory=list)
    case_id: str | None = None


async def _file(client: httpx.AsyncClient, n: int, run: str) -> Filing:
    filing = Filing(marker=f"故障{run}{n:04d}")
    key = f"fault-{run}-{n}"
    give_up = time.monotonic() + GIVE_UP_AFTER_S
    while time.monotonic() < give_up:
        rid = f"fault-{run}-{n}-{len(filing.attempts)}"
        headers = {"Idempotency-Key": key, "x-request-id": rid}
        try:
            r = await client.post("/api/v1/complaints", json=_complaint(filing.marker), headers=headers)
        except httpx.TransportError as exc:
            filing.attempts.append(Attempt(rid, None, error=type(exc).__name__))
            await asyncio.sleep(0.5)
            continue
        filing.attempts.append(Attempt(rid, r.status_code, "retry-after" in r.headers))
        if r.status_code == 201:
            filing.case_id = r.json()["case_id"]
            return filing
        if r.status_code not in RETRYABLE:
            return filing
        await asyncio.sleep(min(float(r.headers.get("retry-after", "1")), 2.0))
    return filing


async def _stream(client: httpx.AsyncClient, until: asyncio.Event, run: str) -> list[Filing]:
    """PER_SECOND filings a second whatever the answers take, until ``until`` or MAX_FILINGS."""
    sent: list[asyncio.Task[Filing]] = []
    while not until.is_set() and len(sent) < MAX_FILINGS:
        sent.append(asyncio.create_task(_file(client, len(sent), run)))
        await asyncio.sleep(1 / PER_SECOND)
    return list(await asyncio.gather(*sent))


def _kill(stack: Stack, name: str) -> None:
    proc = stack.processes[name]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


async def _faults(stack: Stack, broker: EmbeddedBroker, proxy: TcpProxy | None, log: Callable[[str], None]) -> None:
    await asyncio.sleep(SETTLE_S)
    for name in PROCESSES:
        _kill(stack, name)
        await asyncio.sleep(DOWN_S)
        stack.start(name)
        log(f"killed -9 and restarted {name}")
        await asyncio.sleep(SETTLE_S)
    before = broker.cluster_id
    process = broker.process
    assert process is not None
    process.send_signal(signal.SIGKILL)
    await asyncio.to_thread(process.wait)
    await asyncio.sleep(DOWN_S)
    await asyncio.to_thread(broker.start)  # same port, empty, a new cluster id
    assert broker.cluster_id != before
    log("killed -9 and restarted the broker (empty)")
    await asyncio.sleep(SETTLE_S)
    if proxy is None:
        log("database outage: skipped on SQLite (a file, no server that could refuse connections)")
        return
    with proxy.refusing():
        # A process (re)started while the databases refuse connections waits for them and comes
        # up after the outage (Runtime.open); it used to exit with 'Application startup failed'.
        _kill(stack, "mediation")
        stack.start("mediation")
        await asyncio.sleep(OUTAGE_S)
    log(
        f"databases refused connections for {OUTAGE_S:.0f} s (TCP proxy closed, connections cut);"
        " mediation was killed -9 and started again inside the outage"
    )
    await asyncio.sleep(SETTLE_S)


async def _intake_counts(stack: Stack, filings: list[Filing]) -> Counter[str]:
    markers = {f.marker for f in filings}
    return Counter(
        name for (name,) in await rows(stack.databases["intake"], "complaints", "worker_name") if name in markers
    )


async def _audit_missing(client: httpx.AsyncClient, stack: Stack, filings: list[Filing]) -> tuple[int, dict]:
    admin = await sign_in(client, "admin", "admin-demo")
    verify = await client.get("/api/v1/audit/verify", headers=admin)  # drains the journal first
    assert verify.status_code == 200, verify.text
    trail = dict(await rows(stack.databases["gateway"], "audit_log", "request_id", "status"))
    answered = [a for f in filings for a in f.attempts if a.status is not None]
    return sum(trail.get(a.request_id) != a.status for a in answered), verify.json()


async def _converge(stack: Stack, client: httpx.AsyncClient, accepted: list[str]) -> tuple[dict, int]:
    deadline = time.monotonic() + CONVERGE_S
    while True:
        tally = await downstream(stack.databases, accepted)
        try:
            ready = (await client.get("/readyz")).status_code
        except httpx.TransportError:
            ready = 0
        if (ready == 200 and not any(v for k, v in tally.items() if k != "events")) or time.monotonic() > deadline:
            return tally, ready
        await asyncio.sleep(0.5)


def _group_lines(stack: Stack) -> str:
    """What each process said about its consumer groups, the broker and events that came early
    (its last 60 such lines): for a run that did not converge, which consumer was given what to
    read, and when."""
    said = ("the group gave it", "starting afresh", "lost published events", "topics not made", "awaiting redelivery")
    return "\n".join(
        f"{name}: {line[:300]}"
        for name in PROCESSES
        for line in [line for line in stack.log_tail(name, lines=100_000).splitlines() if any(s in line for s in said)][
            -60:
        ]
    )


def _phases(marks: list[tuple[float, str]], filings: list[Filing], started: float) -> list[str]:
    """Each fault with what the client saw until the next one (answers, and why none)."""
    seen: list[Counter[str]] = [Counter() for _ in marks]
    for attempt in (a for f in filings for a in f.attempts):
        phase = max((i for i, (at, _) in enumerate(marks) if at <= attempt.at), default=0)
        seen[phase][str(attempt.status or attempt.error)] += 1
    return [f"{at - started:6.1f}s {line}  {dict(c)}" for (at, line), c in zip(marks, seen, strict=True)]


def _through(proxy: TcpProxy) -> Callable[[str], str]:
    def rewrite(url: str) -> str:
        return make_url(url).set(host=proxy.host, port=proxy.port).render_as_string(hide_password=False)

    return rewrite


async def test_no_fault_loses_duplicates_or_reorders_a_filing(
    db_backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    broker = EmbeddedBroker(port=free_port(), log_path=tmp_path / "broker.log").start()
    proxy = None
    if db_backend == "postgresql":
        server = make_url(str(postgres_base_url()))
        proxy = TcpProxy(server.host or "127.0.0.1", server.port or 5432).start()
    marks: list[tuple[float, str]] = []

    def log(line: str) -> None:
        marks.append((time.monotonic(), line))

    limits = {"LABORNET_ANONYMOUS_FILING_PER_MINUTE": "100000", "LABORNET_ANONYMOUS_FILING_BURST": "1000"}
    try:
        async with (
            running_stack(
                backend=db_backend,
                broker=broker.bootstrap_servers,
                workdir=tmp_path,
                extra_env=limits,
                workers=("intake", "mediation"),
                database_url_for=_through(proxy) if proxy else None,
            ) as stack,
            httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client,
        ):
            log("stack ready")
            done = asyncio.Event()
            stream = asyncio.create_task(_stream(client, done, uuid.uuid4().hex[:6]))
            try:
                await _faults(stack, broker, proxy, log)
            finally:
                done.set()
                filings = await stream
            log("filings answered")
            accepted = [f.case_id for f in filings if f.case_id]
            tally, ready = await _converge(stack, client, accepted)
            log("converged" if ready == 200 else f"not converged (readyz {ready})")
            in_intake = await _intake_counts(stack, filings)
            missing_audit, verify = await _audit_missing(client, stack, filings)
            statuses = Counter(a.status for f in filings for a in f.attempts)
            no_retry_after = sum(1 for f in filings for a in f.attempts if a.status in RETRYABLE and not a.retry_after)
            lost = (
                sum(1 for f in filings if f.case_id and in_intake[f.marker] == 0)
                + tally["complaints without a mediation case"]
                + tally["events lost before wage arrears"]
            )
            duplicated = (
                sum(n - 1 for n in in_intake.values())
                + tally["duplicated mediation cases"]
                + tally["events applied twice"]
            )
            counts = {
                "filings sent": len(filings),
                "accepted": len(accepted),
                "refused(503)": statuses[503],
                "other retryable (502/504)": statuses[502] + statuses[504],
                "unanswered attempts": statuses[None],
                "given up": sum(1 for f in filings if not f.case_id),
                "lost": lost,
                "duplicated": duplicated,
                "reordered": tally["events applied out of order"],
                "missing audit rows": missing_audit,
                "500s": statuses[500],
            }
            with capsys.disabled():  # the counts belong in CI's output
                print(f"\nfault suite ({db_backend}):\n  " + "\n  ".join(_phases(marks, filings, started)))
                print(f"  {counts}\n  downstream: {tally}\n  statuses: {dict(statuses)}")
            assert ready == 200, stack.log_tail("gateway")
            assert (lost, duplicated, counts["reordered"], missing_audit) == (0, 0, 0, 0), (
                counts,
                tally,
                _group_lines(stack),
            )
            # A filing given up: each attempt's answer (or why none) and when, from the run's start.
            given_up = {
                f.marker: [(round(a.at - started, 1), a.status or a.error) for a in f.attempts]
                for f in filings
                if not f.case_id
            }
            assert counts["given up"] == 0, (counts, given_up)
            assert set(statuses) <= {201, *RETRYABLE, None} and no_retry_after == 0, statuses
            assert verify["ok"] and verify["unrecorded"] == 0, verify
            assert len(accepted) == len(filings) >= 60, counts
            if proxy is not None:
                assert statuses[503] > 0, statuses  # the outage was seen, as 503 + Retry-After
    finally:
        broker.stop()
        if proxy is not None:
            proxy.stop()
