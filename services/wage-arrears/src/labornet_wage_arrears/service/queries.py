"""Reading alerts, profiles and referral packages through the caller's eyes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from labornet_common.platform.listing import ListQuery
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_wage_arrears.adapters import alert_search, repository
from labornet_wage_arrears.domain.alerts import Alert
from labornet_wage_arrears.domain.policy import can_work, can_work_alert
from labornet_wage_arrears.domain.records import Order
from labornet_wage_arrears.domain.referral import build_package


@dataclass(frozen=True)
class AlertFilter:
    severity: str | None = None
    state: str | None = None
    region: str | None = None
    rule: str | None = None
    referred: bool = False  # only the alerts recommending a criminal referral (they carry its id)


@dataclass(frozen=True)
class AlertPage:
    items: list[Alert]
    next_cursor: str | None


def _reaches(principal: Principal, alert: Alert) -> bool:
    return can_work_alert(principal, region_code=alert.region_code, dispatched_region=alert.dispatched_region)


async def list_alerts(
    *, uow: UnitOfWork, principal: Principal, query: ListQuery, filters: AlertFilter, now: datetime
) -> AlertPage:
    """A page of alerts in scope: ``q`` finds the employer (name or USCC), the project, the alert
    id or the referral id; ``status`` the states (or ``state``, one); ``clock``; ``from``/``to`` on
    the day raised; ``sort``: raised_desc (default), raised_asc, amount_desc, amount_asc."""
    async with uow:
        items, cursor = await alert_search.alert_page(
            session=uow.session,
            principal=principal,
            query=query,
            now=now,
            severity=filters.severity,
            state=filters.state,
            rule=filters.rule,
            region=filters.region,
            referred=filters.referred,
        )
    return AlertPage([a for a in items if _reaches(principal, a)], cursor)


async def get_alert(*, uow: UnitOfWork, principal: Principal, alert_id: str) -> Alert | None:
    async with uow:
        alert = await repository.get_alert(session=uow.session, alert_id=alert_id)
    return alert if alert is not None and _reaches(principal, alert) else None


async def list_profiles(
    *, uow: UnitOfWork, principal: Principal, region: str | None, kind: str | None, limit: int
) -> list[dict[str, Any]]:
    async with uow:
        rows = await alert_search.profiles(
            session=uow.session, principal=principal, region=region, kind=kind, limit=limit
        )
    return [r for r in rows if can_work(principal, region_code=r["region_code"])]


async def get_profile(*, uow: UnitOfWork, principal: Principal, profile_id: str) -> dict[str, Any] | None:
    async with uow:
        row = await repository.get_profile(session=uow.session, profile_id=profile_id)
    return row if row is not None and can_work(principal, region_code=row["region_code"]) else None


async def referral_package(
    *, uow: UnitOfWork, principal: Principal, referral_id: str, now: datetime
) -> dict[str, Any] | None:
    async with uow:
        alert = await repository.get_alert_by_referral(session=uow.session, referral_id=referral_id)
        if alert is None or not _reaches(principal, alert):
            return None
        cases = [
            facts
            for case_id in alert.case_ids
            if (facts := await repository.get_case(session=uow.session, case_id=case_id)) is not None
        ]
        picture = (alert.employer_key, alert.region_code)
        records = (await repository.records_of(session=uow.session, pictures=[picture]))[picture]
    orders = [r for r in records if isinstance(r, Order)]
    return build_package(alert, cases, generated_at=now, orders=orders)
