"""Filing side by side with bare baselines: CPU ms per request per process, ratios, latency.

    python bench/filing.py [--requests N] [--rounds R] [--concurrency C]
                           [--backends sqlite,postgresql] [--targets LIST] [--no-save]
                           [--open-rates 5,10,20,50,100,200 [--open-seconds S]]

One run starts the real LaborNet stack (every service its own ``labornet serve`` process, as
``running_stack`` starts them for the end-to-end tests), a bare FastAPI app on its own database
of the same backend, and a bare httpx proxy in front of it (bench/bare_service.py), all served
by uvicorn the same way. It then runs every target, interleaved, ``--rounds`` times, so that
whatever else loads this shared machine falls on all of them alike. Ratios to the baselines
are the headline, not the absolute figures.

CPU time is the process's own (utime + stime from ``/proc/<pid>/stat``, every thread), net of
idle: each process's idle rate is measured first, with nothing sent, and subtracted for the
length of each phase. PostgreSQL is counted per backend process serving the bench's databases
(pids from ``pg_stat_activity``), the shared server's background processes are not. A filing
phase ends when the last complaint's mediation case is visible and the stack is quiet again,
so the consumers' work for the filings (mediation, arbitration, wage arrears, the gateway's
case index and webhooks) is in the figures.

With ``--open-rates`` the run ends with filings sent open loop, at each rate in turn, and prints
the highest rate the stack held (no failure, no backlog, the mediation case visible in time).

With ``--drain N`` each service's consumers are measured on a backlog: the service is paused
(SIGSTOP) while N filings go straight to intake, then resumed, and the bench prints the events
its consumers applied, events/s from the first to the last applied, and CPU ms per event (the
service and its PostgreSQL backends, net of idle). Intake's backlog is the other services'
answers to mediation's drained backlog: intake is paused before mediation is resumed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from tables import append_results, percentile

from labornet_common.platform.broker import EmbeddedBroker, free_ports
from labornet_common.security.auth import Principal, Role
from labornet_common.standards import id_check_char
from labornet_common.testing.api import sign_in
from labornet_common.testing.databases import POSTGRES_ENV, _asyncpg_dsn, fresh_database, postgres_base_url
from labornet_common.testing.inprocess import assertion
from labornet_common.testing.intake_support import complaint_body
from labornet_common.testing.stack import running_stack

HERE = Path(__file__).resolve().parent
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
SERVICES = ("gateway", "intake", "mediation", "arbitration", "wage-arrears")
# Connections idle longer than this are not reused: uvicorn closes them at 5 s, and a request
# sent on one it is closing fails without an answer (the gateway's upstream client does the same).
KEEPALIVE_S = 2.0
CLERK = Principal(subject="bench-clerk", roles=frozenset({Role.clerk}), region_scopes=("4103",))
MEDIATOR = Principal(subject="bench-mediator", roles=frozenset({Role.mediator}), region_scopes=("4103",))


# --- process CPU and memory from /proc ------------------------------------------------------
def cpu_ms(pid: int) -> float:
    """utime + stime of every thread of ``pid`` so far; 0 when it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) * TICK_MS  # fields 14 and 15 of proc(5)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return math.nan


@dataclass
class Processes:
    """Named groups of pids; PostgreSQL groups are looked up again at each snapshot."""

    fixed: dict[str, list[int]]
    pg_databases: dict[str, list[str]] = field(default_factory=dict)  # group -> database names
    pg_dsn: str | None = None

    async def pg_pids(self) -> dict[str, list[int]]:
        if not self.pg_databases or self.pg_dsn is None:
            return {}
        conn = await asyncpg.connect(self.pg_dsn)
        try:
            rows = await conn.fetch(
                "SELECT pid, datname FROM pg_stat_activity WHERE datname = ANY($1::text[]) AND pid <> pg_backend_pid()",
                [name for names in self.pg_databases.values() for name in names],
            )
        finally:
            await conn.close()
        found: dict[str, list[int]] = {group: [] for group in self.pg_databases}
        for row in rows:
            for group, names in self.pg_databases.items():
                if row["datname"] in names:
                    found[group].append(row["pid"])
        return found

    async def snapshot(self) -> dict[str, dict[int, float]]:
        groups = {**self.fixed, **await self.pg_pids()}
        return {group: {pid: cpu_ms(pid) for pid in pids} for group, pids in groups.items()}

    @property
    def groups(self) -> list[str]:
        return [*self.fixed, *self.pg_databases]


def spent(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    """CPU ms per group between two snapshots; a backend that appeared in between counts whole."""
    out: dict[str, float] = {}
    for group, pids in after.items():
        earlier = before.get(group, {})
        out[group] = sum(ms - earlier.get(pid, 0.0) for pid, ms in pids.items())
    return out


# --- targets ----------------------------------------------------------------------------------
@dataclass
class Target:
    name: str
    groups: list[str]  # the process groups that serve it
    send: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]
    settle: Callable[[], Awaitable[None]] | None = None  # waits for the asynchronous work
    ok: frozenset[int] = frozenset({200, 201})


