"""Intake filing benchmark: complaints per second and filing latency (p50/p99).

    python bench/intake.py [--complaints N] [--concurrency C] [--employers E]
                           [--backends sqlite,postgresql]

The intake app is the real one (``build_app`` with its lifespan, migrations, PII encryption,
scrypt access codes, duplicate matching, routing, outbox writes in the same transaction),
called in-process through httpx's ASGI transport, so the numbers leave out TCP and the
gateway. A Tansu broker is started only because the app connects its producer at start; the
relay and consumers are off, so the numbers are the filing transaction alone. Each filing has
its own worker; employers come from a pool of ``--employers``, so later filings against an
employer with an open case are grouped into it (as collective wage claims are). PostgreSQL
runs use a fresh database under LABORNET_TEST_POSTGRES_URL and are skipped without it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx

from labornet_common.platform.app import build_app
from labornet_common.platform.broker import EmbeddedBroker, free_port
from labornet_common.platform.db import create_engine
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.security.api_auth import ANONYMOUS
from labornet_common.standards import id_check_char
from labornet_common.testing.databases import POSTGRES_ENV, fresh_database, postgres_base_url
from labornet_common.testing.inprocess import assertion
from labornet_intake.config import IntakeSettings
from labornet_intake.main import SPEC

WARMUP = 20  # excluded from the numbers: first connections, first imports, cold caches


@dataclass(frozen=True)
class Result:
    backend: str
    complaints: int
    concurrency: int
    elapsed_s: float
    latencies_ms: list[float]
    outcomes: Counter[str]

    @property
    def rate(self) -> float:
        return self.complaints / self.elapsed_s


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile (every reported value was observed)."""
    if not sorted_values:
        return math.nan
    return sorted_values[max(1, math.ceil(pct / 100 * len(sorted_values))) - 1]


def id_number(n: int) -> str:
    birth = date(1970, 1, 1) + timedelta(days=n // 900)
    first17 = f"410302{birth:%Y%m%d}{100 + n % 900:03d}"
    return first17 + id_check_char(first17)


def body(n: int, employers: int) -> dict:
    return {
        "workplace_division": "410311007",
        "worker_name": f"工人{n}",
        "worker_id_number": id_number(n),
        "worker_phone": f"138{n:08d}",
        "employer_name": f"洛阳测试建筑第{n % employers}工程有限公司",
        "employer_division": "410311",
        "facts": "2026年8月至10月工资未发放",
        "claims": [
            {
                "category": "labor_remuneration",
                "amount_fen": 1_860_000,
                "period_from": "2026-08-01",
                "period_to": "2026-10-31",
            }
        ],
    }


async def _file_all(client: httpx.AsyncClient, numbers: range, employers: int, concurrency: int) -> tuple:
    headers = assertion(ANONYMOUS)
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    queue = iter(numbers)

    async def worker() -> None:
        for n in queue:
            started = time.perf_counter()
            r = await client.post("/api/v1/complaints", json=body(n, employers), headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
            if r.status_code not in (200, 201):
                raise RuntimeError(f"filing {n} failed: {r.status_code} {r.text[:300]}")
            outcomes[r.json()["outcome"]] += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, outcomes


async def run_backend(backend: str, args: argparse.Namespace, bootstrap: str, workdir: Path) -> Result:
    async with fresh_database(backend, workdir) as url:
        engine = create_engine(url)
        try:
            await upgrade_to_head(engine, SPEC.migrations_dir)
        finally:
            await engine.dispose()
        settings = IntakeSettings(
            database_url=url,
            environment="test",
            kafka_bootstrap_servers=bootstrap,
            run_relay=False,
            run_consumers=False,
            data_dir=workdir,
            log_level="WARNING",
        )
        app = build_app(SPEC, settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://intake", timeout=60) as client:
                await _file_all(client, range(WARMUP), args.employers, args.concurrency)
                measured = range(WARMUP, WARMUP + args.complaints)
                elapsed, latencies, outcomes = await _file_all(client, measured, args.employers, args.concurrency)
    return Result(backend, args.complaints, args.concurrency, elapsed, sorted(latencies), outcomes)


def report(result: Result) -> None:
    lat = result.latencies_ms
    print(
        f"{result.backend:<11} {result.complaints:>6} complaints  concurrency {result.concurrency:>3}  "
        f"{result.rate:8.1f} complaints/s  p50 {percentile(lat, 50):7.1f} ms  p99 {percentile(lat, 99):7.1f} ms  "
        f"max {lat[-1]:7.1f} ms  outcomes {dict(result.outcomes)}"
    )


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp:
        workdir = Path(tmp)
        broker = EmbeddedBroker(port=free_port(), log_path=workdir / "broker.log").start()
        try:
            for backend in args.backends:
                if backend == "postgresql" and postgres_base_url() is None:
                    print(f"postgresql  skipped: set {POSTGRES_ENV}")
                    continue
                report(await run_backend(backend, args, broker.bootstrap_servers, workdir))
        finally:
            broker.stop()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--employers", type=int, default=100, help="employer pool (smaller = more grouping)")
    parser.add_argument("--backends", type=lambda s: s.split(","), default=["sqlite", "postgresql"])
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
