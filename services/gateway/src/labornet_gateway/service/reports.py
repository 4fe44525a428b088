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
from datetime import date, datetime, timedelta
from typing import Any

from labornet_common.contracts.enterprises import (
    HarmoniousEnterpriseNamed,
    HarmoniousEnterpriseRemoved,
    enterprise_stream,
)
from labornet_common.contracts.events import Envelope, utcnow
from labornet_common.platform.bus import topics
from labornet_common.platform.bus.consumer import ANY_EVENT
from labornet_common.platform.listing import ListQuery, check_choice
from labornet_common.platform.problems import Conflict, InvalidInput, NotFound
from labornet_common.platform.runtime import Runtime, event_consumer
from labornet_common.platform.uow import UnitOfWork, transaction_state
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
_SHEETS = "labornet.reports.sheets"  # per transaction: case id -> (stored already, the sheet as folded)
_QUEUED = "labornet.reports.queued"  # per transaction: event id -> (type, subject, data), in order
REPLAY_TIMEOUT_S = 1800.0
REPLAY_QUIET_S = 1.0
log = logging.getLogger(__name__)


async def apply_event(uow: UnitOfWork, envelope: Envelope, data: Any) -> None:
    """Consumer handler (every case topic): fold the event into its case's or alert's sheet.

    The transaction's events are folded together just before it commits: claimed in one
    statement (an event the other consumer, live or replay, applied first is left out), the
    sheets of their cases read in one, each sheet written once."""
    counted = envelope.type in CASE_FOLDS or envelope.type in ALERT_TYPES
    if not counted or not isinstance(data, dict):
        return
    queued: dict[str, tuple[str, str, dict[str, Any]]] = transaction_state(uow.session, _QUEUED)
    queued.setdefault(envelope.id, (envelope.type, envelope.subject, data))
    uow.before_commit(("reports",), lambda: _fold_queued(uow))


async def _fold_queued(uow: UnitOfWork) -> None:
    """Fold the events ``apply_event`` queued, in the order they came, those claimed only."""
    session = uow.session
    queued: dict[str, tuple[str, str, dict[str, Any]]] = transaction_state(session, _QUEUED)
    events = list(queued.items())
    queued.clear()
    claimed = await store.claim_events(session=session, event_ids=[event_id for event_id, _ in events])
    events = [event for event in events if event[0] in claimed]
    # A transaction reads each case's sheet once and writes it once, before it commits.
    sheets: dict[str, tuple[bool, CaseFacts]] = transaction_state(session, _SHEETS)
    cases = {_case_of(subject, data) for _, (kind, subject, data) in events if kind not in ALERT_TYPES}
    unread = sorted(cases - set(sheets))
    stored = await store.get_cases(session=session, case_ids=unread)
    for case_id in unread:
        sheets[case_id] = (case_id in stored, stored.get(case_id) or CaseFacts(case_id=case_id))
    alerts = await store.get_alerts(
        session=session,
        alert_ids=[str(data.get("alert_id") or "") for _, (kind, _, data) in events if kind in ALERT_TYPES],
    )
    stored_alerts = set(alerts)
    folded: dict[str, None] = {}  # the cases folded, in order
    for _, (kind, subject, data) in events:
        if kind in ALERT_TYPES:
            alert_id = str(data.get("alert_id") or "")
            fold_alert(alerts.setdefault(alert_id, AlertFacts(alert_id=alert_id)), kind, data)
            continue
        case_id = _case_of(subject, data)
        fold_case(sheets[case_id][1], kind, data)
        folded[case_id] = None
    # Each sheet and alert the transaction folded is written once, all in one INSERT and one UPDATE.
    await store.save_cases(session=session, sheets=[(sheets[c][1], sheets[c][0]) for c in folded])
    for case_id in folded:
        sheets[case_id] = (True, sheets[case_id][1])
    await store.save_alerts(session=session, alerts=[(a, a.alert_id in stored_alerts) for a in alerts.values()])


def _case_of(subject: str, data: dict[str, Any]) -> str:
    return str(data.get("case_id") or subject)


async def dashboard(*, uow: UnitOfWork, scopes: Sequence[str], today: date) -> dict[str, Any]:
    async with uow:
        cases = await store.cases_within(session=uow.session, scopes=scopes)
        alerts = await store.alerts_within(session=uow.session, scopes=scopes)
        enterprises = await store.enterprises_within(session=uow.session, scopes=scopes)
    return compute_figures(cases, alerts, enterprises, today=today)


# -- the register of named 和谐劳动关系 enterprises --------------------------------------------------

ENTERPRISE_STATES = store.ENTERPRISE_STATES


def enterprise_view(row: dict[str, Any]) -> dict[str, Any]:
    """A register entry as the API answers with it."""
    return {
        "enterprise_id": row["public_id"],
        "name": row["name"],
        "uscc": row["uscc"],
        "level": row["level"],
        "named_on": row["named_on"],
        "region": row["region"],
        "named_by": row["named_by"],
        "named_at": row["created_at"],
        "status": "removed" if row["removed_at"] else "named",
        "removed_at": row["removed_at"],
        "removed_by": row["removed_by"],
        "removal_reason": row["removal_reason"],
    }