@dataclass
class Phase:
    requests: int
    failed: int
    elapsed_s: float
    latencies_ms: list[float]
    cpu_ms: dict[str, float]
    # service -> counter -> increase over the phase (statements, pool checkouts, events consumed)
    round_trips: dict[str, dict[str, float]] = field(default_factory=dict)


# what the bench reads off each service's /metrics (summed over labels)
SCRAPED = {
    "statements": "labornet_db_statements_total",
    "checkouts": "labornet_db_checkouts_total",
    "consumed": "labornet_consumer_events_total",
    "lag": "labornet_consumer_lag_events",
}


async def scrape_counters(urls: dict[str, str]) -> dict[str, dict[str, float]]:
    """Each service's round-trip counters from its /metrics (summed over labels)."""
    found: dict[str, dict[str, float]] = {}
    async with httpx.AsyncClient(timeout=10) as client:
        for name, url in urls.items():
            text = (await client.get(f"{url}/metrics")).text
            totals = dict.fromkeys(SCRAPED, 0.0)
            for line in text.splitlines():
                for key, metric in SCRAPED.items():
                    if line.startswith((metric + " ", metric + "{")):
                        totals[key] += float(line.rsplit(" ", 1)[1])
            found[name] = totals
    return found


def id_number(n: int) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n // 900)
    first17 = f"410302{birth:%Y%m%d}{100 + n % 900:03d}"
    return first17 + id_check_char(first17)


def filing(n: int, employers: int) -> dict[str, Any]:
    """A window filing by its own worker against one of ``employers`` employers."""
    return complaint_body(
        channel="window",
        worker_name=f"工人{n}",
        worker_id_number=id_number(n),
        worker_phone=f"138{n % 100_000_000:08d}",
        employer_name=f"洛阳基准测试第{n % employers}建筑工程有限公司",
    )


class Profiler:
    """py-spy (``--py-spy PATH``) sampling the LaborNet services through a filing phase.

    Raw (collapsed) stacks land in ``--profile-dir``; the summary prints the frames that take
    the most samples, inclusive, per service. py-spy is not a dependency of the project:
    ``pip install --target DIR py-spy`` gives a binary under ``DIR/bin``.
    """

    def __init__(self, binary: str, out_dir: Path, processes: Processes) -> None:
        self.binary, self.out_dir, self.processes = binary, out_dir, processes
        self.running: list[tuple[subprocess.Popen[bytes], Path]] = []
        self.files: dict[str, list[Path]] = {}
        out_dir.mkdir(parents=True, exist_ok=True)

    def start(self, label: str, names: tuple[str, ...] = SERVICES, *, summarised: bool = True) -> None:
        """Sample ``names``; with ``summarised`` False the stacks are only written (a drain's)."""
        for name in names:
            out = self.out_dir / f"{label}-{name}-{len(self.files.get(name, []))}.txt"
            command = [self.binary, "record", "--nonblocking", "-r", "200", "-f", "raw", "-o", str(out)]
            command += ["-p", str(self.processes.fixed[name][0])]
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.running.append((proc, out))
            if summarised:
                self.files.setdefault(name, []).append(out)

    def stop(self) -> None:
        for proc, _out in self.running:
            proc.send_signal(2)  # SIGINT: py-spy writes its file and exits
        for proc, _out in self.running:
            proc.wait(timeout=30)
        self.running.clear()

    def summary(self, top: int = 25) -> list[str]:
        lines = ["", "py-spy: share of samples per frame (inclusive), filing phases", ""]
        for name, files in self.files.items():
            inclusive: dict[str, int] = {}
            total = 0
            for path in files:
                if not path.exists():
                    continue
                for row in path.read_text().splitlines():
                    stack, _, count = row.rpartition(" ")
                    n = int(count)
                    total += n
                    for frame in set(stack.split(";")[1:]):  # the first frame is the thread
                        inclusive[frame] = inclusive.get(frame, 0) + n
            lines.append(f"{name}: {total} samples")
            for frame, n in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]:
                lines.append(f"  {100 * n / max(total, 1):5.1f}%  {frame}")
        return lines


async def run_phase(
    target: Target,
    processes: Processes,
    idle: dict[str, float],
    *,
    start: int,
    count: int,
    concurrency: int,
    profiler: Profiler | None = None,
    scrape: Callable[[], Awaitable[dict[str, dict[str, float]]]] | None = None,
) -> Phase:
    latencies: list[float] = []
    failed = 0
    numbers = iter(range(start, start + count))
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=KEEPALIVE_S
    )
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def worker() -> None:
            nonlocal failed
            for n in numbers:
                began = time.perf_counter()
                r = await target.send(client, n)
                latencies.append((time.perf_counter() - began) * 1000)
                if r.status_code not in target.ok:
                    failed += 1
                    if failed <= 3:
                        print(f"  {target.name}: {r.status_code} {r.text[:300]}", file=sys.stderr)

        profiled = profiler if target.settle is not None else None
        if profiled is not None:
            profiled.start(target.name.split(":")[1].strip().replace(" ", "-"))
        counted = await scrape() if scrape is not None and target.settle is not None else None
        before = await processes.snapshot()
        t0 = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - t0
        if target.settle is not None:
            await target.settle()
        after = await processes.snapshot()
        if profiled is not None:
            profiled.stop()
        window = time.monotonic() - t0
        trips: dict[str, dict[str, float]] = {}
        if counted is not None and scrape is not None:
            later = await scrape()
            trips = {n: {k: later[n][k] - counted[n][k] for k in later[n]} for n in later}
    used = spent(before, after)
    net = {g: used.get(g, 0.0) - idle.get(g, 0.0) * window for g in processes.groups}
    return Phase(count, failed, elapsed, latencies, net, trips)


