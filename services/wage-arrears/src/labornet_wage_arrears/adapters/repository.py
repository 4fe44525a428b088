"""Storage of case facts, profiles and alerts (keyword-only, inside the caller's transaction)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.platform.clock import local_date
from labornet_common.platform.db import hold_rows
from labornet_common.platform.stored import remember, save_changed, write_rows
from labornet_common.platform.uow import register, transaction_state
from labornet_wage_arrears.adapters.orm import wa_alerts, wa_cases, wa_picture_locks, wa_profiles, wa_records
from labornet_wage_arrears.domain.alerts import Alert
from labornet_wage_arrears.domain.facts import CaseFacts
from labornet_wage_arrears.domain.profile import RiskProfile, Subject
from labornet_wage_arrears.domain.records import Record, from_row, keys_of, kind_of, record_id, to_row

_ALERT_FIELDS = [f.name for f in fields(Alert) if not f.name.startswith("_")]


def utc(value: datetime | None) -> datetime | None:
    # SQLite hands timestamps back without a zone; every stored time is UTC.
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# -- case facts ------------------------------------------------------------------------------


async def get_case(*, session: AsyncSession, case_id: str) -> CaseFacts | None:
    facts = await session.scalar(select(wa_cases.c.facts).where(wa_cases.c.case_id == case_id))
    return None if facts is None else CaseFacts.from_row(facts)


_BATCH = "wage-arrears.batch"  # per transaction: its consumer batch's stored facts ("rows"), cases without ("absent")


async def stored_facts(*, session: AsyncSession, case_id: str, batch: Sequence[str]) -> CaseFacts | None:
    """The case's facts as stored. The first case a transaction asks for brings the stored facts
    of every case of its consumer batch (``consumer.batch_subjects``), in one statement; each is
    handed out once (a case asked for again, its facts unchanged by this transaction, is read
    again)."""
    state = transaction_state(session, _BATCH)
    if "rows" not in state:
        wanted = sorted({case_id, *batch})
        query = select(wa_cases.c.case_id, wa_cases.c.facts).where(wa_cases.c.case_id.in_(wanted))
        state["rows"] = {row.case_id: row.facts for row in await session.execute(query)}
        state["absent"] = set(wanted) - set(state["rows"])
    rows, absent = state["rows"], state["absent"]
    if case_id in rows:
        return CaseFacts.from_row(rows.pop(case_id))
    if case_id in absent:
        absent.discard(case_id)
        return None
    return await get_case(session=session, case_id=case_id)


async def save_cases(*, session: AsyncSession, cases: Sequence[tuple[CaseFacts, bool]], now: datetime) -> None:
    """Write the cases' facts, each with whether it is stored already: one INSERT, one UPDATE."""
    rows = [
        (
            {
                "case_id": facts.case_id,
                "employer_key": facts.employer_key,
                "project_key": facts.project_key,
                "region_code": facts.region,
                "facts": facts.as_dict(),
                "updated_at": now,
            },
            stored,
        )
        for facts, stored in cases
    ]
    await write_rows(session, wa_cases, key_column="case_id", rows=rows)


PictureKey = tuple[str, str]  # (employer key, region): one employer's picture in one region


async def cases_of(
    *, session: AsyncSession, pictures: Sequence[PictureKey], held: Mapping[str, CaseFacts] | None = None
) -> dict[PictureKey, list[CaseFacts]]:
    """The case facts of each picture (every picture a key, none: an empty list), in one
    statement, in case id order. ``held``: cases this transaction has written, as it wrote them;
    they are taken from there, not read back and decoded again (a consumer batch's cases are
    most of the pictures it refreshes)."""
    c = wa_cases.c
    found: dict[PictureKey, list[CaseFacts]] = {p: [] for p in pictures}
    if not pictures:
        return found
    held = held or {}
    query = select(c.case_id, c.employer_key, c.region_code, c.facts).where(
        tuple_(c.employer_key, c.region_code).in_(sorted(found))
    )
    if held:
        query = query.where(c.case_id.not_in(sorted(held)))
    read = {row.case_id: CaseFacts.from_row(row.facts) for row in await session.execute(query)}
    for _case_id, facts in sorted({**read, **held}.items()):
        if (picture := (facts.employer_key, facts.region)) in found:
            found[picture].append(facts)
    return found


# -- profiles --------------------------------------------------------------------------------


_PROFILE_FIELDS = fields(RiskProfile)


