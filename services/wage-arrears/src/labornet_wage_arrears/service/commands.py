"""Use cases that change alerts: the desk's lifecycle actions and the scanner's steps (escalation,
and orders to pay whose limit ran out; service/scanner.py runs them)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from labornet_common.platform.clock import local_date
from labornet_common.platform.problems import NotFound
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_wage_arrears.adapters import repository
from labornet_wage_arrears.domain.alerts import Alert
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.domain.policy import can_work_alert
from labornet_wage_arrears.service.engine import refresh

log = logging.getLogger(__name__)
Action = Callable[[Alert], None]


async def act(*, uow: UnitOfWork, principal: Principal, alert_id: str, action: Action) -> Alert:
    """Load the alert for update, check the caller's reach (outside it: 404), apply, commit."""
    async with uow:
        alert = await repository.get_alert(session=uow.session, alert_id=alert_id, for_update=True)
        if alert is None or not can_work_alert(
            principal, region_code=alert.region_code, dispatched_region=alert.dispatched_region
        ):
            raise NotFound()
        action(alert)  # a refused move (TransitionRefused) is answered 409 by the platform
        await repository.save_alerts(session=uow.session, alerts=[alert])
        await uow.commit()
    return alert


async def acknowledge(*, uow: UnitOfWork, principal: Principal, alert_id: str, book: RuleBook, now: datetime) -> Alert:
    def step(alert: Alert) -> None:
        alert.acknowledge(by=principal.subject, now=now, config=book.for_region(alert.region_code))

    return await act(uow=uow, principal=principal, alert_id=alert_id, action=step)


async def dispatch(*, uow: UnitOfWork, principal: Principal, alert_id: str, to: str, note: str, now: datetime) -> Alert:
    def step(alert: Alert) -> None:
        alert.dispatch(by=principal.subject, to=to, now=now, note=note)

    return await act(uow=uow, principal=principal, alert_id=alert_id, action=step)


async def resolve(*, uow: UnitOfWork, principal: Principal, alert_id: str, reason: str, now: datetime) -> Alert:
    def step(alert: Alert) -> None:
        alert.resolve(by=principal.subject, reason=reason, now=now)

    return await act(uow=uow, principal=principal, alert_id=alert_id, action=step)


async def close(*, uow: UnitOfWork, principal: Principal, alert_id: str, reason: str, now: datetime) -> Alert:
    def step(alert: Alert) -> None:
        alert.close(by=principal.subject, reason=reason, now=now)

    return await act(uow=uow, principal=principal, alert_id=alert_id, action=step)


async def escalate_overdue(*, uow_factory: Callable[[], UnitOfWork], now: datetime, book: RuleBook) -> list[str]:
    """Escalate every alert whose clock ran out by ``now``, each in its own transaction."""
    async with uow_factory() as uow:
        candidates = await repository.overdue_alert_ids(session=uow.session, now=now)
    escalated = []
    for alert_id in candidates:
        async with uow_factory() as uow:
            alert = await repository.get_alert(session=uow.session, alert_id=alert_id, for_update=True)
            if alert is None or not alert.overdue(now):
                continue  # acknowledged or escalated meanwhile
            alert.escalate(now=now, config=book.for_region(alert.region_code))
            await repository.save_alerts(session=uow.session, alerts=[alert])
            await uow.commit()
            escalated.append(alert_id)
    return escalated


async def refresh_lapsed_orders(
    *, uow_factory: Callable[[], UnitOfWork], now: datetime, book: RuleBook
) -> list[tuple[str, str]]:
    """Refresh every employer with an order whose time limit ran out since its picture was last
    refreshed: no event marks the day an order goes unpaid past its limit, only the calendar."""
    async with uow_factory() as uow:
        employers = await repository.lapsing_employers(session=uow.session, today=local_date(now))
    for employer_key, region in employers:
        async with uow_factory() as uow:
            await refresh(uow=uow, employer_key=employer_key, region=region, now=now, book=book)
            await uow.commit()
    return employers
