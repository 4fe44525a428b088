"""The reporting read model's tables and repository: one fact sheet per case and per wage-arrears
alert, the events already applied (by event id, so a replay applies each once), the named
和谐劳动关系 enterprises and the rebuilds run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from labornet_common.contracts.events import utcnow
from labornet_common.platform.db import insert_new_rows
from labornet_common.platform.listing import ListQuery, SortOrder, keyset, text_match, within_dates
from labornet_common.platform.stored import write_rows
from labornet_common.security.visibility import division_prefix
from labornet_gateway.adapters.orm import metadata
from labornet_gateway.domain.reports import AlertFacts, CaseFacts, NamedEnterprise

report_cases = Table(
    "report_cases",
    metadata,
    Column("case_id", String(100), primary_key=True),
    Column("region", String(20), nullable=False, index=True),
    Column("facts", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
report_alerts = Table(
    "report_alerts",
    metadata,
    Column("alert_id", String(100), primary_key=True),
    Column("region", String(20), nullable=False, index=True),
    Column("facts", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
report_applied = Table(
    "report_applied",
    metadata,
    Column("event_id", String(100), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
# The register of named enterprises. A removal is kept (removed_at and why), not deleted; the
# dashboard's check reads only those not removed. public_id is the id the API and events use.
named_enterprises = Table(
    "named_enterprises",
    metadata,
    Column("enterprise_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("uscc", String(18), nullable=False),  # '' when named by name alone
    Column("level", String(20), nullable=False),
    Column("named_on", Date),
    Column("region", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("public_id", String(36), index=True, unique=True),
    Column("named_by", String(200), nullable=False, server_default=""),
    Column("removed_at", DateTime(timezone=True)),
    Column("removed_by", String(200)),
    Column("removal_reason", Text),
    Index("ix_named_enterprises_created_public", "created_at", "public_id"),
)
report_rebuilds = Table(
    "report_rebuilds",
    metadata,
    Column("rebuild_id", String(36), primary_key=True),
    Column("requested_by", String(200), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("events", Integer, nullable=False, default=0),
    Column("status", String(20), nullable=False),  # running | finished | failed
)
READ_MODEL = (report_cases, report_alerts, report_applied)


def _within(column: ColumnElement[str], scopes: Sequence[str]) -> ColumnElement[bool] | None:
    if "*" in scopes:
        return None
    return or_(*(division_prefix(column, s) for s in scopes if s)) if any(scopes) else column == "\x00"


async def claim_events(*, session: AsyncSession, event_ids: Sequence[str]) -> set[str]:
    """Mark the events applied, in one statement; the ids of those that were not yet (live and
    replay consumers alike). Sorted, so a replay and the live consumer claiming the same events
    at once never wait on each other in a cycle."""
    now = utcnow()
    rows = [{"event_id": event_id, "applied_at": now} for event_id in sorted(set(event_ids))]
    return await insert_new_rows(session, report_applied, rows, key=report_applied.c.event_id)


async def get_cases(*, session: AsyncSession, case_ids: Sequence[str]) -> dict[str, CaseFacts]:
    """The sheets of ``case_ids`` that exist, locked, in one statement."""
    return {
        key: CaseFacts.from_dict(facts)
        for key, facts in (await _facts_locked(session, report_cases.c.case_id, case_ids)).items()
    }


async def save_cases(*, session: AsyncSession, sheets: Sequence[tuple[CaseFacts, bool]]) -> None:
    """Write the sheets, each with whether it is stored already: one INSERT, one UPDATE."""
    await _write_facts(
        session, report_cases.c.case_id, [(f.case_id, f.region, f.to_dict(), known) for f, known in sheets]
    )


async def get_alerts(*, session: AsyncSession, alert_ids: Sequence[str]) -> dict[str, AlertFacts]:
    """The alerts of ``alert_ids`` that exist, locked, in one statement."""
    return {
        key: AlertFacts.from_dict(facts)
        for key, facts in (await _facts_locked(session, report_alerts.c.alert_id, alert_ids)).items()
    }


async def save_alerts(*, session: AsyncSession, alerts: Sequence[tuple[AlertFacts, bool]]) -> None:
    """Write the alerts, each with whether it is stored already: one INSERT, one UPDATE."""
    await _write_facts(
        session, report_alerts.c.alert_id, [(a.alert_id, a.region, a.to_dict(), known) for a, known in alerts]
    )


async def _facts_locked(session: AsyncSession, key: Column[str], keys: Sequence[str]) -> dict[str, Any]:
    """The facts of the rows of ``keys`` (in ``key``'s table) that exist, locked in key order, in
    one statement."""
    if not keys:
        return {}
    table = key.table
    query = select(key, table.c.facts).where(key.in_(sorted(set(keys)))).order_by(key).with_for_update()
    return {row[0]: row.facts for row in await session.execute(query)}


async def _write_facts(session: AsyncSession, key: Column[str], rows: Sequence[tuple[str, str, Any, bool]]) -> None:
    """Rows of (key, region, facts, stored already) into ``key``'s table."""
    now = utcnow()
    written = [
        ({key.name: k, "region": region, "facts": facts, "updated_at": now}, known) for k, region, facts, known in rows
    ]
    await write_rows(session, key.table, key_column=key.name, rows=written)


async def cases_within(*, session: AsyncSession, scopes: Sequence[str]) -> list[CaseFacts]:
    query = select(report_cases.c.facts).order_by(report_cases.c.case_id)
    if (where := _within(report_cases.c.region, scopes)) is not None:
        query = query.where(where)
    return [CaseFacts.from_dict(row.facts) for row in await session.execute(query)]


async def alerts_within(*, session: AsyncSession, scopes: Sequence[str]) -> list[AlertFacts]:
    query = select(report_alerts.c.facts).order_by(report_alerts.c.alert_id)
    if (where := _within(report_alerts.c.region, scopes)) is not None:
        query = query.where(where)
    return [AlertFacts.from_dict(row.facts) for row in await session.execute(query)]


def _enterprise_regions(scopes: Sequence[str]) -> ColumnElement[bool] | None:
    """Named enterprises seen from ``scopes``: named in a region within one of them (a city's
    naming holds in its districts and streets) or in a region holding one of them."""
    if "*" in scopes:
        return None
    region = named_enterprises.c.region
    return or_(*(or_(region.like(f"{s}%"), literal(s).like(region + "%")) for s in scopes if s), region == "")


async def enterprises_within(*, session: AsyncSession, scopes: Sequence[str]) -> list[NamedEnterprise]:
    """The enterprises the dashboard checks: named and not removed."""
    query = (
        select(named_enterprises)
        .where(named_enterprises.c.removed_at.is_(None))
        .order_by(named_enterprises.c.enterprise_id)
    )
    if (where := _enterprise_regions(scopes)) is not None:
        query = query.where(where)
    rows = await session.execute(query)
    return [NamedEnterprise(name=r.name, uscc=r.uscc, level=r.level, named_on=r.named_on) for r in rows]


async def add_enterprise(
    *, session: AsyncSession, public_id: str, named: NamedEnterprise, region: str, named_by: str, at: datetime
) -> None:
    await session.execute(
        insert(named_enterprises).values(
            public_id=public_id,
            name=named.name,
            uscc=named.uscc,
            level=named.level,
            named_on=named.named_on,
            region=region,
            named_by=named_by,
            created_at=at,
        )
    )


async def get_enterprise(*, session: AsyncSession, public_id: str, for_update: bool = False) -> dict[str, Any] | None:
    query = select(named_enterprises).where(named_enterprises.c.public_id == public_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).mappings().first()
    return None if row is None else dict(row)


ENTERPRISE_STATES = ("named", "removed")
ENTERPRISE_ORDERS = {
    "named_desc": SortOrder(named_enterprises.c.created_at, descending=True),
    "named_asc": SortOrder(named_enterprises.c.created_at, descending=False),
}


async def enterprise_page(
    *, session: AsyncSession, scopes: Sequence[str], query: ListQuery
) -> tuple[list[dict[str, Any]], str | None]:
    """A keyset page of the register seen from ``scopes`` (``status`` among ENTERPRISE_STATES)."""
    c = named_enterprises.c
    page = keyset(query, ENTERPRISE_ORDERS, default="named_desc", id_column=c.public_id)
    removed = c.removed_at.is_not(None)
    states = {"named": ~removed, "removed": removed}
    select_page = (
        select(named_enterprises)
        .where(
            or_(*(states[s] for s in query.status)) if query.status else true(),
            within_dates(c.created_at, query, timestamp=True),
            text_match(query.text, [c.name, c.uscc]),
            page.where(),
        )
        .order_by(*page.order_by())
        .limit(page.limit + 1)
    )
    if (within := _enterprise_regions(scopes)) is not None:
        select_page = select_page.where(within)
    rows = [dict(r) for r in (await session.execute(select_page)).mappings()]
    return page.page(rows)


async def remove_enterprise(
    *, session: AsyncSession, public_id: str, reason: str, removed_by: str, at: datetime
) -> None:
    await session.execute(
        update(named_enterprises)
        .where(named_enterprises.c.public_id == public_id)
        .values(removed_at=at, removed_by=removed_by, removal_reason=reason)
    )


async def clear(*, session: AsyncSession) -> None:
    """Drop the read model's content (the named enterprises and rebuild log stay)."""
    for table in READ_MODEL:
        await session.execute(delete(table))


async def start_rebuild(*, session: AsyncSession, rebuild_id: str, requested_by: str) -> None:
    await session.execute(
        insert(report_rebuilds).values(
            rebuild_id=rebuild_id, requested_by=requested_by, started_at=utcnow(), events=0, status="running"
        )
    )


async def running_rebuild(*, session: AsyncSession, started_after: datetime) -> str | None:
    """A rebuild still running (one started before ``started_after`` was cut short by a stop)."""
    query = select(report_rebuilds.c.rebuild_id).where(
        report_rebuilds.c.status == "running", report_rebuilds.c.started_at > started_after
    )
    return await session.scalar(query.with_for_update())


async def finish_rebuild(*, session: AsyncSession, rebuild_id: str, events: int, status: str) -> None:
    await session.execute(
        update(report_rebuilds)
        .where(report_rebuilds.c.rebuild_id == rebuild_id)
        .values(finished_at=utcnow(), events=events, status=status)
    )


async def rebuild(*, session: AsyncSession, rebuild_id: str) -> dict[str, object] | None:
    row = (await session.execute(select(report_rebuilds).where(report_rebuilds.c.rebuild_id == rebuild_id))).first()
    return dict(row._mapping) if row else None


async def events_read(*, session: AsyncSession, inbox: Table, consumer: str) -> int:
    """How many events the consumer has read (its inbox rows)."""
    return int(await session.scalar(select(func.count()).select_from(inbox).where(inbox.c.consumer == consumer)) or 0)


async def forget_consumer(*, session: AsyncSession, tables: Sequence[Table], consumer: str) -> None:
    """Drop a finished replay's inbox rows and streams."""
    for table in tables:
        await session.execute(delete(table).where(table.c.consumer == consumer))