async def replace_profiles(
    *, session: AsyncSession, profiles: Mapping[PictureKey, list[RiskProfile]], now: datetime
) -> None:
    """Each picture's profiles, recomputed whole (its projects may have changed): one delete
    and one insert for them all."""
    if not profiles:
        return
    c = wa_profiles.c
    await session.execute(delete(wa_profiles).where(tuple_(c.employer_key, c.region_code).in_(sorted(profiles))))
    rows = [_profile_row(p, now) for picture in sorted(profiles) for p in profiles[picture]]
    if rows:
        await session.execute(insert(wa_profiles), rows)


def _profile_row(profile: RiskProfile, now: datetime) -> dict[str, Any]:
    # Its fields are scalars bar the subject: read them as they are (``asdict`` would copy the subject too).
    row = {f.name: getattr(profile, f.name) for f in _PROFILE_FIELDS if f.name != "subject"}
    s: Subject = profile.subject
    row.update(
        profile_id=s.id,
        kind=s.kind,
        employer_key=s.employer_key,
        project_key=s.project_key,
        region_code=s.region_code,
        updated_at=now,
    )
    return row


async def get_profile(*, session: AsyncSession, profile_id: str) -> dict[str, Any] | None:
    row = (await session.execute(select(wa_profiles).where(wa_profiles.c.profile_id == profile_id))).first()
    return None if row is None else dict(row._mapping)


async def list_profiles(*, session: AsyncSession, where: list[ColumnElement], limit: int) -> list[dict[str, Any]]:
    c = wa_profiles.c
    query = select(wa_profiles).where(*where).order_by(c.wages_claimed_fen.desc(), c.profile_id).limit(limit)
    return [dict(r._mapping) for r in await session.execute(query)]


# -- alerts ----------------------------------------------------------------------------------


def _alert(row: Any) -> Alert:
    values = {k: row._mapping[k] for k in _ALERT_FIELDS}
    for name in ("raised_at", "updated_at", "due_at"):
        values[name] = utc(values[name])
    return Alert(**values)


def _alert_row(alert: Alert) -> dict[str, Any]:
    return {k: getattr(alert, k) for k in _ALERT_FIELDS}


def _registered(session: AsyncSession, row: Any) -> Alert:
    """The alert of a row, registered with the unit of work that owns the session, and
    remembered as stored (a save writes what changed)."""
    alert = _alert(row)
    register(session, alert)
    remember(session, wa_alerts, alert.alert_id, _alert_row(alert))
    return alert


async def hold_pictures(*, session: AsyncSession, pictures: Sequence[PictureKey]) -> None:
    """Refreshes of one employer's picture take turns (see orm.wa_picture_locks)."""
    await hold_rows(session, wa_picture_locks.c.picture_key, (f"{region}|{employer}" for employer, region in pictures))


async def latest_alerts(*, session: AsyncSession, pictures: Sequence[PictureKey]) -> dict[PictureKey, dict[str, Alert]]:
    """The latest occurrence of each alert key of each picture, locked: an inspector's action on
    one of them waits for the refresh, and the other way round."""
    c = wa_alerts.c
    latest: dict[PictureKey, dict[str, Alert]] = {p: {} for p in pictures}
    if not pictures:
        return latest
    query = (
        select(wa_alerts)
        .where(tuple_(c.employer_key, c.region_code).in_(sorted(latest)))
        .order_by(c.alert_id)
        .with_for_update()
    )
    for alert in (_registered(session, row) for row in await session.execute(query)):
        alerts = latest[(alert.employer_key, alert.region_code)]
        if alert.alert_key not in alerts or alert.occurrence > alerts[alert.alert_key].occurrence:
            alerts[alert.alert_key] = alert
    return latest


async def get_alert(*, session: AsyncSession, alert_id: str, for_update: bool = False) -> Alert | None:
    query = select(wa_alerts).where(wa_alerts.c.alert_id == alert_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).first()
    return None if row is None else _registered(session, row)


async def get_alert_by_referral(*, session: AsyncSession, referral_id: str) -> Alert | None:
    row = (await session.execute(select(wa_alerts).where(wa_alerts.c.referral_id == referral_id))).first()
    return None if row is None else _registered(session, row)


async def add_alerts(*, session: AsyncSession, alerts: Sequence[Alert]) -> None:
    """Insert new alerts, all in one statement."""
    rows = [_alert_row(alert) for alert in alerts]
    if rows:
        await session.execute(insert(wa_alerts), rows)
    for alert, row in zip(alerts, rows, strict=True):
        register(session, alert)
        remember(session, wa_alerts, alert.alert_id, row)


