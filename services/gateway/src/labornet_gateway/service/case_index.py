"""Case index use cases: keep it from the events (a consumer handler), find a case for the
court by docket number (案号) or case id, and resolve a callback's keys to one case.

An unknown case and a case outside the caller's regions read the same: missing (404).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.events import Envelope
from labornet_common.problems import InvalidInput, NotFound
from labornet_common.uow import UnitOfWork
from labornet_gateway.adapters import case_index as store
from labornet_gateway.domain.case_index import CaseEntry, DocketNumber, fold, indexes

MAX_REFERRALS = 5  # a referred case points at its keeper; never follow a loop forever


@dataclass
class FoundCase:
    entry: CaseEntry
    referred_in: list[DocketNumber] = field(default_factory=list)  # numbers of cases referred into it


async def index_event(uow: UnitOfWork, envelope: Envelope, data: Any) -> None:
    """Consumer handler (every case topic): fold the event into its case's entry."""
    if not indexes(envelope.type) or not isinstance(data, dict):
        return
    known = await store.get(session=uow.session, case_id=envelope.subject, lock=True)
    entry = deepcopy(known) if known is not None else CaseEntry(case_id=envelope.subject)
    fold(entry, envelope.type, data)
    if entry != known:
        await store.save(session=uow.session, entry=entry, known=known)


async def find(
    *,
    uow: UnitOfWork,
    scopes: tuple[str, ...] | list[str],
    case_id: str | None = None,
    case_number: str | None = None,
) -> FoundCase | None:
    """The case named by one key (the keeper, for a case referred into another), when it lies
    within ``scopes``; else None."""
    async with uow:
        entry = await _by_keys(uow.session, case_id=case_id, case_number=case_number)
        if entry is None or not entry.within(scopes):
            return None
        referred_in = []
        for other in await store.moved_in(session=uow.session, case_id=entry.case_id):
            if (earlier := await store.get(session=uow.session, case_id=other)) is not None:
                referred_in.extend(earlier.numbers)
    return FoundCase(entry, referred_in)


async def _by_keys(session: AsyncSession, *, case_id: str | None, case_number: str | None) -> CaseEntry | None:
    if case_number:
        case_id = await store.case_id_for_number(session=session, case_number=case_number)
    entry = await store.get(session=session, case_id=case_id) if case_id else None
    for _ in range(MAX_REFERRALS):
        if entry is None or entry.moved_to is None:
            break
        entry = await store.get(session=session, case_id=entry.moved_to) or entry
    return entry


async def resolve(
    *, session: AsyncSession, scopes: list[str], case_id: str | None, case_number: str | None
) -> CaseEntry:
    """The one case a callback names (by 案号, by case id, or by both agreeing) within the
    sender's regions; 404 naming the key when unknown or outside them, 422 when both disagree."""
    field = "case_number" if case_number else "case_id"
    entry = await _by_keys(session, case_id=None if case_number else case_id, case_number=case_number)
    if entry is None or not entry.within(scopes):
        raise NotFound("court.case_unknown", field=field)
    named = await _by_keys(session, case_id=case_id, case_number=None) if case_id and case_number else entry
    if named is None or named.case_id != entry.case_id:
        raise InvalidInput([("case_id", "court.case_keys_disagree"), ("case_number", "court.case_keys_disagree")])
    return entry