async def measure_idle(processes: Processes, seconds: float) -> dict[str, float]:
    before = await processes.snapshot()
    t0 = time.monotonic()
    await asyncio.sleep(seconds)
    after = await processes.snapshot()
    window = time.monotonic() - t0
    return {g: ms / window for g, ms in spent(before, after).items()}


async def wait_quiet(processes: Processes, groups: list[str], idle: dict[str, float], timeout_s: float = 20) -> None:
    """Until two 0.3 s windows in a row use no more than idle plus a tick per process."""
    deadline = time.monotonic() + timeout_s
    calm = 0
    while time.monotonic() < deadline and calm < 2:
        before = await processes.snapshot()
        t0 = time.monotonic()
        await asyncio.sleep(0.3)
        used = spent(before, await processes.snapshot())
        window = time.monotonic() - t0
        busy = sum(used.get(g, 0.0) - idle.get(g, 0.0) * window for g in groups)
        calm = calm + 1 if busy <= TICK_MS * len(groups) else 0


# --- the run ----------------------------------------------------------------------------------
async def start_bare(kind: str, port: int, workdir: Path, **options: str) -> subprocess.Popen[bytes]:
    args = [sys.executable, str(HERE / "bare_service.py"), kind, "--port", str(port)]
    for key, value in options.items():
        args += [f"--{key}", value]
    log = (workdir / f"bare-{kind}.log").open("ab")
    proc = subprocess.Popen(args, stdout=log, stderr=log)  # noqa: ASYNC220 - starting is instant
    async with httpx.AsyncClient(timeout=2) as client:
        for _ in range(150):
            if proc.poll() is not None:
                raise RuntimeError(f"bare {kind} exited: {(workdir / f'bare-{kind}.log').read_text()[-2000:]}")
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return proc
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(f"bare {kind} not ready")


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?", 1)[0]


async def run_backend(backend: str, args: argparse.Namespace, broker: EmbeddedBroker, workdir: Path) -> list[str]:
    bare_port, proxy_port = free_ports(2)
    bare_url, proxy_url = f"http://127.0.0.1:{bare_port}", f"http://127.0.0.1:{proxy_port}"
    stack_dir = workdir / f"stack-{backend}"
    stack_dir.mkdir()
    async with fresh_database(backend, workdir) as bare_db:
        bare = await start_bare("app", bare_port, workdir, database=bare_db)
        proxy = await start_bare("proxy", proxy_port, workdir, upstream=bare_url)
        try:
            async with running_stack(
                backend=backend, broker=broker.bootstrap_servers, workdir=stack_dir, extra_env=args.stack_env
            ) as stack:
                return await _measure(backend, args, broker, stack, bare, proxy, bare_url, proxy_url, bare_db)
        finally:
            for proc in (proxy, bare):
                proc.terminate()
                proc.wait(timeout=15)


