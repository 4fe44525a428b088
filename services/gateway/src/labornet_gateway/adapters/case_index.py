"""The case index's tables and repository: one row per case, one per docket number (案号)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, Index, Integer, String, Table, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import utcnow
from labornet_common.platform.stored import write_rows
from labornet_gateway.adapters.orm import metadata
from labornet_gateway.domain.case_index import CaseEntry, DocketNumber

cases = Table(
    "case_index",
    metadata,
    Column("case_id", String(100), primary_key=True),
    Column("stage", String(30)),
    Column("commission_id", String(50)),
    Column("centre_id", String(50)),
    Column("application_id", String(36)),
    Column("regions", JSON, nullable=False),  # every division code the case's events named
    Column("moved_to", String(100), index=True),  # referred into another case holding the dispute
    Column("passport", JSON),  # labornet_common.contracts.passport, as stored; ``stage`` is its stage
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

log = logging.getLogger(__name__)
Session = AsyncSession  # what callers outside adapters/ name the session they pass in
MAX_REFERRALS = 5  # a referred case points at its keeper; never follow a loop forever

numbers = Table(
    "case_index_numbers",
    metadata,
    Column("case_number", String(100), primary_key=True),  # unique: each commission numbers its own
    Column("case_id", String(100), nullable=False),
    Column("commission_id", String(50), nullable=False),
    Column("application_id", String(36), nullable=False),
    Column("accepted_on", Date),
    Column("position", Integer, nullable=False),  # order in which the case was given its numbers
)
Index("ix_case_index_numbers_case_id", numbers.c.case_id)


# A case's row joined to each of its docket numbers (none: one row of NULL numbers).
_JOINED = select(
    cases,
    numbers.c.case_number.label("number"),
    numbers.c.commission_id.label("number_commission_id"),
    numbers.c.application_id.label("number_application_id"),
    numbers.c.accepted_on.label("number_accepted_on"),
).select_from(cases.outerjoin(numbers, numbers.c.case_id == cases.c.case_id))
_ENTRY = _JOINED.where(cases.c.case_id == bindparam("case_id")).order_by(numbers.c.position)


async def get(*, session: AsyncSession, case_id: str) -> CaseEntry | None:
    """The case's entry, in one statement: its row joined to its docket numbers."""
    rows = (await session.execute(_ENTRY, {"case_id": case_id})).all()
    return _entry(rows) if rows else None


# Several cases at once, locked in case id order (the order every transaction locks them in).
# PostgreSQL locks the cases' rows only (their numbers are only ever added, under that lock).
_ENTRIES_LOCKED = _JOINED.order_by(cases.c.case_id, numbers.c.position).with_for_update(of=cases)


async def get_locked(*, session: AsyncSession, case_ids: Sequence[str]) -> dict[str, CaseEntry]:
    """The entries of ``case_ids`` that exist, their rows held until commit (replicas folding the
    same case), in one statement."""
    if not case_ids:
        return {}
    query = _ENTRIES_LOCKED.where(cases.c.case_id.in_(sorted(set(case_ids))))
    grouped: dict[str, list[Any]] = {}
    for row in await session.execute(query):
        grouped.setdefault(row.case_id, []).append(row)
    return {case_id: _entry(rows) for case_id, rows in grouped.items()}


def _entry(rows: Sequence[Any]) -> CaseEntry:
    """The entry of one case's rows (its row joined to each of its docket numbers, in order)."""
    row = rows[0]
    return CaseEntry(
        case_id=row.case_id,
        passport=row.passport,
        regions=list(row.regions),
        commission_id=row.commission_id,
        centre_id=row.centre_id,
        application_id=row.application_id,
        moved_to=row.moved_to,
        numbers=[
            DocketNumber(n.number, n.number_commission_id, n.number_application_id, n.number_accepted_on)
            for n in rows
            if n.number is not None
        ],
    )


async def case_id_for_number(*, session: AsyncSession, case_number: str) -> str | None:
    return await session.scalar(select(numbers.c.case_id).where(numbers.c.case_number == case_number))


async def keeper(*, session: AsyncSession, case_id: str | None, case_number: str | None) -> CaseEntry | None:
    """The entry one key names (the docket number when given), or the entry of the case it was
    referred into (followed up to MAX_REFERRALS times)."""
    if case_number:
        case_id = await case_id_for_number(session=session, case_number=case_number)
    entry = await get(session=session, case_id=case_id) if case_id else None
    for _ in range(MAX_REFERRALS):
        if entry is None or entry.moved_to is None:
            break
        entry = await get(session=session, case_id=entry.moved_to) or entry
    return entry


async def moved_in(*, session: AsyncSession, case_id: str) -> list[str]:
    """The cases referred into this one."""
    return list((await session.scalars(select(cases.c.case_id).where(cases.c.moved_to == case_id))).all())


async def save(*, session: AsyncSession, entries: Sequence[tuple[CaseEntry, CaseEntry | None]]) -> None:
    """Write each entry over what was stored (None: nothing yet), the rows of all in one INSERT
    and one UPDATE; docket numbers are only ever added."""
    now = utcnow()
    rows = {
        entry.case_id: {
            "case_id": entry.case_id,
            "stage": entry.stage,
            "commission_id": entry.commission_id,
            "centre_id": entry.centre_id,
            "application_id": entry.application_id,
            "regions": entry.regions,
            "moved_to": entry.moved_to,
            "passport": entry.passport,
            "updated_at": now,
        }
        for entry, _ in entries
    }
    await write_rows(
        session,
        cases,
        key_column="case_id",
        rows=[(rows[entry.case_id], known is not None) for entry, known in entries],
    )
    for entry, known in entries:
        start = len(known.numbers) if known else 0
        for position, number in enumerate(entry.numbers[start:], start=start):
            await _add_number(session, entry.case_id, number, position)


async def _add_number(session: AsyncSession, case_id: str, number: DocketNumber, position: int) -> None:
    holder = await case_id_for_number(session=session, case_number=number.case_number)
    if holder is not None:
        # A docket number names one case: the first case given it keeps it.
        log.warning("docket number %s of case %s already names case %s", number.case_number, case_id, holder)
        return
    await session.execute(
        insert(numbers).values(
            case_number=number.case_number,
            case_id=case_id,
            commission_id=number.commission_id,
            application_id=number.application_id,
            accepted_on=number.accepted_on,
            position=position,
        )
    )
