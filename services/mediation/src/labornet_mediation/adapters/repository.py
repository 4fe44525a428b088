"""Storing and loading mediation cases; every update checks the version it read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.mediation import AgreementTerm
from labornet_common.platform.db import rows_matched
from labornet_common.platform.pagination import PageRequest
from labornet_common.platform.stored import changed, remember, save_versioned, save_versioned_held
from labornet_common.platform.uow import commit_state, register, transaction_state
from labornet_common.security.auth import Principal, Role
from labornet_common.security.visibility import visible_cases
from labornet_mediation.adapters.orm import (
    mediation_agreements,
    mediation_case_claims,
    mediation_case_history,
    mediation_cases,
)
from labornet_mediation.domain.agreement import BREACHED, DEFAULT_NOT_DONE, PERFORMED, Agreement, TermState
from labornet_mediation.domain.model import ACTIVE, MediationCase, UnreadList, entries_from, length_of
from labornet_mediation.domain.performance import whole_agreement_breach
from labornet_mediation.domain.policy import READ_ROLES

_STORED = (
    "case_id",
    "division_code",
    "status",
    "worker_name",
    "employer_name",
    "facts",
    "received_on",
    "due_on",
    "opened_at",
    "assigned_to",
    "centre_id",
    "centre_name",
    "workplace_division",
    "employer_uscc",
    "employer_division",
    "worker_count",
    "collective",
    "joined_filings",
    "tracking_number",
    "origin",
    "mediator_id",
    "mediator_name",
    "recused",
    "decline_reason",
    "failure_reason",
    "outcome",
    "closed_on",
    "warned_on",
)


class StaleCase(Exception):
    """Someone else changed the case since it was read."""


_HELD = "mediation.cases"  # per transaction: case id -> the one instance of the case it loaded or added
_BATCH = "mediation.batch"  # per transaction: the batch's cases not stored ("absent"), once read (hold_batch)
_LOCKED = "mediation.locked"  # per transaction: the cases it read under lock (hold_batch)
_LISTS = "mediation.lists"  # per transaction: case id -> [claims, history lines] stored (as read or written)


def _row(case: MediationCase) -> dict[str, Any]:
    row = {name: getattr(case, name) for name in _STORED}
    row["claim_count"], row["history_count"] = length_of(case.claims), length_of(case.history_zh)
    return row


def _stored_lists(session: AsyncSession, case_id: str, claims: int, lines: int) -> None:
    lists = commit_state(session, _LISTS)
    lists[case_id] = [claims, lines]


def _new_entries(session: AsyncSession, cases: Sequence[MediationCase]) -> tuple[list[dict[str, Any]], ...]:
    """The claims and history lines the cases gained since they were read or last written, as
    rows numbered on from those stored. The lists only grow (a worker joins, a step is noted)."""
    lists: dict[str, list[int]] = transaction_state(session, _LISTS)
    claims: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for case in cases:
        stored_claims, stored_lines = lists.get(case.case_id, (0, 0))
        if length_of(case.claims) < stored_claims or length_of(case.history_zh) < stored_lines:
            raise ValueError(f"case {case.case_id}: its claims and history only grow")
        new = entries_from(case.claims, stored_claims)
        claims += [{"case_id": case.case_id, "n": stored_claims + i, "claim": c} for i, c in enumerate(new)]
        new_lines = entries_from(case.history_zh, stored_lines)
        lines += [{"case_id": case.case_id, "n": stored_lines + i, "text_zh": t} for i, t in enumerate(new_lines)]
    return claims, lines


async def _write_entries(session: AsyncSession, cases: Sequence[MediationCase]) -> None:
    """Append the cases' new claims and history lines (one INSERT each for all the cases)."""
    claims, lines = _new_entries(session, cases)
    if claims:
        await session.execute(insert(mediation_case_claims), claims)
    if lines:
        await session.execute(insert(mediation_case_history), lines)
    for case in cases:
        _stored_lists(session, case.case_id, length_of(case.claims), length_of(case.history_zh))