async def _measure(
    backend: str,
    args: argparse.Namespace,
    broker: EmbeddedBroker,
    stack: Any,
    bare: subprocess.Popen[bytes],
    proxy: subprocess.Popen[bytes],
    bare_url: str,
    proxy_url: str,
    bare_db: str,
) -> list[str]:
    assert broker.process is not None
    fixed = {name: [proc.pid] for name, proc in stack.processes.items()}
    fixed |= {"tansu": [broker.process.pid], "bare-app": [bare.pid], "bare-proxy": [proxy.pid]}
    processes = Processes(fixed=fixed)
    if backend == "postgresql":
        base = postgres_base_url()
        assert base is not None
        processes.pg_dsn = _asyncpg_dsn(base)
        processes.pg_databases = {
            "pg:labornet": [database_name(stack.databases[n]) for n in SERVICES],
            "pg:bare": [database_name(bare_db)],
        }
    labornet = [*SERVICES, "tansu"] + (["pg:labornet"] if backend == "postgresql" else [])
    bare_groups = ["bare-app"] + (["pg:bare"] if backend == "postgresql" else [])
    gateway, intake, mediation = stack.gateway, stack.urls["intake"], stack.urls["mediation"]

    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
    payload = {"worker_name": "王师傅", "facts": "2026年8月至10月工资未发放", "amount_fen": 1_860_000}
    idle = {g: 0.0 for g in processes.groups}  # measured after the warm-up
    last_case: dict[str, str] = {}
    read_ids: dict[str, str] = {}

    async def remember(r: httpx.Response) -> httpx.Response:
        if r.status_code in (200, 201):
            last_case["id"] = r.json()["case_id"]
        return r

    async def via_gateway(c: httpx.AsyncClient, n: int) -> httpx.Response:
        headers = {**clerk, "Idempotency-Key": f"bench-{uuid.uuid4().hex}"}
        return await remember(
            await c.post(f"{gateway}/api/v1/complaints", json=filing(n, args.employers), headers=headers)
        )

    async def to_intake(c: httpx.AsyncClient, n: int) -> httpx.Response:
        headers = {**assertion(CLERK), "Idempotency-Key": f"bench-{uuid.uuid4().hex}"}
        return await remember(
            await c.post(f"{intake}/api/v1/complaints", json=filing(n, args.employers), headers=headers)
        )

    async def mediation_has_last() -> None:
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient(timeout=10) as c:
            while time.monotonic() < deadline and "id" in last_case:
                r = await c.get(f"{mediation}/api/v1/mediation/cases/{last_case['id']}", headers=assertion(MEDIATOR))
                if r.status_code == 200:
                    break
                await asyncio.sleep(0.05)
        await wait_quiet(processes, labornet, idle)

    def post(url: str) -> Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]:
        async def send(c: httpx.AsyncClient, n: int) -> httpx.Response:
            return await c.post(url, json={**payload, "n": n})

        return send

    def read(url: str, *, staff: bool = False) -> Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]:
        async def send(c: httpx.AsyncClient, n: int) -> httpx.Response:
            key = "case" if staff else "row"
            headers = clerk if url.startswith(gateway) else assertion(CLERK)
            return await c.get(f"{url}/{read_ids[key]}", headers=headers if staff else None)

        return send

    targets = [
        Target("bare: one row", bare_groups, post(f"{bare_url}/row")),
        Target("bare: row + outbox row", bare_groups, post(f"{bare_url}/row-outbox")),
        Target("bare: proxy -> row + outbox", ["bare-proxy", *bare_groups], post(f"{proxy_url}/row-outbox")),
        Target("LaborNet: filing via gateway", labornet, via_gateway, settle=mediation_has_last),
        Target("LaborNet: filing to intake", labornet, to_intake, settle=mediation_has_last),
        Target("bare: read a row", bare_groups, read(f"{bare_url}/row")),
        Target("bare: proxy -> read a row", ["bare-proxy", *bare_groups], read(f"{proxy_url}/row")),
        Target("LaborNet: read complaint via gateway", labornet, read(f"{gateway}/api/v1/complaints", staff=True)),
        Target("LaborNet: read complaint at intake", labornet, read(f"{intake}/api/v1/complaints", staff=True)),
    ]
    if args.targets:
        targets = [t for t in targets if any(word in t.name for word in args.targets)]

    # Warm-up: connections, imports, caches, the consumer groups' first fetches.
    numbers = iter(range(1_000_000, 10_000_000))
    async with httpx.AsyncClient(timeout=30) as c:
        created = await c.post(f"{bare_url}/row", json=payload)
        read_ids["row"] = created.json()["id"]
        filed = await via_gateway(c, next(numbers))
        if filed.status_code != 201:
            raise RuntimeError(f"warm-up filing failed: {filed.status_code} {filed.text[:500]}")
        read_ids["case"] = filed.json()["case_id"]
    for target in targets:
        await run_phase(target, processes, idle, start=next(numbers), count=args.warmup, concurrency=args.concurrency)
        numbers = iter(range(next(numbers) + args.warmup, 10_000_000))
    await asyncio.sleep(1)
    idle.update(await measure_idle(processes, args.idle_seconds))
    warm_memory = {g: sum(rss_mb(pid) for pid in pids) for g, pids in processes.fixed.items()}

    profiler = Profiler(args.py_spy, Path(args.profile_dir) / backend, processes) if args.py_spy else None
    phases: dict[str, list[Phase]] = {t.name: [] for t in targets}
    for _round in range(args.rounds):
        for target in targets:
            phase = await run_phase(
                target,
                processes,
                idle,
                start=next(numbers),
                count=args.requests,
                concurrency=args.concurrency,
                profiler=profiler,
                scrape=lambda: scrape_counters({n: stack.urls[n] for n in SERVICES}),
            )
            numbers = iter(range(next(numbers) + args.requests, 10_000_000))
            phases[target.name].append(phase)

    async def new_employer(c: httpx.AsyncClient, n: int) -> httpx.Response:
        # An employer of its own: a new case (201), not a filing joined to an open one.
        headers = {**clerk, "Idempotency-Key": f"bench-{uuid.uuid4().hex}"}
        return await c.post(f"{gateway}/api/v1/complaints", json=filing(n, 1_000_000_000), headers=headers)

    visible = await case_latency(new_employer, mediation, args.latency_filings, numbers)
    runs: list[OpenLoop] = []
    for rate in args.open_rates:  # rising; stops at the first rate not held
        await wait_quiet(processes, labornet, idle)
        runs.append(
            await open_loop(
                new_employer, mediation, processes, idle, rate=rate, seconds=args.open_seconds, numbers=numbers
            )
        )
        if not runs[-1].held:
            break
    drains = []
    if args.drain:
        drains = await backlog_drains(
            to_intake, stack, processes, idle, labornet, filings=args.drain, numbers=numbers, profiler=profiler
        )
    memory = {g: sum(rss_mb(pid) for pid in pids) for g, pids in processes.fixed.items()}
    lines = report(backend, args, targets, phases, idle, warm_memory, memory, visible)
    if drains:
        more = drain_report(drains, args.drain)
        print("\n".join(more), flush=True)
        lines += more
    if runs:
        more = open_loop_report(runs, args.open_seconds, labornet)
        print("\n".join(more), flush=True)
        lines += more
    if profiler is not None:
        summary = profiler.summary()
        print("\n".join(summary), flush=True)
    return lines


