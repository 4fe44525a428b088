"""An idle stack: CPU ms per second per process, then complaint -> mediation case latency.

    python bench/idle.py [--seconds 60] [--settle 15] [--latency-filings 30]
                         [--backends sqlite,postgresql] [--no-save] [--stack-env NAME=VALUE]

Starts the real LaborNet stack (every service its own ``labornet serve`` process, relay,
consumers and periodic jobs included, as ``running_stack`` starts them for the end-to-end
tests) on the embedded broker, files one complaint so every consumer group has joined and
fetched, lets it settle, and then samples each process's CPU time (utime + stime of every
thread, ``/proc/<pid>/stat``) once a second for ``--seconds``. It prints CPU ms per second per
process: the five services, the broker (Tansu) and, on PostgreSQL, the backends serving the
stack's databases (pids from ``pg_stat_activity``; the shared server's own background
processes are not counted). Target: at most 5 ms/s per process. Beside them, over the same
window, the bare baseline idles: the FastAPI + one-table service of bench/bare_service.py
(bench/filing.py's "bare app"), with its own database of the same backend; the output gives the
worst service's rate as a multiple of it.

Quiet must not cost latency: after the idle window it files ``--latency-filings`` complaints
through the gateway one at a time (each against a new employer, so each opens a case), a random
0.1 to 0.6 s apart, and prints the time from the 201 until mediation shows the case, p50 / p99.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from filing import SERVICES, Processes, case_latency, database_name, filing, percentile, spent, start_bare

from labornet_common.platform.broker import EmbeddedBroker, free_ports
from labornet_common.testing.api import sign_in
from labornet_common.testing.databases import POSTGRES_ENV, _asyncpg_dsn, fresh_database, postgres_base_url
from labornet_common.testing.stack import running_stack

HERE = Path(__file__).resolve().parent
BARE = "bare app"  # the baseline's process group: a bare FastAPI service with nothing to do


async def sample_idle(processes: Processes, seconds: float) -> tuple[dict[str, float], dict[str, float]]:
    """CPU ms per second per group over ``seconds`` (mean), and the busiest 1 s sample."""
    first = previous = await processes.snapshot()
    t0 = last = time.monotonic()
    peak: dict[str, float] = {}
    while time.monotonic() - t0 < seconds:
        await asyncio.sleep(1.0)
        now_snapshot = await processes.snapshot()
        now = time.monotonic()
        for group, ms in spent(previous, now_snapshot).items():
            peak[group] = max(peak.get(group, 0.0), ms / (now - last))
        previous, last = now_snapshot, now
    window = last - t0
    return {g: ms / window for g, ms in spent(first, previous).items()}, peak


async def run_backend(backend: str, args: argparse.Namespace, broker: EmbeddedBroker, workdir: Path) -> list[str]:
    """The stack, and beside it the bare baseline (bench/bare_service.py: FastAPI + asyncpg or
    SQLite, one table, served by uvicorn as it comes) sampled over the same window."""
    async with fresh_database(backend, workdir) as bare_db:
        bare = await start_bare("app", free_ports(1)[0], workdir, database=bare_db)
        try:
            return await _run_stack(backend, args, broker, workdir, bare.pid)
        finally:
            bare.terminate()
            bare.wait(timeout=15)


async def _run_stack(
    backend: str, args: argparse.Namespace, broker: EmbeddedBroker, workdir: Path, bare_pid: int
) -> list[str]:
    stack_dir = workdir / f"stack-{backend}"
    stack_dir.mkdir()
    async with running_stack(
        backend=backend, broker=broker.bootstrap_servers, workdir=stack_dir, extra_env=args.stack_env
    ) as stack:
        assert broker.process is not None
        processes = Processes(fixed={name: [proc.pid] for name, proc in stack.processes.items()})
        processes.fixed["tansu"] = [broker.process.pid]
        processes.fixed[BARE] = [bare_pid]
        if backend == "postgresql":
            base = postgres_base_url()
            assert base is not None
            processes.pg_dsn = _asyncpg_dsn(base)
            processes.pg_databases = {f"pg:{n}": [database_name(stack.databases[n])] for n in SERVICES}
        gateway, mediation = stack.gateway, stack.urls["mediation"]
        async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
            clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")

        async def new_employer(c: httpx.AsyncClient, n: int) -> httpx.Response:
            headers = {**clerk, "Idempotency-Key": f"bench-{uuid.uuid4().hex}"}
            return await c.post(f"{gateway}/api/v1/complaints", json=filing(n, 1_000_000_000), headers=headers)

        numbers = iter(range(2_000_000, 10_000_000))
        warm = await case_latency(new_employer, mediation, 3, numbers)  # every group joined and fetched
        if not warm:
            raise RuntimeError("warm-up filings never reached mediation")
        await asyncio.sleep(args.settle)
        mean, peak = await sample_idle(processes, args.seconds)
        visible = await case_latency(new_employer, mediation, args.latency_filings, numbers)
    lines = [
        f"### {backend}: idle {args.seconds:.0f} s after {args.settle:.0f} s settling",
        "",
        "| process | CPU ms/s (mean) | busiest 1 s |",
        "|---|---|---|",
        *(f"| {g} | {ms:.2f} | {peak.get(g, 0.0):.1f} |" for g, ms in mean.items()),
        "",
        f"Services' total: {sum(mean[n] for n in SERVICES):.1f} ms/s; worst service "
        f"{max(mean[n] for n in SERVICES):.2f} ms/s (target <= 5 per process); the {BARE} idles at "
        f"{mean[BARE]:.2f} ms/s, worst service / {BARE}: {max(mean[n] for n in SERVICES) / max(mean[BARE], 0.01):.1f}x",
    ]
    if visible:
        lines += [
            "",
            f"Complaint -> mediation case visible after idling ({len(visible)} filings one at a time, from the "
            f"201): p50 {percentile(visible, 50):.0f} ms, p99 {percentile(visible, 99):.0f} ms, "
            f"max {max(visible):.0f} ms",
        ]
    lines.append("")
    print("\n".join(lines), flush=True)
    return lines


async def main(args: argparse.Namespace) -> int:
    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-idle-") as tmp:
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
        load = os.getloadavg()
        head = [
            f"## {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC  `{' '.join(sys.argv[1:]) or '(defaults)'}`",
            "",
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average at the end "
            f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}",
            "",
        ]
        results = HERE / "results" / f"idle-{dt.date.today():%Y-%m-%d}.md"
        with results.open("a") as f:
            f.write("\n".join(head + out) + "\n")
        print(f"appended to {results}")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="the idle window sampled")
    parser.add_argument("--settle", type=float, default=15.0, help="seconds of quiet before sampling")
    parser.add_argument("--latency-filings", type=int, default=30, help="complaint -> mediation case, one at a time")
    parser.add_argument("--backends", type=lambda s: s.split(","), default=["sqlite", "postgresql"])
    parser.add_argument("--no-save", dest="save", action="store_false", help="do not append to bench/results")
    parser.add_argument(
        "--stack-env", action="append", default=[], metavar="NAME=VALUE", help="a setting for every service"
    )
    args = parser.parse_args(argv)
    args.stack_env = {"LABORNET_LOG_LEVEL": "WARNING", **dict(kv.split("=", 1) for kv in args.stack_env)}
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