async def name_enterprise(
    *, uow: UnitOfWork, named: NamedEnterprise, region: str, named_by: str, now: datetime
) -> dict[str, Any]:
    """Enter the naming in the register and announce it (HarmoniousEnterpriseNamed, through the
    outbox in the same transaction)."""
    public_id = str(uuid.uuid4())
    async with uow:
        await store.add_enterprise(
            session=uow.session, public_id=public_id, named=named, region=region, named_by=named_by, at=now
        )
        uow.record(
            enterprise_stream(public_id),
            HarmoniousEnterpriseNamed(
                enterprise_id=public_id,
                name=named.name,
                uscc=named.uscc,
                level=named.level,
                named_on=named.named_on,
                region=region,
                named_by=named_by,
                named_at=now,
            ),
        )
        await uow.commit()
        row = await store.get_enterprise(session=uow.session, public_id=public_id)
    assert row is not None
    return enterprise_view(row)


async def remove_enterprise(
    *, uow: UnitOfWork, scopes: Sequence[str], enterprise_id: str, reason: str, removed_by: str, now: datetime
) -> dict[str, Any]:
    """Take the enterprise off the register (and the dashboard's check) and announce it
    (HarmoniousEnterpriseRemoved). 404 outside the caller's regions; 409 when already removed."""
    async with uow:
        row = await store.get_enterprise(session=uow.session, public_id=enterprise_id, for_update=True)
        if row is None or not _reaches(scopes, row["region"]):
            raise NotFound()
        if row["removed_at"] is not None:
            raise Conflict("reports.enterprise_removed")
        await store.remove_enterprise(
            session=uow.session, public_id=enterprise_id, reason=reason, removed_by=removed_by, at=now
        )
        uow.record(
            enterprise_stream(enterprise_id),
            HarmoniousEnterpriseRemoved(
                enterprise_id=enterprise_id, region=row["region"], reason=reason, removed_by=removed_by, removed_at=now
            ),
        )
        await uow.commit()
        row = await store.get_enterprise(session=uow.session, public_id=enterprise_id)
    assert row is not None
    return enterprise_view(row)


def _reaches(scopes: Sequence[str], region: str) -> bool:
    """Only an administrator of the naming region (or one holding it) may remove the naming."""
    return "*" in scopes or any(s and region.startswith(s) for s in scopes)


async def list_enterprises(
    *, uow: UnitOfWork, scopes: Sequence[str], query: ListQuery
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the register seen from ``scopes`` (as the dashboard's check sees it): ``q``
    finds the name or the USCC; ``status``: named, removed; ``from``/``to`` on the day entered;
    ``sort``: named_desc (default), named_asc."""
    check_choice("clock", query.clock, (), "list.clock_invalid")
    if set(query.status) - set(ENTERPRISE_STATES):
        raise InvalidInput.at("status", "list.status_invalid")
    async with uow:
        items, cursor = await store.enterprise_page(session=uow.session, scopes=scopes, query=query)
    return [enterprise_view(r) for r in items], cursor


async def start_rebuild(*, runtime: Runtime, requested_by: str) -> str | None:
    """Empty the read model and replay the topics in the background; returns the rebuild's id,
    or None while another rebuild is still running."""
    rebuild_id = str(uuid.uuid4())
    inbox = runtime.tables.inbox
    async with runtime.uow() as uow:
        started_after = utcnow() - timedelta(seconds=REPLAY_TIMEOUT_S)
        if await store.running_rebuild(session=uow.session, started_after=started_after) is not None:
            return None
        target = await store.events_read(session=uow.session, inbox=inbox, consumer=LIVE_CONSUMER)
        await store.clear(session=uow.session)
        await store.start_rebuild(session=uow.session, rebuild_id=rebuild_id, requested_by=requested_by)
        await uow.commit()
    task = asyncio.create_task(_replay(runtime, rebuild_id, target), name=f"reports-rebuild-{rebuild_id}")
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
            tables = (runtime.tables.inbox, runtime.tables.inbox_streams)
            await store.forget_consumer(session=uow.session, tables=tables, consumer=name)
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
        async with runtime.uow() as uow:
            now = await store.events_read(session=uow.session, inbox=inbox, consumer=name)
        if now != read:
            read, quiet_since = now, loop.time()
        elif read >= target and loop.time() - quiet_since >= REPLAY_QUIET_S:
            return read
        await asyncio.sleep(0.2)
    return max(read, 0)


async def rebuild_status(*, uow: UnitOfWork, rebuild_id: str) -> dict[str, Any] | None:
    async with uow:
        return await store.rebuild(session=uow.session, rebuild_id=rebuild_id)
