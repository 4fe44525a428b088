"""Administrators keep the arbitrator roster (仲裁员名册, LDA Art. 20) of the commissions seated
in their region: add an arbitrator, move one to another commission, retire one. Each change is
one transaction with its event on reference.organisations.v1 and a row in the change log (the
platform's roster steps: labornet_common.platform.roster).

A retired or moved arbitrator keeps the tribunals of closed cases as they were. Each unfinished
tribunal they sit on (formed, hearing scheduled, suspended) is formed again in the same
transaction, with the serving arbitrator of the case's commission who sits on the fewest open
tribunals (domain.arbitrators.successors, domain.proceedings.replace_member): every case gets
its TribunalFormed event and the change log names each seat handed over. When a case has nobody
left to take the seat, the change is refused (409, naming the cases) and nothing changes: no
open case is ever left with an arbitrator off the roster.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from labornet_arbitration.adapters import repository, roster_store
from labornet_arbitration.domain import policy, proceedings
from labornet_arbitration.domain.arbitrators import Arbitrator, Roster, SeatedCase, moved, retired, successors
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.service.context import ArbitrationContext
from labornet_common.contracts.events import utcnow
from labornet_common.contracts.organisations import ArbitratorEnrolled, ArbitratorMoved, ArbitratorRetired
from labornet_common.platform.clock import china_today
from labornet_common.platform.problems import Conflict, InvalidInput, NotFound
from labornet_common.platform.roster import log as roster_log
from labornet_common.platform.roster.rules import Change, log_scope, require_admin
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference import Commission
from labornet_common.security.auth import Principal


def _commission(ctx: ArbitrationContext, principal: Principal, commission_id: str, field_name: str) -> Commission:
    """A commission of the admin's region; one unknown or outside it is the body's 422."""
    require_admin(principal)
    commission = ctx.directory.commission(commission_id)
    if commission is None:
        raise InvalidInput.at(field_name, "arbitration.unknown_commission")
    if not policy.can_manage_roster(principal, commission.seat_division):
        raise InvalidInput.at(field_name, "arbitration.commission_out_of_scope")
    return commission


async def _serving(
    ctx: ArbitrationContext, uow: UnitOfWork, principal: Principal, arbitrator_id: str
) -> tuple[Arbitrator, Commission]:
    """The arbitrator to move or retire: outside the admin's region reads as missing (404)."""
    require_admin(principal)
    found = (await roster_store.current(uow.session, ctx.roster)).get(arbitrator_id)
    commission = ctx.directory.commission(found.commission_id) if found else None
    if found is None or commission is None or not policy.can_manage_roster(principal, commission.seat_division):
        raise NotFound()
    if not found.serving:
        raise Conflict("arbitration.arbitrator_retired_already")
    return found, commission


async def roster_now(*, ctx: ArbitrationContext, uow: UnitOfWork) -> Roster:
    async with uow:
        return await roster_store.current(uow.session, ctx.roster)


@dataclass(frozen=True)
class Enrol:
    commission_id: str
    name: str
    subject: str | None = None
    arbitrator_id: str | None = None


async def enrol(*, ctx: ArbitrationContext, uow: UnitOfWork, principal: Principal, cmd: Enrol) -> dict[str, Any]:
    commission = _commission(ctx, principal, cmd.commission_id, "commission_id")
    arbitrator_id = cmd.arbitrator_id or f"arbr-{commission.id.removeprefix('arb-')}-{uuid.uuid4().hex[:6]}"
    today, now = china_today(), utcnow()
    async with uow:
        current = await roster_store.current(uow.session, ctx.roster)
        if current.get(arbitrator_id) is not None:
            raise Conflict("arbitration.arbitrator_exists", field="arbitrator_id")
        if cmd.subject and current.by_subject(cmd.subject) is not None:
            raise Conflict("arbitration.arbitrator_exists", field="subject")
        arbitrator = Arbitrator(arbitrator_id, cmd.name, commission.id, cmd.subject)
        await roster_store.put(
            uow.session, arbitrator, division_code=commission.seat_division, by=principal.subject, at=now
        )
        detail = {"commission_id": commission.id, "name": cmd.name, "subject": cmd.subject}
        await roster_log.record(
            uow,
            roster_store.CHANGES,
            Change("arbitrator.enrolled", arbitrator_id, commission.seat_division, detail, principal.subject, now),
            ArbitratorEnrolled(
                arbitrator_id=arbitrator_id,
                subject=cmd.subject,
                name=cmd.name,
                commission_id=commission.id,
                division_code=commission.seat_division,
                enrolled_by=principal.subject,
                enrolled_on=today,
            ),
        )
        await uow.commit()
    return {"arbitrator_id": arbitrator_id, "commission_id": commission.id, "division_code": commission.seat_division}