async def save_alerts(*, session: AsyncSession, alerts: Sequence[Alert]) -> None:
    """Write what changed in each alert since it was read or added in this transaction: alerts
    whose changes touch the same columns in one statement."""
    for alert in alerts:
        register(session, alert)
    await save_changed(session, wa_alerts, key_column="alert_id", rows=[_alert_row(alert) for alert in alerts])


async def list_alerts(
    *, session: AsyncSession, where: list[ColumnElement], order_by: tuple[Any, ...], limit: int
) -> list[Alert]:
    query = select(wa_alerts).where(*where).order_by(*order_by).limit(limit)
    return [_alert(r) for r in await session.execute(query)]


async def overdue_alert_ids(*, session: AsyncSession, now: datetime, limit: int = 500) -> list[str]:
    c = wa_alerts.c
    query = (
        select(c.alert_id)
        .where(c.state.in_(("open", "acknowledged")), c.holds.is_(True), c.due_at <= now)
        .order_by(c.due_at, c.alert_id)
        .limit(limit)
    )
    return list(await session.scalars(query))


# -- inspection records ----------------------------------------------------------------------


async def get_record(*, session: AsyncSession, record_id: str, for_update: bool = False) -> Record | None:
    query = select(wa_records.c.kind, wa_records.c.record).where(wa_records.c.record_id == record_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).first()
    return None if row is None else from_row(row.kind, row.record)


def _day(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


class RecordTaken(Exception):
    """Another transaction stored a record under the same id first (its transaction is spent)."""


async def save_record(*, session: AsyncSession, record: Record, now: datetime, new: bool) -> None:
    """The picture is refreshed in the same transaction, so a limit already past counts as seen.
    A new record whose id another transaction has just stored raises RecordTaken."""
    employer, region, _project = keys_of(record)
    lapses_on = getattr(record, "lapses_on", None)
    values = {
        "kind": kind_of(record),
        "employer_key": employer,
        "region_code": region,
        "record": to_row(record),
        "lapses_on": lapses_on,
        "lapse_seen": lapses_on is not None and lapses_on <= local_date(now),
        "updated_at": now,
        "occurred_on": _day(getattr(record, "occurred_on", None)),
    }
    if new:
        try:
            await session.execute(insert(wa_records).values(record_id=record_id(record), **values))
        except IntegrityError:
            raise RecordTaken(record_id(record)) from None
    else:
        await session.execute(update(wa_records).where(wa_records.c.record_id == record_id(record)).values(**values))


async def case_regions(*, session: AsyncSession, case_ids: list[str]) -> dict[str, str]:
    """The county of each of ``case_ids`` the desk knows (unknown ids are left out)."""
    rows = await session.execute(
        select(wa_cases.c.case_id, wa_cases.c.region_code).where(wa_cases.c.case_id.in_(case_ids))
    )
    return {r.case_id: r.region_code for r in rows}


async def records_of(*, session: AsyncSession, pictures: Sequence[PictureKey]) -> dict[PictureKey, list[Record]]:
    """The inspectors' records of each picture (every picture a key), in one statement."""
    c = wa_records.c
    found: dict[PictureKey, list[Record]] = {p: [] for p in pictures}
    if pictures:
        rows = await session.execute(
            select(c.employer_key, c.region_code, c.kind, c.record)
            .where(tuple_(c.employer_key, c.region_code).in_(sorted(found)))
            .order_by(c.record_id)
        )
        for row in rows:
            found[(row.employer_key, row.region_code)].append(from_row(row.kind, row.record))
    return found


async def lapsing_employers(*, session: AsyncSession, today: date, limit: int = 500) -> list[tuple[str, str]]:
    """Employers with an order whose limit ran out since their picture was last refreshed."""
    c = wa_records.c
    query = (
        select(c.employer_key, c.region_code)
        .where(c.lapses_on <= today, c.lapse_seen.is_(False))
        .group_by(c.employer_key, c.region_code)
        .order_by(c.employer_key, c.region_code)
        .limit(limit)
    )
    return [(r.employer_key, r.region_code) for r in await session.execute(query)]


async def mark_lapses_seen(*, session: AsyncSession, employer_key: str, region: str, today: date) -> None:
    c = wa_records.c
    await session.execute(
        update(wa_records)
        .where(c.employer_key == employer_key, c.region_code == region, c.lapses_on <= today)
        .values(lapse_seen=True)
    )
