"""Administrators keep the arbitrator roster (仲裁员名册, LDA Art. 20) of the commissions seated
in their region: add an arbitrator, move one to another commission, retire one. Each change is
one transaction with its event on reference.organisations.v1 and a row in the change log.

A retired or moved arbitrator keeps the tribunals of closed cases as they were. The unfinished
tribunals they sit on (formed, heard or suspended) are listed with the change, in its event and
by ``open_cases``: the commission names a replacement by forming the tribunal again, and the
retired arbitrator cannot be named (domain.proceedings.form_tribunal).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from labornet_arbitration.adapters import roster_store
from labornet_arbitration.domain import policy
from labornet_arbitration.domain.arbitrators import Arbitrator, Roster, moved, retired
from labornet_arbitration.service.context import ArbitrationContext
from labornet_common.auth import NATIONWIDE, Principal, Role
from labornet_common.clock import china_today
from labornet_common.contracts.organisations import ArbitratorEnrolled, ArbitratorMoved, ArbitratorRetired
from labornet_common.events import utcnow
from labornet_common.problems import Conflict, Forbidden, InvalidInput, NotFound
from labornet_common.reference import Commission
from labornet_common.uow import UnitOfWork


def require_admin(principal: Principal) -> None:
    """Only administrators keep the roster (403 for everyone else)."""
    if Role.admin not in principal.roles:
        raise Forbidden()


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
        uow.record(
            arbitrator_id,
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
        await roster_store.log_change(
            uow.session,
            action="arbitrator.enrolled",
            subject_id=arbitrator_id,
            division_code=commission.seat_division,
            detail={"commission_id": commission.id, "name": cmd.name, "subject": cmd.subject},
            by=principal.subject,
            at=now,
        )
        await uow.commit()
    return {"arbitrator_id": arbitrator_id, "commission_id": commission.id, "division_code": commission.seat_division}


async def move(
    *, ctx: ArbitrationContext, uow: UnitOfWork, principal: Principal, arbitrator_id: str, commission_id: str
) -> dict[str, Any]:
    target = _commission(ctx, principal, commission_id, "commission_id")
    today, now = china_today(), utcnow()
    async with uow:
        arbitrator, former = await _serving(ctx, uow, principal, arbitrator_id)
        if arbitrator.commission_id == target.id:
            raise InvalidInput.at("commission_id", "arbitration.same_commission")
        open_cases = await roster_store.open_cases_of(uow.session, arbitrator_id)
        ids = [c["application_id"] for c in open_cases]
        await roster_store.put(
            uow.session, moved(arbitrator, target.id), division_code=target.seat_division, by=principal.subject, at=now
        )
        uow.record(
            arbitrator_id,
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
        await roster_store.log_change(
            uow.session,
            action="arbitrator.moved",
            subject_id=arbitrator_id,
            division_code=former.seat_division,
            detail={"from_commission_id": former.id, "commission_id": target.id, "open_cases": ids},
            by=principal.subject,
            at=now,
        )
        await uow.commit()
    return {"arbitrator_id": arbitrator_id, "commission_id": target.id, "open_cases": open_cases}


async def retire(
    *, ctx: ArbitrationContext, uow: UnitOfWork, principal: Principal, arbitrator_id: str, reason: str
) -> dict[str, Any]:
    today, now = china_today(), utcnow()
    async with uow:
        arbitrator, commission = await _serving(ctx, uow, principal, arbitrator_id)
        open_cases = await roster_store.open_cases_of(uow.session, arbitrator_id)
        ids = [c["application_id"] for c in open_cases]
        await roster_store.put(
            uow.session,
            retired(arbitrator, today),
            division_code=commission.seat_division,
            by=principal.subject,
            at=now,
        )
        uow.record(
            arbitrator_id,
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
        await roster_store.log_change(
            uow.session,
            action="arbitrator.retired",
            subject_id=arbitrator_id,
            division_code=commission.seat_division,
            detail={"commission_id": commission.id, "reason": reason, "open_cases": ids},
            by=principal.subject,
            at=now,
        )
        await uow.commit()
    return {"arbitrator_id": arbitrator_id, "commission_id": commission.id, "open_cases": open_cases}


async def open_cases(
    *, ctx: ArbitrationContext, uow: UnitOfWork, principal: Principal, arbitrator_id: str
) -> list[dict[str, Any]]:
    """The unfinished tribunals the arbitrator (serving or not) sits on, for reassignment."""
    require_admin(principal)
    async with uow:
        found = (await roster_store.current(uow.session, ctx.roster)).get(arbitrator_id)
        commission = ctx.directory.commission(found.commission_id) if found else None
        if found is None or commission is None or not policy.can_manage_roster(principal, commission.seat_division):
            raise NotFound()
        return await roster_store.open_cases_of(uow.session, arbitrator_id)


async def change_log(*, uow: UnitOfWork, principal: Principal, limit: int) -> list[dict[str, Any]]:
    require_admin(principal)
    prefixes = None if NATIONWIDE in principal.region_scopes else list(principal.region_scopes)
    async with uow:
        rows = await roster_store.changes(uow.session, prefixes=prefixes, limit=limit)
    return [dict(r._mapping) for r in rows]
