"""The risk picture rebuilt from the topics: a consumer that followed the case topics live and
a new consumer group reading a fresh database from the earliest offset end with the same case
facts, inspection records, profiles and alerts, on the real broker."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select

from labornet_common.platform.bus.consumer import EventConsumer
from labornet_common.platform.bus.topics import ensure_topics
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.testing.databases import fresh_database
from labornet_common.testing.wage_arrears_support import AFTER_LIMITS, Stream, scenario
from labornet_wage_arrears.adapters.orm import messaging, wa_alerts, wa_cases, wa_profiles, wa_records
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.main import CASE_TOPICS, SPEC
from labornet_wage_arrears.service.handlers import event_handlers

TIMESTAMPS = {"updated_at", "raised_at", "due_at", "history"}


class Follower:
    """A desk database with its own consumer group on the real broker."""

    def __init__(self, url: str, broker: str) -> None:
        self.engine, self.broker, self.stop = create_engine(url), broker, asyncio.Event()
        self.consumer = EventConsumer(
            name=f"wage-arrears.test-{uuid.uuid4().hex[:8]}",
            topics=CASE_TOPICS,
            handlers=event_handlers(RuleBook(), clock=lambda: AFTER_LIMITS),
            session_factory=session_factory(self.engine),
            tables=messaging,
            source=SPEC.source,
        )

    async def start(self) -> None:
        await upgrade_to_head(self.engine, SPEC.migrations_dir)
        self.task = asyncio.create_task(
            self.consumer.run(self.stop, bootstrap_servers=self.broker, client_id="rebuild-test")
        )

    async def wait_for(self, prefix: str, count: int, timeout_s: float = 60) -> None:
        inbox = messaging.inbox
        query = select(func.count()).select_from(inbox).where(inbox.c.stream_id.like(f"{prefix}%"))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            async with self.engine.connect() as conn:
                if await conn.scalar(query) >= count:
                    return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{self.consumer.name} did not apply {count} events")

    async def picture(self, prefix: str) -> dict[str, list[dict[str, Any]]]:
        tables = {
            "cases": (wa_cases, wa_cases.c.case_id),
            "profiles": (wa_profiles, wa_profiles.c.profile_id),
            "alerts": (wa_alerts, wa_alerts.c.alert_id),
            "records": (wa_records, wa_records.c.record_id),
        }
        found = {}
        async with self.engine.connect() as conn:
            for name, (table, order) in tables.items():
                rows = [dict(r._mapping) for r in await conn.execute(select(table).order_by(order))]
                mine = [
                    r
                    for r in rows
                    if prefix in r.get("case_id", "")
                    or prefix in r.get("employer_key", "")
                    or prefix in r.get("record_id", "")
                ]
                found[name] = [{k: v for k, v in r.items() if k not in TIMESTAMPS} for r in mine]
        return found

    async def close(self) -> None:
        self.stop.set()
        await self.task
        await self.engine.dispose()


async def _publish(broker: str, records: list, *, pause_every: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=broker, acks="all")
    await producer.start()
    try:
        for i, (topic, record) in enumerate(records):
            await producer.send_and_wait(topic, value=record.value, key=record.key, headers=record.headers)
            if i % pause_every == 0:
                await asyncio.sleep(0.02)  # let the live follower apply as the stream grows
    finally:
        await producer.stop()


async def test_a_rebuild_from_the_earliest_offset_gives_the_same_picture(
    db_backend: str, broker: str, tmp_path: Path
) -> None:
    await ensure_topics(broker)
    run = f"rb{uuid.uuid4().hex[:6]}"  # survives name normalisation, so it marks employer keys too
    stream = Stream()
    records = [stream.record(e) for e in scenario(60, run=run)]
    async with fresh_database(db_backend, tmp_path) as live_url, fresh_database(db_backend, tmp_path) as fresh_url:
        live = Follower(live_url, broker)
        await live.start()
        try:
            await _publish(broker, records, pause_every=10)
            await live.wait_for(run, len(records))
            rebuilt = Follower(fresh_url, broker)
            await rebuilt.start()
            try:
                await rebuilt.wait_for(run, len(records))
                incremental, from_scratch = await live.picture(run), await rebuilt.picture(run)
            finally:
                await rebuilt.close()
        finally:
            await live.close()
    assert len(incremental["cases"]) >= 60 and len(incremental["alerts"]) >= 10
    assert {a["rule"] for a in incremental["alerts"]} == {
        "collective_arrears",
        "police_dispatch",
        "repeated_complaints",
        "criminal_referral",
        "agreement_unpaid",
        "award_unpaid",
        "blacklist_eligible",
    }
    assert len(incremental["records"]) == 3
    assert from_scratch == incremental
