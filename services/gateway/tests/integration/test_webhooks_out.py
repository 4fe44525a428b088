"""Outgoing webhooks against a real HTTP receiver that verifies with the standardwebhooks
package, as a court's system would: down for a while, then everything arrives, in order."""

from __future__ import annotations

import asyncio
import time
import uuid
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import event, select, update

from labornet_common.contracts.events import Envelope, to_kafka
from labornet_common.platform.bus.consumer import ANY_EVENT, EventConsumer
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.settings import BaseServiceSettings
from labornet_common.security.pii import cipher_from_settings
from labornet_common.testing.api import WebhookReceiver
from labornet_gateway.adapters.orm import messaging, metadata
from labornet_gateway.webhooks import endpoints
from labornet_gateway.webhooks.dispatcher import DELIVERIES_QUEUED, WebhookDispatcher
from labornet_gateway.webhooks.fanout import fan_out
from labornet_gateway.webhooks.settings import WebhookSettings
from labornet_gateway.webhooks.tables import attempts, deliveries, notices
from labornet_gateway.webhooks.tables import endpoints as endpoint_table


def _envelope(case: str, seq: int, region: str = "410311") -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        type="cn.labornet.arbitration.award.issued.v1",
        source="/labornet/arbitration",
        subject=case,
        data={"case_id": case, "division_code": region, "n": seq},
        sequence=seq,
    )


def _event(case: str, seq: int, region: str = "410311") -> dict:
    rec = to_kafka(_envelope(case, seq, region))
    return {"topic": "arbitration.cases.v1", "key": rec.key, "value": rec.value, "headers": rec.headers}


@pytest.fixture
async def gateway_db(database_url: str):
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


async def _make_due(engine) -> None:
    """Stand in for the clock: every pending retry becomes due now."""
    async with engine.begin() as conn:
        await conn.execute(
            update(deliveries).where(deliveries.c.status == "pending").values(next_attempt_at=deliveries.c.created_at)
        )


async def _wire(gateway_db, receiver: WebhookReceiver, client: httpx.AsyncClient, *, types, scopes):
    """An endpoint for the receiver, the fan-out consumer and a dispatcher, as the gateway wires them."""
    settings = WebhookSettings(webhook_allowed_hosts=f"127.0.0.1:{receiver.port}")
    cipher = cipher_from_settings(BaseServiceSettings(environment="test"))
    endpoint_id, secret = await endpoints.create_endpoint(
        engine=gateway_db,
        cipher=cipher,
        new=endpoints.NewEndpoint(f"http://127.0.0.1:{receiver.port}/hook", "court", types, scopes, "admin"),
    )
    receiver.secret = secret
    consumer = EventConsumer(
        name="gateway.webhooks",
        topics=["arbitration.cases.v1"],
        handlers={ANY_EVENT: fan_out},
        session_factory=session_factory(gateway_db),
        tables=messaging,
        source="/labornet/gateway",
    )
    dispatcher = WebhookDispatcher(engine=gateway_db, tables=messaging, settings=settings, cipher=cipher, client=client)
    return endpoint_id, cipher, consumer, dispatcher


