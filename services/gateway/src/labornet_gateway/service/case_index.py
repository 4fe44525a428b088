"""Case index use cases: keep it from the events (a consumer handler), find a case for the
court by docket number (案号) or case id, and resolve a callback's keys to one case.

An unknown case and a case outside the caller's regions read the same: missing (404).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from labornet_common.contracts.events import Envelope
from labornet_common.platform.bus.consumer import batch_subjects
from labornet_common.platform.problems import InvalidInput, NotFound
from labornet_common.platform.uow import UnitOfWork, transaction_state
from labornet_gateway.adapters import case_index as store
from labornet_gateway.domain.case_index import CaseEntry, DocketNumber, fold, indexes


@dataclass
class FoundCase:
    entry: CaseEntry
    referred_in: list[DocketNumber] = field(default_factory=list)  # numbers of cases referred into it


_ENTRIES = "labornet.case_index.entries"  # per transaction: case id -> (entry as stored, entry as folded)


async def index_event(uow: UnitOfWork, envelope: Envelope, data: Any) -> None:
    """Consumer handler (every case topic): fold the event into its case's entry.

    A transaction reads each case's entry once and writes the entries it changed once, before it
    commits: its first read brings every case of the consumer batch (``batch_subjects``), locked,
    in one statement, and the writes go together (one INSERT, one UPDATE)."""
    if not indexes(envelope.type) or not isinstance(data, dict):
        return
    entries: dict[str, tuple[CaseEntry | None, CaseEntry | None]] = transaction_state(uow.session, _ENTRIES)
    case_id = envelope.subject
    if case_id not in entries:
        wanted = [c for c in dict.fromkeys([case_id, *batch_subjects(uow)]) if c not in entries]
        stored_entries = await store.get_locked(session=uow.session, case_ids=wanted)
        for wanted_id in wanted:
            found = stored_entries.get(wanted_id)
            entries[wanted_id] = (found, found)
    stored, current = entries[case_id]
    entry = deepcopy(current) if current is not None else CaseEntry(case_id=case_id)
    fold(entry, envelope.type, data)
    if entry == current:
        return
    entries[case_id] = (stored, entry)
    uow.before_commit(("case_index",), lambda: _write_changed(uow))


async def _write_changed(uow: UnitOfWork) -> None:
    entries: dict[str, tuple[CaseEntry | None, CaseEntry | None]] = transaction_state(uow.session, _ENTRIES)
    changed = [(entry, stored) for stored, entry in entries.values() if entry is not None and entry != stored]
    await store.save(session=uow.session, entries=changed)
    for entry, _ in changed:
        entries[entry.case_id] = (entry, entry)  # what a later write of this transaction starts from


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
        entry = await store.keeper(session=uow.session, case_id=case_id, case_number=case_number)
        if entry is None or not entry.within(scopes):
            return None
        referred_in = []
        for other in await store.moved_in(session=uow.session, case_id=entry.case_id):
            if (earlier := await store.get(session=uow.session, case_id=other)) is not None:
                referred_in.extend(earlier.numbers)
    return FoundCase(entry, referred_in)


async def resolve(
    *, session: store.Session, scopes: list[str], case_id: str | None, case_number: str | None
) -> CaseEntry:
    """The one case a callback names (by 案号, by case id, or by both agreeing) within the
    sender's regions; 404 naming the key when unknown or outside them, 422 when both disagree."""
    field = "case_number" if case_number else "case_id"
    entry = await store.keeper(session=session, case_id=None if case_number else case_id, case_number=case_number)
    if entry is None or not entry.within(scopes):
        raise NotFound("court.case_unknown", field=field)
    named = await store.keeper(session=session, case_id=case_id, case_number=None) if case_id and case_number else entry
    if named is None or named.case_id != entry.case_id:
        raise InvalidInput([("case_id", "court.case_keys_disagree"), ("case_number", "court.case_keys_disagree")])
    return entry
