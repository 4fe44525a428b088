"""Reporting use cases: keep the read model from every service's events (a consumer handler),
read the dashboard's figures within a scope, and rebuild the read model from the topics.

A rebuild empties the read model and replays every case topic from its start under a consumer
group of its own, while the live consumer goes on with new events. Both apply an event at most
once: the read model keeps the id of every event it applied, and the folds only record facts,
so the order in which the two consumers meet a case's events does not change its figures. The
replay is done when it has read as many events as the live consumer had read when the rebuild
began.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from labornet_common.bus import topics
from labornet_common.bus.consumer import ANY_EVENT
from labornet_common.events import Envelope, utcnow
from labornet_common.runtime import Runtime, event_consumer
from labornet_common.uow import UnitOfWork
from labornet_gateway.adapters import reports as store
from labornet_gateway.domain.reports import (
    ALERT_TYPES,
    CASE_FOLDS,
    AlertFacts,
    CaseFacts,
    NamedEnterprise,
    fold_alert,
    fold_case,
)
from labornet_gateway.domain.reports import figures as compute_figures
from labornet_gateway.service.context import gateway_context

LIVE_CONSUMER = "gateway.reports"
REPLAY_TIMEOUT_S = 1800.0
REPLAY_QUIET_S = 1.0
log = logging.getLogger(__name__)


async def apply_event(uow: UnitOfWork, envelope: Envelope, data: Any) -> None:
    """Consumer handler (every case topic): fold the event into its case's or alert's sheet."""
    counted = envelope.type in CASE_FOLDS or envelope.type in ALERT_TYPES
    if not counted or not isinstance(data, dict):
        return
    if not await store.claim_event(session=uow.session, event_id=envelope.id):
        return
    if envelope.type in ALERT_TYPES:
        alert_id = str(data.get("alert_id") or "")
        known_alert = await store.get_alert(session=uow.session, alert_id=alert_id)
        alert = known_alert or AlertFacts(alert_id=alert_id)
        fold_alert(alert, envelope.type, data)
        await store.save_alert(session=uow.session, facts=alert, known=known_alert is not None)
        return
    case_id = str(data.get("case_id") or envelope.subject)
    known = await store.get_case(session=uow.session, case_id=case_id)
    facts = known or CaseFacts(case_id=case_id)
    fold_case(facts, envelope.type, data)
    await store.save_case(session=uow.session, facts=facts, known=known is not None)


async def dashboard(*, uow: UnitOfWork, scopes: Sequence[str], today: date) -> dict[str, Any]:
    async with uow:
        cases = await store.cases_within(session=uow.session, scopes=scopes)
        alerts = await store.alerts_within(session=uow.session, scopes=scopes)
        enterprises = await store.enterprises_within(session=uow.session, scopes=scopes)
    return compute_figures(cases, alerts, enterprises, today=today)


async def name_enterprise(*, uow: UnitOfWork, named: NamedEnterprise, region: str) -> None:
    async with uow:
        await store.add_enterprise(session=uow.session, named=named, region=region)
        await uow.commit()


async def start_rebuild(*, runtime: Runtime, requested_by: str) -> str | None:
    """Empty the read model and replay the topics in the background; returns the rebuild's id,
    or None while another rebuild is still running."""
    rebuild_id = str(uuid.uuid4())
    inbox = runtime.tables.inbox
    async with runtime.uow() as uow:
        started_after = utcnow() - timedelta(seconds=REPLAY_TIMEOUT_S)
        if await store.running_rebuild(session=uow.session, started_after=started_after) is not None:
            return None
        target = await uow.session.scalar(
            select(func.count()).select_from(inbox).where(inbox.c.consumer == LIVE_CONSUMER)
        )
        await store.clear(session=uow.session)
        await store.start_rebuild(session=uow.session, rebuild_id=rebuild_id, requested_by=requested_by)
        await uow.commit()
    task = asyncio.create_task(_replay(runtime, rebuild_id, int(target or 0)), name=f"reports-rebuild-{rebuild_id}")
    rebuilds = gateway_context(runtime).report_rebuilds  # held, so the task is not collected midway
    rebuilds.add(task)
    task.add_done_callback(rebuilds.discard)
    return rebuild_id


async def _replay(runtime: Runtime, rebuild_id: str, target: int) -> None:
    name = f"{LIVE_CONSUMER}.replay-{rebuild_id[:8]}"
    consumer = event_consumer(runtime, name=name, topics=topics.CASE_TOPICS, handlers={ANY_EVENT: apply_event})
    stop = asyncio.Event()
    settings = runtime.settings
    run = asyncio.create_task(
        consumer.run(stop, bootstrap_servers=settings.kafka_bootstrap_servers, client_id=settings.kafka_client_id)
    )
    status, read = "failed", 0
    try:
        read = await _until_read(runtime, name, target, run)
        status = "finished" if read >= target else "failed"
    except Exception:
        log.exception("report rebuild %s failed", rebuild_id)
    finally:
        stop.set()
        await asyncio.gather(run, return_exceptions=True)
        async with runtime.uow() as uow:
            for table in (runtime.tables.inbox, runtime.tables.inbox_streams):
                await uow.session.execute(delete(table).where(table.c.consumer == name))
            await store.finish_rebuild(session=uow.session, rebuild_id=rebuild_id, events=read, status=status)
            await uow.commit()


async def _until_read(runtime: Runtime, name: str, target: int, run: asyncio.Task[None]) -> int:
    """Wait until the replay has read at least ``target`` events and then read nothing new for
    a second (it reached the end of what the topics held; a partition read late still counts)."""
    inbox = runtime.tables.inbox
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REPLAY_TIMEOUT_S
    read, quiet_since = -1, loop.time()
    while loop.time() < deadline and not run.done() and not runtime.stop.is_set():
        async with runtime.engine.connect() as conn:
            now = int(await conn.scalar(select(func.count()).select_from(inbox).where(inbox.c.consumer == name)) or 0)
        if now != read:
            read, quiet_since = now, loop.time()
        elif read >= target and loop.time() - quiet_since >= REPLAY_QUIET_S:
            return read
        await asyncio.sleep(0.2)
    return max(read, 0)


async def rebuild_status(*, uow: UnitOfWork, rebuild_id: str) -> dict[str, Any] | None:
    async with uow:
        return await store.rebuild(session=uow.session, rebuild_id=rebuild_id)