async def case_latency(
    file: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
    mediation: str,
    count: int,
    numbers: Any,
) -> list[float]:
    """Filings one at a time: ms from the 201 until mediation shows the case. The pause after
    each case is seen is drawn at random (0.1 to 0.6 s, the same draws every run): a fixed pause
    would meet the consumers' fetch cycle at the same phase every time, and the percentiles
    would say where that phase happened to fall."""
    found: list[float] = []
    pauses = random.Random(20)
    async with httpx.AsyncClient(timeout=30) as c:
        for _ in range(count):
            filed = await file(c, next(numbers))
            answered = time.perf_counter()
            if filed.status_code != 201:
                continue
            case = filed.json()["case_id"]
            deadline = answered + 30
            while time.perf_counter() < deadline:
                r = await c.get(f"{mediation}/api/v1/mediation/cases/{case}", headers=assertion(MEDIATOR))
                if r.status_code == 200:
                    found.append((time.perf_counter() - answered) * 1000)
                    break
                await asyncio.sleep(0.005)
            await asyncio.sleep(pauses.uniform(0.1, 0.6))
    return found


# --- open loop: filings on a fixed schedule, whatever the answers ---------------------------
VISIBLE_TARGET_MS = 300.0  # issue 20: complaint -> mediation case visible, p99
DRAIN_LIMIT_S = 1.0  # after the last 201, the last case is visible within this: no backlog


@dataclass
class OpenLoop:
    rate: float  # filings per second asked for
    sent: int
    failed: int
    send_s: float  # from the first send until one interval after the last: sent / send_s is the rate sent
    answers_ms: list[float]
    visible_ms: list[float]  # sampled filings: from the 201 until mediation shows the case
    drain_s: float  # from the last 201 until its case is visible
    cpu_ms: dict[str, float]  # net of idle, per process group, over sending and draining
    rss_mb: dict[str, float]  # resident memory per process group at the end of the rate's run

    @property
    def held(self) -> bool:
        return (
            self.failed == 0
            and self.sent / self.send_s >= 0.95 * self.rate
            and bool(self.visible_ms)
            and percentile(self.visible_ms, 99) <= VISIBLE_TARGET_MS
            and self.drain_s <= DRAIN_LIMIT_S
        )


async def open_loop(
    file: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
    mediation: str,
    processes: Processes,
    idle: dict[str, float],
    *,
    rate: float,
    seconds: float,
    numbers: Any,
    sample_every_s: float = 0.25,
) -> OpenLoop:
    """Filings sent at ``rate`` per second for ``seconds``, each at its time whether or not the
    earlier ones were answered (a closed loop would slow down with the server and hide a
    backlog). Every ``sample_every_s`` one filing's case is watched at mediation until it shows."""
    count = max(1, int(rate * seconds))
    answers: list[float] = []
    visible: list[float] = []
    failed = 0
    last: dict[str, Any] = {}
    watchers: list[asyncio.Task[None]] = []
    limits = httpx.Limits(max_connections=512, max_keepalive_connections=64, keepalive_expiry=KEEPALIVE_S)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def watch(case: str, answered: float, into: list[float]) -> None:
            deadline = answered + 60
            while time.perf_counter() < deadline:
                try:
                    r = await client.get(f"{mediation}/api/v1/mediation/cases/{case}", headers=assertion(MEDIATOR))
                except httpx.HTTPError:  # asked again at the next look
                    await asyncio.sleep(0.01)
                    continue
                if r.status_code == 200:
                    into.append((time.perf_counter() - answered) * 1000)
                    return
                await asyncio.sleep(0.01)

        async def one(n: int, sampled: bool) -> None:
            nonlocal failed
            began = time.perf_counter()
            try:
                r = await file(client, n)
            except httpx.HTTPError as exc:
                failed += 1
                if failed <= 3:
                    print(f"  open loop {rate}/s: {exc!r}", file=sys.stderr)
                return
            answered = time.perf_counter()
            answers.append((answered - began) * 1000)
            if r.status_code != 201:
                failed += 1
                if failed <= 3:
                    print(f"  open loop {rate}/s: {r.status_code} {r.text[:300]}", file=sys.stderr)
                return
            if answered >= last.get("answered", 0.0):
                last.update(answered=answered, case=r.json()["case_id"])
            if sampled:
                watchers.append(asyncio.create_task(watch(r.json()["case_id"], answered, visible)))

        before = await processes.snapshot()
        t0 = time.perf_counter()
        every = max(1, round(sample_every_s * rate))
        sends = []
        for i in range(count):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sends.append(asyncio.create_task(one(next(numbers), i % every == 0)))
        send_s = time.perf_counter() - t0 + 1 / rate
        await asyncio.gather(*sends)
        drained: list[float] = []
        if "case" in last:
            await watch(last["case"], last["answered"], drained)
        await asyncio.gather(*watchers)
        after = await processes.snapshot()
        window = time.perf_counter() - t0
    used = spent(before, after)
    net = {g: used.get(g, 0.0) - idle.get(g, 0.0) * window for g in processes.groups}
    drain_s = drained[0] / 1000 if drained else math.inf
    memory = {g: sum(rss_mb(pid) for pid in pids) for g, pids in processes.fixed.items()}
    return OpenLoop(rate, count, failed, send_s, answers, visible, drain_s, net, memory)


