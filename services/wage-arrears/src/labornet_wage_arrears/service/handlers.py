"""Consumer handlers: every case event becomes case facts, every order-to-pay or incident event
a record, then the employer's picture is refreshed. Types the desk does not use are ignored
(the consumer records them as such).

The picture is refreshed once per employer and region per transaction, just before it commits
(``UnitOfWork.before_commit``): a consumer batch that brings twenty of one employer's events
reads its cases and records and reconciles its alerts once, from all twenty, not twenty times;
and the pictures of all the employers a batch touched are refreshed together, one statement for
all their locks, one for their cases, and so on.
An alert then goes straight to what the whole batch shows (red, say, without the yellow an
earlier event of the same batch alone would have raised).

A case's facts are read once per transaction and written once, all the transaction's cases
together, just before the pictures (the keys sort so): its later events in the batch start from
the facts as the earlier ones left them, as they would have read them back one by one. The first
case read brings every case of the batch (``batch_subjects``), in one statement.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

from labornet_common.contracts.events import Envelope, EventData, utcnow
from labornet_common.platform.bus.consumer import Handler, batch_subjects, handles
from labornet_common.platform.context import traceparent_var
from labornet_common.platform.uow import UnitOfWork, transaction_state
from labornet_wage_arrears.adapters import repository
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.domain.facts import CaseFacts
from labornet_wage_arrears.domain.projection import APPLIERS, TRACKED, apply, track
from labornet_wage_arrears.domain.records import RECORD_EVENTS, apply_record, id_of, keys_of, to_row
from labornet_wage_arrears.service.engine import refresh_pictures

Clock = Callable[[], datetime]
_CASES = "wage-arrears.cases"  # per transaction: case id -> (in the database already, the facts to write)
_UNWRITTEN = "wage-arrears.unwritten"  # per transaction: the cases changed since they were last written
_PICTURES = "wage-arrears.pictures"  # per transaction: the pictures to refresh before it commits


async def apply_case_event(*, uow: UnitOfWork, case_id: str, event: EventData, now: datetime, book: RuleBook) -> None:
    session = uow.session
    pending = transaction_state(session, _CASES).get(case_id)
    if pending is None:
        found = await repository.stored_facts(session=session, case_id=case_id, batch=batch_subjects(uow))
        stored, new = found is not None, found is None
        facts = found or CaseFacts(case_id=case_id)
    else:  # an earlier event of this transaction changed it: a copy, kept only if this one is saved too
        stored, new = pending[0], False
        facts = CaseFacts.from_row(pending[1].as_dict())
    before = (facts.employer_key, facts.region)
    known = facts.as_dict()
    moved = track(facts, event)
    if not apply(facts, event) or (not new and facts.as_dict() == {**known, "passport": facts.passport}):
        if moved and not new:  # only the stage changed: kept, but no rule reads it
            save_at_commit(uow, facts, stored=stored, now=now)
        return  # nothing the desk uses, or nothing new (a routing that repeats the complaint)
    save_at_commit(uow, facts, stored=stored, now=now)
    # A case that learns its USCC moves from the name-keyed picture to the code-keyed one.
    for employer_key, region in sorted({before, (facts.employer_key, facts.region)}):
        refresh_at_commit(uow, employer_key, region, now=now, book=book)


def save_at_commit(uow: UnitOfWork, facts: CaseFacts, *, stored: bool, now: datetime) -> None:
    """The case's facts are written once, with every other case the transaction changed (one
    INSERT, one UPDATE), before it commits and before any picture reads them
    (``("wage-arrears.cases",)`` sorts before ``("wage-arrears.picture",)``)."""
    transaction_state(uow.session, _CASES)[facts.case_id] = (stored, facts)
    unwritten: dict[str, None] = transaction_state(uow.session, _UNWRITTEN)
    unwritten[facts.case_id] = None

    async def write() -> None:
        cases = transaction_state(uow.session, _CASES)
        due = [cases[case_id] for case_id in unwritten]
        unwritten.clear()
        await repository.save_cases(session=uow.session, cases=[(facts, stored) for stored, facts in due], now=now)
        for _, facts in due:
            cases[facts.case_id] = (True, facts)

    uow.before_commit(("wage-arrears.cases",), write)


def refresh_at_commit(
    uow: UnitOfWork, employer_key: str | None, region: str | None, *, now: datetime, book: RuleBook
) -> None:
    """The employer's picture in ``region`` is refreshed before the transaction commits, once,
    with every other picture the transaction changed (``engine.refresh_pictures``)."""
    if not employer_key or not region:
        return
    # picture -> the trace that last asked for it (its alerts' events go in that trace)
    pictures: dict[tuple[str, str], str | None] = transaction_state(uow.session, _PICTURES)
    pictures[(employer_key, region)] = traceparent_var.get()

    async def run() -> None:
        due = dict(pictures)
        pictures.clear()
        # The cases this transaction wrote (before the pictures: see ``save_at_commit``), as written.
        held = {case_id: facts for case_id, (_stored, facts) in transaction_state(uow.session, _CASES).items()}
        await refresh_pictures(uow=uow, pictures=list(due), now=now, book=book, traces=due, held=held)

    uow.before_commit(("wage-arrears.picture",), run)


async def apply_record_event(*, uow: UnitOfWork, event: EventData, now: datetime, book: RuleBook) -> bool:
    """Fold an order-to-pay or incident event into its record and refresh the employer's picture;
    False when the record already says so (the desk's own command applied it first)."""
    session = uow.session
    old = await repository.get_record(session=session, record_id=id_of(event), for_update=True)
    before = to_row(old) if old is not None else None
    employers = {keys_of(old)[:2]} if old is not None else set()
    record = apply_record(copy.deepcopy(old), event)
    if to_row(record) == before:
        return False
    await repository.save_record(session=session, record=record, now=now, new=old is None)
    for employer_key, region in sorted(employers | {keys_of(record)[:2]}):
        refresh_at_commit(uow, employer_key, region, now=now, book=book)
    return True


def event_handlers(book: RuleBook, clock: Clock = utcnow) -> dict[str, Handler]:
    async def handle(uow: UnitOfWork, envelope: Envelope, event: Any) -> None:
        case_id = getattr(event, "case_id", None) or envelope.subject
        await apply_case_event(uow=uow, case_id=case_id, event=event, now=clock(), book=book)

    async def handle_record(uow: UnitOfWork, _envelope: Envelope, event: Any) -> None:
        await apply_record_event(uow=uow, event=event, now=clock(), book=book)

    return {
        **{handles(cls): handle for cls in (*APPLIERS, *TRACKED)},
        **{handles(cls): handle_record for cls in RECORD_EVENTS},
    }
