"""Reading alerts, profiles and referral packages through the caller's eyes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement

from labornet_common.auth import Principal
from labornet_common.pagination import Cursor, PageRequest
from labornet_common.uow import UnitOfWork
from labornet_common.visibility import visible_cases
from labornet_wage_arrears.adapters import repository
from labornet_wage_arrears.adapters.orm import wa_alerts, wa_profiles
from labornet_wage_arrears.domain.alerts import Alert
from labornet_wage_arrears.domain.policy import DESK_ROLES, can_work, can_work_alert
from labornet_wage_arrears.domain.records import Order
from labornet_wage_arrears.domain.referral import build_package


@dataclass(frozen=True)
class AlertFilter:
    severity: str | None = None
    state: str | None = None
    region: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class AlertPage:
    items: list[Alert]
    next_cursor: str | None


def in_scope(principal: Principal, id_column: ColumnElement, *region_columns: ColumnElement) -> ColumnElement:
    return visible_cases(principal, staff_roles=DESK_ROLES, case_id=id_column, divisions=list(region_columns))


def _reaches(principal: Principal, alert: Alert) -> bool:
    return can_work_alert(principal, region_code=alert.region_code, dispatched_region=alert.dispatched_region)


async def list_alerts(*, uow: UnitOfWork, principal: Principal, page: PageRequest, filters: AlertFilter) -> AlertPage:
    c = wa_alerts.c
    where = [
        in_scope(principal, c.alert_id, c.region_code, c.dispatched_region),
        page.older_than_cursor(c.raised_at, c.alert_id),
    ]
    for column, value in ((c.severity, filters.severity), (c.state, filters.state), (c.rule, filters.rule)):
        if value is not None:
            where.append(column == value)
    if filters.region:
        where.append(c.region_code.like(f"{filters.region}%"))  # validated digits: nothing to escape
    async with uow:
        rows = await repository.list_alerts(session=uow.session, where=where, limit=page.limit + 1)
    items = [a for a in rows[: page.limit] if _reaches(principal, a)]
    last = rows[page.limit - 1] if len(rows) > page.limit else None
    return AlertPage(items, Cursor(at=last.raised_at, id=last.alert_id).encode() if last else None)


async def get_alert(*, uow: UnitOfWork, principal: Principal, alert_id: str) -> Alert | None:
    async with uow:
        alert = await repository.get_alert(session=uow.session, alert_id=alert_id)
    return alert if alert is not None and _reaches(principal, alert) else None


async def list_profiles(
    *, uow: UnitOfWork, principal: Principal, region: str | None, kind: str | None, limit: int
) -> list[dict[str, Any]]:
    c = wa_profiles.c
    where = [in_scope(principal, c.profile_id, c.region_code)]
    if region:
        where.append(c.region_code.like(f"{region}%"))
    if kind:
        where.append(c.kind == kind)
    async with uow:
        rows = await repository.list_profiles(session=uow.session, where=where, limit=limit)
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
        records = await repository.records_of(
            session=uow.session, employer_key=alert.employer_key, region=alert.region_code
        )
    orders = [r for r in records if isinstance(r, Order)]
    return build_package(alert, cases, generated_at=now, orders=orders)