def open_loop_report(runs: list[OpenLoop], seconds: float, groups: list[str]) -> list[str]:
    lines = [
        "",
        f"Open loop through the gateway, {seconds:g} s per rate, each filing a new case; held = no failure, "
        f">= 95 % of the rate sent, complaint -> mediation case p99 <= {VISIBLE_TARGET_MS:.0f} ms (sampled "
        f"4 a second), and the last case visible within {DRAIN_LIMIT_S:g} s of its 201:",
        "",
        "| rate /s | sent /s | failed | answer p50 / p99 ms | visible p50 / p99 ms | drain s "
        "| CPU ms per filing | largest service RSS at the end, MB | held |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        cpu = sum(run.cpu_ms.get(g, 0.0) for g in groups) / run.sent
        answers, seen = run.answers_ms, run.visible_ms
        largest = max(groups, key=lambda g: run.rss_mb.get(g, 0.0))
        lines.append(
            f"| {run.rate:g} | {run.sent / run.send_s:.1f} | {run.failed} | "
            f"{percentile(answers, 50):.0f} / {percentile(answers, 99):.0f} | "
            f"{percentile(seen, 50):.0f} / {percentile(seen, 99):.0f} | {run.drain_s:.2f} | {cpu:.1f} | "
            f"{largest} {run.rss_mb.get(largest, 0.0):.0f} | {'yes' if run.held else 'no'} |"
        )
    held = [run.rate for run in runs if run.held]
    lines += ["", f"Highest rate held: {max(held):g} filings/s" if held else "Highest rate held: none of those tried"]
    return lines


# --- consumers on a backlog -------------------------------------------------------------------
@dataclass
class Drain:
    service: str
    events: float  # events its consumers settled (applied, ignored, duplicates)
    apply_s: float  # from the first settled to the last (sampled every POLL_S)
    rejoin_s: float  # from the resume to the first settled: the group join
    cpu_ms: float  # the service's process, net of idle
    pg_ms: float  # its PostgreSQL backends (all the stack's, net of idle; the rest of it is quiet)
    statements: float


DRAIN_POLL_S = 0.2
DRAIN_QUIET_S = 2.0
DRAIN_BUSY_MS_PER_S = 100.0  # above idle: the service is still applying (the scrapes cost ~10)


async def drain(
    name: str,
    url: str,
    pid: int,
    processes: Processes,
    idle: dict[str, float],
    before: dict[str, float],
    profiler: Profiler | None,
) -> Drain:
    """Resume the paused service ``name`` and follow its consumers through the backlog: until
    its settled-events counter has not moved for DRAIN_QUIET_S and its lag reads 0. ``before``
    are its counters scraped before it was paused."""
    pg = [g for g in processes.groups if g.startswith("pg:labornet")]
    snap = await processes.snapshot()
    if profiler is not None:
        profiler.start("drain", (name,), summarised=False)
    resumed = time.monotonic()
    os.kill(pid, signal.SIGCONT)
    first = last = None
    seen = before["consumed"]
    now = before
    used: list[tuple[float, float]] = []  # (time, the service's CPU ms so far)
    while True:
        await asyncio.sleep(DRAIN_POLL_S)
        now = (await scrape_counters({name: url}))[name]
        t = time.monotonic()
        used.append((t, cpu_ms(pid)))
        if now["consumed"] > seen:
            seen = now["consumed"]
            first = first or t
            last = t
        elif last is not None and t - last >= DRAIN_QUIET_S and now["lag"] == 0:
            # Settled events count when their batch commits, and the lag when it is fetched:
            # a batch still applying shows neither, but it shows in the CPU.
            t0, ms0 = next((u for u in used if u[0] >= t - DRAIN_QUIET_S), used[0])
            if (used[-1][1] - ms0) / max(t - t0, 1e-3) <= idle.get(name, 0.0) + DRAIN_BUSY_MS_PER_S:
                break
        if t - resumed > 300:
            raise TimeoutError(f"{name} did not drain its backlog in 300 s")
    window = time.monotonic() - resumed
    used = spent(snap, await processes.snapshot())
    if profiler is not None:
        profiler.stop()
    assert first is not None and last is not None
    return Drain(
        name,
        now["consumed"] - before["consumed"],
        max(last - first, DRAIN_POLL_S),
        first - resumed,
        used.get(name, 0.0) - idle.get(name, 0.0) * window,
        sum(used.get(g, 0.0) - idle.get(g, 0.0) * window for g in pg),
        now["statements"] - before["statements"],
    )


async def backlog_drains(
    file: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
    stack: Any,
    processes: Processes,
    idle: dict[str, float],
    groups: list[str],
    *,
    filings: int,
    numbers: Any,
    profiler: Profiler | None = None,
) -> list[Drain]:
    """Each consumer service paused while ``filings`` go to intake, then resumed and followed."""
    urls = {n: stack.urls[n] for n in SERVICES}
    pids = {n: stack.processes[n].pid for n in SERVICES}

    async def backlog(*stopped: str) -> dict[str, dict[str, float]]:
        await wait_quiet(processes, groups, idle)
        counters = await scrape_counters({n: urls[n] for n in stopped})
        for n in stopped:
            os.kill(pids[n], signal.SIGSTOP)
        limits = httpx.Limits(max_connections=8, max_keepalive_connections=8, keepalive_expiry=KEEPALIVE_S)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            todo = iter(range(filings))

            async def worker() -> None:
                for _ in todo:
                    r = await file(client, next(numbers))
                    if r.status_code not in (200, 201):  # 200: joined to an open case
                        raise RuntimeError(f"backlog filing failed: {r.status_code} {r.text[:300]}")

            await asyncio.gather(*(worker() for _ in range(8)))
        await wait_quiet(processes, [g for g in groups if g not in stopped], idle)
        return counters

    done = []
    for name in ("gateway", "arbitration", "wage-arrears"):
        before = await backlog(name)
        done.append(await drain(name, urls[name], pids[name], processes, idle, before[name], profiler))
    # Mediation's backlog; intake, paused before mediation resumes, gets the answers to it.
    before = await backlog("mediation")
    before |= await scrape_counters({"intake": urls["intake"]})
    os.kill(pids["intake"], signal.SIGSTOP)
    done.append(
        await drain("mediation", urls["mediation"], pids["mediation"], processes, idle, before["mediation"], profiler)
    )
    await wait_quiet(processes, [g for g in groups if g != "intake"], idle)
    done.append(await drain("intake", urls["intake"], pids["intake"], processes, idle, before["intake"], profiler))
    return done


def drain_report(drains: list[Drain], filings: int) -> list[str]:
    lines = [
        "",
        f"Consumers on a backlog: each service paused while {filings} filings went to intake, then resumed "
        "(intake: the answers to mediation's backlog). Events settled by all its consumers; events/s from the "
        f"first settled to the last (sampled every {DRAIN_POLL_S:g} s); CPU per event net of idle:",
        "",
        "| service | events | rejoin s | apply s | events/s | CPU ms per event: service | + PostgreSQL "
        "| statements per event |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for d in drains:
        n = max(d.events, 1.0)
        lines.append(
            f"| {d.service} | {d.events:.0f} | {d.rejoin_s:.1f} | {d.apply_s:.1f} | {d.events / d.apply_s:,.0f} | "
            f"{d.cpu_ms / n:.2f} | {d.pg_ms / n:.2f} | {d.statements / n:.1f} |"
        )
    return lines


def report(
    backend: str,
    args: argparse.Namespace,
    targets: list[Target],
    phases: dict[str, list[Phase]],
    idle: dict[str, float],
    warm_memory: dict[str, float],
    memory: dict[str, float],
    visible: list[float],
) -> list[str]:
    lines = [
        f"### {backend}: {args.rounds} rounds x {args.requests} requests per target, concurrency {args.concurrency}",
        "",
        "| target | req/s | p50 ms | p99 ms | failed | CPU ms per request (net of idle), by process | total |",
        "|---|---|---|---|---|---|---|",
    ]
    totals: dict[str, float] = {}
    per_group: dict[str, dict[str, float]] = {}
    for target in targets:
        done = phases[target.name]
        count = sum(p.requests for p in done)
        lat = [ms for p in done for ms in p.latencies_ms]
        rate = count / sum(p.elapsed_s for p in done)
        cpu = {g: sum(p.cpu_ms.get(g, 0.0) for p in done) / count for g in target.groups}
        per_group[target.name] = cpu
        totals[target.name] = sum(cpu.values())
        spread = [sum(p.cpu_ms.get(g, 0.0) for g in target.groups) / p.requests for p in done]
        parts = ", ".join(f"{g} {ms:.2f}" for g, ms in cpu.items())
        lines.append(
            f"| {target.name} | {rate:.1f} | {percentile(lat, 50):.1f} | {percentile(lat, 99):.1f} | "
            f"{sum(p.failed for p in done)} | {parts} | **{totals[target.name]:.2f}** "
            f"({min(spread):.2f}–{max(spread):.2f}) |"
        )
    lines += ["", "Ratios (CPU per request, all processes of each side):", ""]

    def ratio(a: str, b: str, label: str) -> None:
        if a in totals and b in totals:
            x = f"{totals[a] / totals[b]:.1f}x" if totals[b] > 0 else "n/a (no CPU measured for the baseline)"
            lines.append(f"- {label}: {x}  ({totals[a]:.2f} / {totals[b]:.2f} ms)")

    ratio("LaborNet: filing via gateway", "bare: row + outbox row", "filing via gateway / bare row + outbox")
    ratio(
        "LaborNet: filing via gateway", "bare: proxy -> row + outbox", "filing via gateway / bare proxy + row + outbox"
    )
    ratio("LaborNet: filing to intake", "bare: row + outbox row", "filing to intake / bare row + outbox")
    ratio("LaborNet: read complaint via gateway", "bare: proxy -> read a row", "read via gateway / bare proxy + read")
    own = [
        ("LaborNet: filing via gateway", "bare: proxy -> row + outbox", "gateway's own CPU per filing / bare proxy's"),
        (
            "LaborNet: read complaint via gateway",
            "bare: proxy -> read a row",
            "gateway's own CPU per read / bare proxy's",
        ),
    ]
    for a, b, label in own:
        if a in per_group and b in per_group:
            g, p = per_group[a]["gateway"], per_group[b]["bare-proxy"]
            x = f"{g / p:.1f}x" if p > 0 else "n/a (no CPU measured for the baseline)"
            lines.append(f"- {label}: {x}  ({g:.2f} / {p:.2f} ms)")
    for target in targets:
        done = [p for p in phases[target.name] if p.round_trips]
        if not done:
            continue
        count = sum(p.requests for p in done)
        trips = {n: {k: sum(p.round_trips[n][k] for p in done) for k in SCRAPED} for n in SERVICES}
        lines += [
            "",
            f"Round trips per request, {target.name} (SQL statements + pool checkouts, by service): "
            + ", ".join(f"{n} {t['statements'] / count:.1f} + {t['checkouts'] / count:.1f}" for n, t in trips.items()),
            "Per consumed event (all the service's statements + checkouts / events it consumed): "
            + ", ".join(
                f"{n} {(t['statements'] + t['checkouts']) / t['consumed']:.1f} "
                f"({t['consumed'] / count:.1f} events/request)"
                for n, t in trips.items()
                if t["consumed"]
            ),
        ]
    if visible:
        lines += [
            "",
            f"Complaint -> mediation case visible (one filing at a time, {len(visible)} filings, from the 201): "
            f"p50 {percentile(visible, 50):.0f} ms, p99 {percentile(visible, 99):.0f} ms, max {max(visible):.0f} ms",
        ]
    lines += [
        "",
        "Idle CPU ms per second (measured after warm-up, subtracted above): "
        + ", ".join(f"{g} {ms:.1f}" for g, ms in idle.items()),
        "",
        "Resident memory after the warm-up -> at the end (after every phase, open loop and drains included), MB: "
        + ", ".join(f"{g} {warm_memory.get(g, 0):.0f} -> {mb:.0f}" for g, mb in memory.items()),
        "",
    ]
    print("\n".join(lines), flush=True)
    return lines


async def main(args: argparse.Namespace) -> int:
    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-filing-") as tmp:
        workdir = Path(tmp)
        broker = EmbeddedBroker(port=free_ports(1)[0], log_path=workdir / "broker.log").start()
        try:
            for backend in args.backends:
                if backend == "postgresql" and postgres_base_url() is None:
                    print(f"postgresql skipped: set {POSTGRES_ENV}")
                    continue
                out += await run_backend(backend, args, broker, workdir)
        finally:
            broker.stop()
    if out and args.save:
        append_results("filing", out)
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="per target and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=20, help="per target, before measuring")
    parser.add_argument("--employers", type=int, default=100, help="employer pool (smaller = more grouping)")
    parser.add_argument("--idle-seconds", type=float, default=3.0)
    parser.add_argument("--latency-filings", type=int, default=20, help="complaint -> mediation case, one at a time")
    parser.add_argument(
        "--open-rates",
        type=lambda s: sorted(float(r) for r in s.split(",") if r),
        default=[],
        help="filings/s to hold open loop, e.g. 5,10,20,50,100,200 (rising; stops at the first not held)",
    )
    parser.add_argument("--open-seconds", type=float, default=20.0, help="how long each open-loop rate runs")
    parser.add_argument(
        "--drain", type=int, default=0, help="filings per backlog: each service's consumers measured draining it"
    )
    parser.add_argument("--backends", type=lambda s: s.split(","), default=["sqlite", "postgresql"])
    parser.add_argument("--targets", type=lambda s: s.split(","), default=[], help="substrings of target names")
    parser.add_argument("--py-spy", default="", help="path of a py-spy binary: profile the filing phases")
    parser.add_argument(
        "--profile-dir",
        default=str(Path(tempfile.gettempdir()) / "labornet-bench-profiles"),
        help="where py-spy writes raw stacks",
    )
    parser.add_argument("--no-save", dest="save", action="store_false", help="do not append to bench/results")
    parser.add_argument(
        "--stack-env", action="append", default=[], metavar="NAME=VALUE", help="a setting for every service"
    )
    args = parser.parse_args(argv)
    args.stack_env = {"LABORNET_LOG_LEVEL": "WARNING", **dict(kv.split("=", 1) for kv in args.stack_env)}
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