async def _reassign(
    ctx: ArbitrationContext, uow: UnitOfWork, leaving: Arbitrator, *, why_zh: str
) -> list[dict[str, Any]]:
    """Form again every unfinished tribunal ``leaving`` sits on, from the roster as this
    transaction leaves it (``leaving`` already retired or moved); refused, with nothing changed,
    when a case has nobody left to take the seat."""
    open_cases = await roster_store.open_cases_of(uow.session, leaving.id)
    cases = [await repository.get(session=uow.session, application_id=c["application_id"]) for c in open_cases]
    loaded = [case for case in cases if case is not None]
    roster = await roster_store.current(uow.session, ctx.roster)
    load: dict[str, int] = {}
    for commission_id in {case.commission_id for case in loaded}:
        load.update(await roster_store.open_seat_counts(uow.session, commission_id))
    seats = [
        SeatedCase(
            case.application_id,
            case.commission_id,
            case.tribunal,
            tuple(r["arbitrator_id"] for r in case.recusals if r.get("granted")),
        )
        for case in loaded
    ]
    plan = successors(seats, leaving=leaving.id, roster=roster, load=load)
    if plan.left_behind:
        numbers = [
            c["case_number"] or c["application_id"] for c in open_cases if c["application_id"] in plan.left_behind
        ]
        raise Conflict(
            "arbitration.no_successor",
            detail=f"no other serving arbitrator of the commission can take the seat on: {', '.join(numbers)}",
            extra={"open_cases": plan.left_behind, "case_numbers": numbers},
        )
    return [await _hand_seat(uow, case, leaving, plan.to[case.application_id], why_zh) for case in loaded]


async def _hand_seat(
    uow: UnitOfWork,
    case: ArbitrationCase,
    leaving: Arbitrator,
    successor: Arbitrator | None,
    why_zh: str,
) -> dict[str, Any]:
    assert successor is not None  # _reassign refused the change when a case had nobody
    proceedings.replace_member(case, leaving=leaving.id, successor=successor, on=china_today(), why_zh=why_zh)
    try:
        await repository.save(session=uow.session, case=case)
    except repository.StaleCase:
        raise Conflict(detail="a case of this arbitrator changed meanwhile; retry") from None
    return {
        "application_id": case.application_id,
        "case_number": case.case_number,
        "status": case.status,
        "from_arbitrator_id": leaving.id,
        "from_name": leaving.name,
        "to_arbitrator_id": successor.id,
        "to_name": successor.name,
    }


async def move(
    *, ctx: ArbitrationContext, uow: UnitOfWork, principal: Principal, arbitrator_id: str, commission_id: str
) -> dict[str, Any]:
    target = _commission(ctx, principal, commission_id, "commission_id")
    today, now = china_today(), utcnow()
    async with uow:
        arbitrator, former = await _serving(ctx, uow, principal, arbitrator_id)
        if arbitrator.commission_id == target.id:
            raise InvalidInput.at("commission_id", "arbitration.same_commission")
        await roster_store.put(
            uow.session, moved(arbitrator, target.id), division_code=target.seat_division, by=principal.subject, at=now
        )
        reassigned = await _reassign(ctx, uow, arbitrator, why_zh=f"调往{target.name}")
        ids = [r["application_id"] for r in reassigned]
        detail = {
            "from_commission_id": former.id,
            "commission_id": target.id,
            "open_cases": ids,
            "reassigned": reassigned,
        }
        await roster_log.record(
            uow,
            roster_store.CHANGES,
            Change("arbitrator.moved", arbitrator_id, former.seat_division, detail, principal.subject, now),
            ArbitratorMoved(
                arbitrator_id=arbitrator_id,
                from_commission_id=former.id,
                commission_id=target.id,
                division_code=target.seat_division,
                moved_by=principal.subject,
                moved_on=today,
                open_cases=ids,
            ),
        )
        await uow.commit()
    return {"arbitrator_id": arbitrator_id, "commission_id": target.id, "reassigned": reassigned}


async def retire(
    *, ctx: ArbitrationContext, uow: UnitOfWork, principal: Principal, arbitrator_id: str, reason: str
) -> dict[str, Any]:
    today, now = china_today(), utcnow()
    async with uow:
        arbitrator, commission = await _serving(ctx, uow, principal, arbitrator_id)
        await roster_store.put(
            uow.session,
            retired(arbitrator, today),
            division_code=commission.seat_division,
            by=principal.subject,
            at=now,
        )
        reassigned = await _reassign(ctx, uow, arbitrator, why_zh="退出仲裁员名册")
        ids = [r["application_id"] for r in reassigned]
        detail = {"commission_id": commission.id, "reason": reason, "open_cases": ids, "reassigned": reassigned}
        await roster_log.record(
            uow,
            roster_store.CHANGES,
            Change("arbitrator.retired", arbitrator_id, commission.seat_division, detail, principal.subject, now),
            ArbitratorRetired(
                arbitrator_id=arbitrator_id,
                commission_id=commission.id,
                division_code=commission.seat_division,
                retired_by=principal.subject,
                retired_on=today,
                reason=reason,
                open_cases=ids,
            ),
        )
        await uow.commit()
    return {"arbitrator_id": arbitrator_id, "commission_id": commission.id, "reassigned": reassigned}


async def open_cases(
    *, ctx: ArbitrationContext, uow: UnitOfWork, principal: Principal, arbitrator_id: str
) -> list[dict[str, Any]]:
    """The unfinished tribunals the arbitrator (serving or not) sits on: none once retired or
    moved, since each was formed again with the change."""
    require_admin(principal)
    async with uow:
        found = (await roster_store.current(uow.session, ctx.roster)).get(arbitrator_id)
        commission = ctx.directory.commission(found.commission_id) if found else None
        if found is None or commission is None or not policy.can_manage_roster(principal, commission.seat_division):
            raise NotFound()
        return await roster_store.open_cases_of(uow.session, arbitrator_id)


async def change_log(*, uow: UnitOfWork, principal: Principal, limit: int) -> list[dict[str, Any]]:
    prefixes = log_scope(principal)
    async with uow:
        return await roster_store.CHANGES.read(uow.session, prefixes=prefixes, limit=limit)