async def lists_of(*, session: AsyncSession, case_id: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The case's claims and history lines, each in the order added."""
    claims = mediation_case_claims.c
    lines = mediation_case_history.c
    found = await session.execute(select(claims.claim).where(claims.case_id == case_id).order_by(claims.n))
    history = await session.execute(select(lines.text_zh).where(lines.case_id == case_id).order_by(lines.n))
    return list(found.scalars()), list(history.scalars())


def _hold(session: AsyncSession, case: MediationCase) -> None:
    """The transaction's one instance of the case: its later loads get it, with what its earlier
    steps changed (the events of a consumer batch, saved once at commit: service/action.py's
    ``save_at_commit``). Forgotten when the transaction commits or rolls back."""
    held = commit_state(session, _HELD)
    held[case.case_id] = case


async def add(*, session: AsyncSession, case: MediationCase) -> None:
    register(session, case)
    row = _row(case)
    await session.execute(insert(mediation_cases).values(**row, version=case.version))
    remember(session, mediation_cases, case.case_id, row)
    await _write_entries(session, [case])
    _hold(session, case)


async def get(*, session: AsyncSession, case_id: str) -> Any | None:
    return (await session.execute(select(mediation_cases).where(mediation_cases.c.case_id == case_id))).first()


async def exists(*, session: AsyncSession, case_id: str) -> bool:
    if case_id in transaction_state(session, _HELD):
        return True
    if case_id in transaction_state(session, _BATCH).get("absent", ()):
        return False
    return await get(session=session, case_id=case_id) is not None


_AGREEMENT = "agreement__"  # the prefix of the agreement's columns where a case is read with it
_WITH_AGREEMENT = select(
    mediation_cases, *(c.label(_AGREEMENT + c.name) for c in mediation_agreements.c if c.name != "case_id")
).outerjoin(mediation_agreements, mediation_agreements.c.case_id == mediation_cases.c.case_id)


async def hold_batch(*, session: AsyncSession, case_ids: Sequence[str]) -> None:
    """The cases of a consumer batch (``consumer.batch_subjects``) the transaction does not hold
    yet, read with their agreements in one statement, locked (in case id order) until it ends,
    and held (``load`` then finds them); those not stored are known to be absent. Nobody can
    change a locked case before the transaction commits, so ``save_all`` writes them together.
    Their claims and history are not read (``UnreadList``): the batch adds to them, and a case
    of fifty workers costs no more to join than a case of one. Once per transaction; nothing for
    an empty batch."""
    state = commit_state(session, _BATCH)
    if "absent" in state:
        return
    held = transaction_state(session, _HELD)
    wanted = sorted(c for c in set(case_ids) if c not in held)
    found: set[str] = set()
    if wanted:
        locked = _WITH_AGREEMENT.where(mediation_cases.c.case_id.in_(wanted))
        locked = locked.order_by(mediation_cases.c.case_id).with_for_update(of=mediation_cases)
        result = await session.execute(locked)
        names = list(result.keys())  # once: a row's own mapping costs more than its case
        for row in result:
            found.add((await _held_case(session, dict(zip(names, row, strict=True)), whole=False)).case_id)
    state["absent"] = set(wanted) - found
    locks: dict[str, None] = commit_state(session, _LOCKED)
    locks.update(dict.fromkeys(found))


async def load(*, session: AsyncSession, case_id: str) -> MediationCase | None:
    """The case with its agreement, in one statement; the instance the transaction holds when it
    loaded or added the case before (or read it with its batch, ``hold_batch``)."""
    held: MediationCase | None = transaction_state(session, _HELD).get(case_id)
    if held is not None:
        return held
    if case_id in transaction_state(session, _BATCH).get("absent", ()):
        return None
    row = (await session.execute(_WITH_AGREEMENT.where(mediation_cases.c.case_id == case_id))).first()
    if row is None:
        return None
    return await _held_case(session, dict(row._mapping), whole=True)


async def _held_case(session: AsyncSession, fields: dict[str, Any], *, whole: bool) -> MediationCase:
    """The case of a row read with its agreement (column -> value), remembered as stored,
    registered and held; with its claims and history read (``whole``) or to be added to only
    (``UnreadList``)."""
    data, agreement = {}, {}
    for name, value in fields.items():
        if name.startswith(_AGREEMENT):
            agreement[name.removeprefix(_AGREEMENT)] = value
        else:
            data[name] = value
    data["recused"] = list(data["recused"] or [])
    data["joined_filings"] = list(data["joined_filings"] or [])
    claim_count, history_count = data.pop("claim_count"), data.pop("history_count")
    if whole:
        data["claims"], data["history_zh"] = await lists_of(session=session, case_id=data["case_id"])
    else:
        data["claims"], data["history_zh"] = UnreadList(claim_count), UnreadList(history_count)
    _stored_lists(session, data["case_id"], claim_count, history_count)
    case = MediationCase(**data)
    remember(session, mediation_cases, case.case_id, _row(case))
    if agreement["agreement_id"] is not None:
        case.agreement = _agreement_from(agreement)
        remember(session, mediation_agreements, agreement["agreement_id"], agreement)
    register(session, case)
    _hold(session, case)
    return case


async def save(*, session: AsyncSession, case: MediationCase) -> None:
    """Write what changed since the case was read (``stored``), if nobody changed it meanwhile."""
    register(session, case)
    if not await save_versioned(session, mediation_cases, key_column="case_id", row=_row(case), version=case.version):
        raise StaleCase(case.case_id)
    await _write_entries(session, [case])
    case.version += 1
    if case.agreement is not None:
        await _save_agreement(session, case.case_id, case.agreement)


async def save_all(*, session: AsyncSession, cases: Sequence[MediationCase]) -> None:
    """``save`` each case: those the transaction read locked (``hold_batch``) together, the
    cases whose changes touch the same columns in one statement; any other on its own."""
    locks: dict[str, None] = transaction_state(session, _LOCKED)
    held = [case for case in cases if case.case_id in locks]
    for case in held:
        register(session, case)
    await save_versioned_held(
        session, mediation_cases, key_column="case_id", rows=[(_row(case), case.version) for case in held]
    )
    await _write_entries(session, held)
    for case in held:
        case.version += 1
        if case.agreement is not None:
            await _save_agreement(session, case.case_id, case.agreement)
    for case in cases:
        if case.case_id not in locks:
            await save(session=session, case=case)


def _agreement_from(m: Mapping[str, Any]) -> Agreement:
    agreement = Agreement(
        agreement_id=m["agreement_id"],
        effective_on=m["effective_on"],
        terms=[AgreementTerm.model_validate(t) for t in m["terms"]],
        status=m["status"],
        performed_on=m["performed_on"],
        breached_on=m["breached_on"],
        unpaid_fen=m["unpaid_fen"],
        court_requests={kind: _dates_in(r) for kind, r in (m["court_requests"] or {}).items()},
        states=[TermState(**_dates_in(s)) for s in m["term_states"] or []],
    )
    return agreement if m["term_states"] else _before_term_states(agreement)


def _before_term_states(agreement: Agreement) -> Agreement:
    """An agreement stored before terms had states: its status held for every term."""
    if agreement.status == "performed":
        agreement.states = [TermState(status=PERFORMED, recorded_on=agreement.performed_on) for _ in agreement.terms]
    elif agreement.status == "breached":
        on = agreement.breached_on or agreement.last_due_on
        agreement.states = [replace(state, recorded_on=on) for state in _legacy_breach(agreement, on)]
    return agreement


def _legacy_breach(agreement: Agreement, on: date) -> list[TermState]:
    outcomes = whole_agreement_breach(
        replace(agreement, states=[]),
        on=max(on, agreement.last_due_on + timedelta(days=1)),
        unpaid_fen=agreement.unpaid_fen,
    )
    return [
        TermState(status=PERFORMED)
        if o.performed
        else TermState(status=BREACHED, unpaid_fen=o.unpaid_fen, not_done=DEFAULT_NOT_DONE)
        for o in outcomes
    ]


async def _save_agreement(session: AsyncSession, case_id: str, agreement: Agreement) -> None:
    values = {
        "effective_on": agreement.effective_on,
        "terms": [t.model_dump(mode="json") for t in agreement.terms],
        "total_fen": agreement.total_fen,
        "status": agreement.status,
        "performed_on": agreement.performed_on,
        "breached_on": agreement.breached_on,
        "unpaid_fen": agreement.unpaid_fen,
        "court_requests": {kind: _dates_out(r) for kind, r in agreement.court_requests.items()},
        "term_states": [_dates_out(asdict(s)) for s in agreement.states],
    }
    table = mediation_agreements
    if not changed(session, table, agreement.agreement_id, values):
        return  # as read (or last written) in this transaction
    result = await session.execute(update(table).where(table.c.agreement_id == agreement.agreement_id).values(**values))
    if rows_matched(result) == 0:
        await session.execute(insert(table).values(agreement_id=agreement.agreement_id, case_id=case_id, **values))
    remember(session, table, agreement.agreement_id, values)


def _dates_out(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in record.items()}


def _dates_in(record: dict[str, Any]) -> dict[str, Any]:
    return {k: date.fromisoformat(v) if k.endswith("_on") and v else v for k, v in record.items()}


async def list_visible(*, session: AsyncSession, principal: Principal, page: PageRequest) -> list[Any]:
    """One row more than the page, newest first, filtered to what ``principal`` may read."""
    c = mediation_cases.c
    query = (
        select(mediation_cases)
        .where(_visible(principal), page.older_than_cursor(c.opened_at, c.case_id))
        .order_by(c.opened_at.desc(), c.case_id.desc())
        .limit(page.limit + 1)
    )
    return list((await session.execute(query)).all())


async def queue(*, session: AsyncSession, principal: Principal, by_deadline: bool, limit: int) -> list[Any]:
    """Open cases to work: a mediator's own and the region's unassigned ones; for clerks and
    admins every open case of their region."""
    c = mediation_cases.c
    mine: ColumnElement[bool] = true()
    if Role.mediator in principal.roles:
        mine = (c.assigned_to == principal.subject) | c.assigned_to.is_(None)
    order = (c.due_on.asc(), c.case_id) if by_deadline else (c.received_on.desc(), c.case_id)
    query = (
        select(mediation_cases)
        .where(_visible(principal), mine, c.status.in_(sorted(ACTIVE)))
        .order_by(*order)
        .limit(limit)
    )
    return list((await session.execute(query)).all())


def _visible(principal: Principal) -> Any:
    c = mediation_cases.c
    return visible_cases(
        principal, staff_roles=READ_ROLES, case_id=c.case_id, divisions=[c.division_code], assigned_to=c.assigned_to
    )


async def open_case_counts(*, session: AsyncSession, centre_id: str) -> dict[str, int]:
    c = mediation_cases.c
    query = (
        select(c.mediator_id, func.count())
        .where(c.centre_id == centre_id, c.status.in_(sorted(ACTIVE)), c.mediator_id.is_not(None))
        .group_by(c.mediator_id)
    )
    return {mediator_id: int(n) for mediator_id, n in (await session.execute(query)).all()}


async def active_due_by(*, session: AsyncSession, day: date, limit: int) -> list[str]:
    """Ids of cases whose clock runs and ends on or before ``day`` (for the scanner)."""
    c = mediation_cases.c
    query = (
        select(c.case_id)
        .where(c.status.in_(sorted(ACTIVE)), c.due_on <= day)
        .order_by(c.due_on, c.case_id)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())
