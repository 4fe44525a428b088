"""Test support for intake: a served intake app on a fresh database, principals, bodies, IDs.

The app is real (uvicorn in the test's event loop, real database, real broker); relay and
consumers are on only when a test asks, so API tests arrange state through the API alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from prometheus_client import REGISTRY
from sqlalchemy import select

from labornet_common.contracts.events import Envelope, to_kafka
from labornet_common.platform.app import build_app
from labornet_common.platform.broker import free_port
from labornet_common.platform.bus.producer import make_producer
from labornet_common.platform.db import create_engine, new_metadata
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.outbox import messaging_tables
from labornet_common.platform.registry import spec as service_spec
from labornet_common.security.api_auth import ANONYMOUS
from labornet_common.security.auth import Principal, Role
from labornet_common.standards import id_check_char
from labornet_common.testing.inprocess import assertion, serving

T = TypeVar("T")
USCC = "91350100M000100Y43"  # GB 32100 worked example: org check 4, USCC check 3


def id_number(first17: str) -> str:
    """A GB 11643 number with a correct check character."""
    return first17 + id_check_char(first17)


def clerk(scope: str, subject: str | None = None) -> Principal:
    return Principal(subject=subject or f"clerk@{scope}", roles=frozenset({Role.clerk}), region_scopes=(scope,))


def staff(role: Role, scope: str, subject: str | None = None) -> Principal:
    return Principal(subject=subject or f"{role.value}@{scope}", roles=frozenset({role}), region_scopes=(scope,))


def worker(case_id: str) -> Principal:
    return Principal(subject=f"worker:{case_id}", roles=frozenset({Role.worker}), case_ids=frozenset({case_id}))


def as_(principal: Principal | None) -> dict[str, str]:
    """The gateway's signed header for ``principal`` (anonymous when None)."""
    return assertion(principal or ANONYMOUS)


def complaint_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "workplace_division": "410311007",
        "worker_name": "王师傅",
        "employer_name": "洛阳某建筑工程有限公司",
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
    body.update(overrides)
    return body


@dataclass
class IntakeUnderTest:
    url: str
    database_url: str
    app: Any

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, timeout=10)


@asynccontextmanager
async def serving_intake(
    database_url: str, broker: str, workdir: Path, **settings: Any
) -> AsyncIterator[IntakeUnderTest]:
    """Migrate ``database_url`` and serve intake on it (relay and consumers off unless asked)."""
    spec = service_spec("intake")
    engine = create_engine(database_url)
    try:
        await upgrade_to_head(engine, spec.migrations_dir)
    finally:
        await engine.dispose()
    port = free_port()
    config = spec.settings_cls(
        **{
            "database_url": database_url,
            "environment": "test",
            "kafka_bootstrap_servers": broker,
            "run_relay": False,
            "run_consumers": False,
            "data_dir": workdir / "intake",
            "port": port,
            "relay_poll_interval_s": 0.02,
            **settings,
        }
    )
    app = build_app(spec, config)
    async with serving(app, port) as url:
        yield IntakeUnderTest(url=url, database_url=database_url, app=app)


_OUTBOX = messaging_tables(new_metadata()).outbox


async def outbox_events(database_url: str, case_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(short type, data) of every event written for a case, in order: ``received``, ``routed``..."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(_OUTBOX.c.event_type, _OUTBOX.c.data)
                    .where(_OUTBOX.c.partition_key == case_id)
                    .order_by(_OUTBOX.c.sequence)
                )
            ).all()
    finally:
        await engine.dispose()
    return [(event_type.split(".")[-2], data) for event_type, data in rows]


async def publish(bootstrap: str, topic: str, records: list[tuple[bytes, bytes, list[tuple[str, bytes]]]]) -> None:
    """Send (key, value, headers) records as they are: a redelivery, byte for byte."""
    producer = make_producer(bootstrap, client_id="intake-test")
    await producer.start()
    try:
        for key, value, headers in records:
            await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def publish_envelopes(bootstrap: str, topic: str, envelopes: list[Envelope]) -> None:
    """Publish events as another service's relay would (CloudEvents binary mode)."""
    encoded = [to_kafka(envelope) for envelope in envelopes]
    await publish(bootstrap, topic, [(r.key, r.value, r.headers) for r in encoded])


def consumer_outcomes(consumer: str, outcome: str) -> float:
    """How many events this process's consumer settled with ``outcome`` (duplicate, applied...)."""
    value = REGISTRY.get_sample_value("labornet_consumer_events_total", {"consumer": consumer, "outcome": outcome})
    return value or 0.0