async def test_receiver_down_then_gets_everything_in_order(gateway_db) -> None:
    async with WebhookReceiver() as receiver, httpx.AsyncClient() as client:
        _id, _cipher, consumer, dispatcher = await _wire(
            gateway_db, receiver, client, types=["cn.labornet.arbitration.*"], scopes=["4103"]
        )
        cases = [f"case-{uuid.uuid4().hex[:6]}" for _ in range(3)]
        for seq in range(1, 6):
            for case in cases:
                assert (await consumer.process(**_event(case, seq))).outcome == "applied"
        await consumer.process(**_event("case-fuzhou", 1, region="350102"))  # out of scope: no delivery

        receiver.status = 503  # the court's system is down
        for _ in range(3):
            assert await dispatcher.dispatch_due() == 3  # only the head of each case is tried
            await _make_due(gateway_db)
        receiver.status = 200
        while await dispatcher.dispatch_due():
            await _make_due(gateway_db)

        got: dict[str, list[int]] = {}
        for event in receiver.received:
            got.setdefault(event["subject"], []).append(int(event["sequence"]))
        assert got == {case: [1, 2, 3, 4, 5] for case in cases}
        assert receiver.rejected == 0
        async with gateway_db.connect() as conn:
            statuses = (await conn.execute(select(deliveries.c.status))).scalars().all()
            tries = (await conn.execute(select(attempts.c.status_code))).scalars().all()
        assert statuses == ["succeeded"] * 15
        assert tries.count(503) == 9 and tries.count(200) == 15  # every attempt is in the log


async def test_gone_disables_the_endpoint_and_tells_the_admins(gateway_db) -> None:
    async with WebhookReceiver() as receiver, httpx.AsyncClient() as client:
        endpoint_id, _cipher, consumer, dispatcher = await _wire(
            gateway_db, receiver, client, types=["*"], scopes=["*"]
        )
        receiver.status = 410
        for seq in (1, 2):
            await consumer.process(**_event("case-gone", seq))
        assert await dispatcher.dispatch_due() == 1
        assert await dispatcher.dispatch_due() == 0  # the endpoint is off: nothing more is sent
        async with gateway_db.connect() as conn:
            status = await conn.scalar(select(endpoint_table.c.status).where(endpoint_table.c.id == endpoint_id))
            left = (await conn.execute(select(deliveries.c.status).order_by(deliveries.c.id))).scalars().all()
            notice = (await conn.execute(select(notices.c.kind, notices.c.subject))).all()
        assert status == "disabled" and left == ["cancelled", "cancelled"]
        assert notice == [("webhook_endpoint_disabled", endpoint_id)]


async def test_rotation_signs_with_both_secrets(gateway_db) -> None:
    async with WebhookReceiver() as receiver, httpx.AsyncClient() as client:
        endpoint_id, cipher, consumer, dispatcher = await _wire(
            gateway_db, receiver, client, types=["*"], scopes=["4103"]
        )
        old = receiver.secret
        new = await endpoints.rotate_secret(engine=gateway_db, cipher=cipher, endpoint_id=endpoint_id)
        for seq, secret in ((1, old), (2, new)):  # a receiver on either secret accepts
            receiver.secret = secret
            await consumer.process(**_event("case-rot", seq))
            assert await dispatcher.dispatch_due() == 1
        assert [int(e["sequence"]) for e in receiver.received] == [1, 2] and receiver.rejected == 0


async def test_idle_dispatcher_backs_off_and_a_queued_delivery_wakes_it(gateway_db) -> None:
    settings = WebhookSettings(webhook_poll_interval_s=0.05, webhook_idle_max_s=5.0)
    cipher = cipher_from_settings(BaseServiceSettings(environment="test"))
    async with httpx.AsyncClient() as client:
        dispatcher = WebhookDispatcher(
            engine=gateway_db, tables=messaging, settings=settings, cipher=cipher, client=client
        )
        passes: list[float] = []

        async def counted() -> int:
            passes.append(time.monotonic())
            return 0

        dispatcher.dispatch_due = counted
        stop = asyncio.Event()
        task = asyncio.create_task(dispatcher.run(stop))
        try:
            await asyncio.sleep(2.0)
            # A fixed 50 ms poll would have made ~40 passes; doubling waits make 6 (0.05 … 1.6 s).
            assert len(passes) <= 8, len(passes)
            before, queued = len(passes), time.monotonic()
            DELIVERIES_QUEUED.notify()  # what a fan-out's commit and a replay do
            for _ in range(100):
                if len(passes) > before:
                    break
                await asyncio.sleep(0.01)
            assert len(passes) > before and passes[before] - queued < 0.5
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)


async def test_a_batch_reads_the_endpoints_once_and_fans_out_each_event_in_scope(gateway_db) -> None:
    async with WebhookReceiver() as receiver, httpx.AsyncClient() as client:
        endpoint_id, _cipher, consumer, _dispatcher = await _wire(
            gateway_db, receiver, client, types=["cn.labornet.arbitration.*"], scopes=["4103"]
        )
        cases = [f"case-{uuid.uuid4().hex[:6]}" for _ in range(2)]
        records = [_event(case, seq) for seq in (1, 2, 3) for case in cases] + [_event("case-far", 1, region="350102")]
        reads: list[str] = []
        event.listen(
            gateway_db.sync_engine,
            "before_cursor_execute",
            lambda *a: (
                reads.append(a[2]) if endpoint_table.name in a[2] and a[2].lstrip().startswith("SELECT") else None
            ),
        )
        settled = await consumer.process_batch([SimpleNamespace(**r) for r in records])
        assert settled is not None and {s.outcome for s in settled} == {"applied"}
        assert len(reads) == 1, reads
        async with gateway_db.connect() as conn:
            rows = (await conn.execute(select(deliveries.c.endpoint_id, deliveries.c.case_id))).all()
        assert sorted(case for _, case in rows) == sorted(cases * 3)  # the far case is out of scope
        assert {endpoint for endpoint, _ in rows} == {endpoint_id}


async def test_a_case_region_is_written_once_and_found_again_without_a_read(gateway_db) -> None:
    """A case's region is stored by its first event; its later events (in the same batch or a
    later one) neither write it again nor, when they carry none, read it back: the process
    learnt it once the transaction committed. A transaction that rolled back teaches nothing."""
    from labornet_common.platform.uow import UnitOfWork
    from labornet_gateway.webhooks.tables import case_regions

    async with WebhookReceiver() as receiver, httpx.AsyncClient() as client:
        _endpoint, _cipher, consumer, _dispatcher = await _wire(
            gateway_db, receiver, client, types=["cn.labornet.arbitration.*"], scopes=["4103"]
        )
        touched: list[str] = []
        event.listen(
            gateway_db.sync_engine,
            "before_cursor_execute",
            lambda *a: touched.append(a[2].split()[0]) if case_regions.name in a[2] else None,
        )
        case = f"case-{uuid.uuid4().hex[:6]}"
        settled = await consumer.process_batch([SimpleNamespace(**_event(case, n)) for n in (1, 2, 3)])
        assert settled is not None and {s.outcome for s in settled} == {"applied"}
        assert touched == ["INSERT"]
        later = [_event(case, 4), _event(case, 5, region="")]  # the last carries no region
        settled = await consumer.process_batch([SimpleNamespace(**r) for r in later])
        assert settled is not None and {s.outcome for s in settled} == {"applied"}
        assert touched == ["INSERT"]
        async with gateway_db.connect() as conn:
            delivered = (await conn.execute(select(deliveries.c.case_id).where(deliveries.c.case_id == case))).all()
        assert len(delivered) == 5  # the region-less event matched the endpoint's scope by the kept region

        other = f"case-{uuid.uuid4().hex[:6]}"
        uow = UnitOfWork(session_factory(gateway_db), messaging, source="/labornet/gateway")
        with pytest.raises(RuntimeError):
            async with uow:
                await fan_out(uow, _envelope(other, 1, "410311"), None)
                raise RuntimeError("the batch failed")
        async with uow:
            await fan_out(uow, _envelope(other, 1, "410311"), None)
            await uow.commit()
        assert touched == ["INSERT", "INSERT", "INSERT"]  # written again after the rollback
        async with gateway_db.connect() as conn:
            stored = (await conn.execute(select(case_regions.c.region).where(case_regions.c.case_id == other))).all()
        assert [r.region for r in stored] == ["410311"]
