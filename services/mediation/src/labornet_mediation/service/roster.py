"""Administrators keep the register and the rosters (issue: rosters managed, not seeded): add a
mediator, move one to another centre, retire one; add, change or retire a centre (an enterprise
committee included) or a dispatched tribunal (派出庭). Each change is one transaction with its
event on reference.organisations.v1 and a row in the change log; the process's register is
rebuilt from the shipped file and the stored changes once it commits.

What happens to open cases (domain/roster.py): they stay at their centre and pass to another of
its mediators, or wait unassigned when nobody else serves there. A centre with open cases or
serving mediators cannot be retired: the administrator moves or retires them first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from labornet_common.contracts.events import utcnow
from labornet_common.contracts.organisations import (
    CentreKindName,
    CentreRegistered,
    CentreRetired,
    CommitteeComposition,
    MediatorEnrolled,
    MediatorMoved,
    MediatorRetired,
    TribunalRegistered,
    TribunalRetired,
)
from labornet_common.platform.problems import Conflict, InvalidInput, NotFound, Unprocessable
from labornet_common.platform.roster import log as roster_log
from labornet_common.platform.roster.rules import Change, OpenCase, log_scope, require_admin
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference import MediationCentre, OrganisationDirectory, Tribunal
from labornet_common.reference.organisations import DirectoryError
from labornet_common.security.auth import Principal
from labornet_mediation.adapters import mediators, register_store, repository
from labornet_mediation.domain import policy
from labornet_mediation.domain.enterprise import ENTERPRISE, Composition, check_composition
from labornet_mediation.domain.model import MediatorRef
from labornet_mediation.domain.roster import hand_over, overlay
from labornet_mediation.service.context import MediationContext

ROUTED_KINDS = ("street", "township", "park")  # the kinds intake's routing picks by workplace


async def refresh_directory(ctx: MediationContext, uow: UnitOfWork) -> OrganisationDirectory:
    """The shipped register with the stored changes, installed in ``ctx``."""
    async with uow:
        centres, tribunals = await register_store.load(uow.session)
        committees = await register_store.committees(uow.session)
    assert ctx.base_directory is not None
    ctx.directory, ctx.committees = overlay(ctx.base_directory, centres, tribunals), committees
    return ctx.directory


async def _rebuilt(ctx: MediationContext, uow: UnitOfWork) -> OrganisationDirectory:
    """The register as this transaction leaves it; a broken reference is the caller's 422."""
    centres, tribunals = await register_store.load(uow.session)
    assert ctx.base_directory is not None
    try:
        return overlay(ctx.base_directory, centres, tribunals)
    except DirectoryError as exc:
        raise Unprocessable("mediation.register_reference", detail=str(exc)) from None


async def _commit(ctx: MediationContext, uow: UnitOfWork) -> None:
    directory = await _rebuilt(ctx, uow)
    committees = await register_store.committees(uow.session)

    def install() -> None:
        ctx.directory, ctx.committees = directory, committees

    uow.after_commit(install)
    await uow.commit()


def _in_reach(principal: Principal, division_code: str, *, missing: tuple[str, str] | None = None) -> None:
    """A body outside the admin's region reads as missing: invalid ``missing`` (field, message
    code) when the caller named it in the body, else not found."""
    if not policy.can_manage_roster(principal, division_code):
        raise InvalidInput([missing]) if missing else NotFound()


def _centre_in_reach(ctx: MediationContext, principal: Principal, centre_id: str, field_name: str) -> MediationCentre:
    require_admin(principal)
    centre = ctx.directory.centre(centre_id)
    missing = (field_name, "mediation.centre_unknown")
    if centre is None:
        raise InvalidInput([missing])
    _in_reach(principal, centre.division_code, missing=missing)
    return centre


# -- mediators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrol:
    centre_id: str
    name: str
    subject: str
    mediator_id: str | None = None


async def enrol_mediator(*, ctx: MediationContext, uow: UnitOfWork, principal: Principal, cmd: Enrol) -> dict[str, Any]:
    centre = _centre_in_reach(ctx, principal, cmd.centre_id, "centre_id")
    mediator_id = cmd.mediator_id or f"{centre.id}-{uuid.uuid4().hex[:6]}"
    today, now = ctx.today(), utcnow()
    async with uow:
        if await mediators.get(session=uow.session, mediator_id=mediator_id) is not None:
            raise Conflict("mediation.mediator_exists", field="mediator_id")
        if await mediators.at_centre_by_subject(session=uow.session, subject=cmd.subject, centre_id=centre.id):
            raise Conflict("mediation.mediator_exists", field="subject")
        try:
            await mediators.enrol(
                session=uow.session,
                mediator_id=mediator_id,
                subject=cmd.subject,
                name=cmd.name,
                centre_id=centre.id,
                division_code=centre.division_code,
            )
        except mediators.AlreadyEnrolled:  # a concurrent enrolment of the same id or subject won
            raise Conflict("mediation.mediator_exists") from None
        await roster_log.record(
            uow,
            register_store.CHANGES,
            Change(
                "mediator.enrolled",
                mediator_id,
                centre.division_code,
                {"centre_id": centre.id, "name": cmd.name, "subject": cmd.subject},
                principal.subject,
                now,
            ),
            MediatorEnrolled(
                mediator_id=mediator_id,
                subject=cmd.subject,
                name=cmd.name,
                centre_id=centre.id,
                division_code=centre.division_code,
                enrolled_by=principal.subject,
                enrolled_on=today,
            ),
        )
        await uow.commit()
    return {"mediator_id": mediator_id, "centre_id": centre.id, "division_code": centre.division_code}


async def _leaving(uow: UnitOfWork, principal: Principal, mediator_id: str) -> Any:
    require_admin(principal)
    row = await mediators.get(session=uow.session, mediator_id=mediator_id)
    if row is None:
        raise NotFound()
    _in_reach(principal, row.division_code)
    if not row.active:
        raise Conflict("mediation.mediator_retired")
    return row


async def _hand_over_cases(
    ctx: MediationContext, uow: UnitOfWork, mediator: Any, *, why_zh: str
) -> dict[str, str | None]:
    """Every open case of the leaving mediator to a colleague at its centre, or unassigned."""
    today, reassigned = ctx.today(), {}
    by_centre: dict[str, list[Any]] = {}
    for case_id in await register_store.open_cases_of_mediator(uow.session, mediator.mediator_id):
        case = await repository.load(session=uow.session, case_id=case_id)
        if case is not None and case.centre_id is not None:
            by_centre.setdefault(case.centre_id, []).append(case)
    for centre_id, cases in by_centre.items():
        candidates = await mediators.refs_at_centre(session=uow.session, centre_id=centre_id)
        counts = await repository.open_case_counts(session=uow.session, centre_id=centre_id)
        plan = hand_over(
            [OpenCase(c.case_id, tuple(c.recused)) for c in cases],
            leaving=mediator.mediator_id,
            candidates=candidates,
            open_cases=counts,
        )
        for case in cases:
            chosen: MediatorRef | None = plan.to.get(case.case_id)
            if chosen is not None:
                case.assign(chosen, on=today)
            else:
                case.release(on=today, why_zh=why_zh)
            try:
                await repository.save(session=uow.session, case=case)
            except repository.StaleCase:
                raise Conflict("mediation.stale", detail="a case of this mediator changed meanwhile") from None
        reassigned.update(plan.summary())
    return reassigned


async def move_mediator(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, mediator_id: str, centre_id: str
) -> dict[str, Any]:
    target = _centre_in_reach(ctx, principal, centre_id, "centre_id")
    today, now = ctx.today(), utcnow()
    async with uow:
        row = await _leaving(uow, principal, mediator_id)
        if row.centre_id == target.id:
            raise InvalidInput.at("centre_id", "mediation.same_centre")
        if await mediators.at_centre_by_subject(session=uow.session, subject=row.subject, centre_id=target.id):
            raise Conflict("mediation.mediator_exists", field="centre_id")
        await mediators.move(
            session=uow.session, mediator_id=mediator_id, centre_id=target.id, division_code=target.division_code
        )
        reassigned = await _hand_over_cases(ctx, uow, row, why_zh=f"调往{target.name}")
        await roster_log.record(
            uow,
            register_store.CHANGES,
            Change(
                "mediator.moved",
                mediator_id,
                row.division_code,
                {"from_centre_id": row.centre_id, "centre_id": target.id, "reassigned": reassigned},
                principal.subject,
                now,
            ),
            MediatorMoved(
                mediator_id=mediator_id,
                from_centre_id=row.centre_id,
                centre_id=target.id,
                division_code=target.division_code,
                moved_by=principal.subject,
                moved_on=today,
                reassigned=reassigned,
            ),
        )
        await uow.commit()
    return {"mediator_id": mediator_id, "centre_id": target.id, "reassigned": reassigned}


async def retire_mediator(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, mediator_id: str, reason: str
) -> dict[str, Any]:
    today, now = ctx.today(), utcnow()
    async with uow:
        row = await _leaving(uow, principal, mediator_id)
        await mediators.retire(session=uow.session, mediator_id=mediator_id, on=today)
        reassigned = await _hand_over_cases(ctx, uow, row, why_zh="不再担任调解员")
        await roster_log.record(
            uow,
            register_store.CHANGES,
            Change(
                "mediator.retired",
                mediator_id,
                row.division_code,
                {"centre_id": row.centre_id, "reason": reason, "reassigned": reassigned},
                principal.subject,
                now,
            ),
            MediatorRetired(
                mediator_id=mediator_id,
                centre_id=row.centre_id,
                division_code=row.division_code,
                retired_by=principal.subject,
                retired_on=today,
                reason=reason,
                reassigned=reassigned,
            ),
        )
        await uow.commit()
    return {"mediator_id": mediator_id, "centre_id": row.centre_id, "reassigned": reassigned}


# -- centres and tribunals ------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterCentre:
    centre_id: str
    kind: CentreKindName
    name: str
    division_code: str
    serves: tuple[str, ...] = ()
    tribunal_id: str | None = None
    industry: str | None = None
    employer_uscc: str | None = None
    employer_name: str | None = None
    composition: CommitteeComposition | None = None


def _check_centre(ctx: MediationContext, cmd: RegisterCentre) -> None:
    if cmd.kind in ROUTED_KINDS and not cmd.serves:
        raise InvalidInput.at("serves", "mediation.centre_serves")
    for i, code in enumerate(cmd.serves):
        if not code.startswith(cmd.division_code[:6]):  # a centre serves within its own county
            raise InvalidInput.at(f"serves.{i}", "mediation.centre_serves_outside")
    if cmd.tribunal_id and ctx.directory.tribunal(cmd.tribunal_id) is None:
        raise InvalidInput.at("tribunal_id", "mediation.tribunal_unknown")
    if cmd.kind == ENTERPRISE:
        c = cmd.composition
        check_composition(Composition(c.worker_representatives, c.employer_representatives, c.chair) if c else None)
        if not (cmd.employer_uscc or cmd.employer_name):
            raise InvalidInput.at("employer_name", "mediation.committee_enterprise")
    elif cmd.composition is not None:
        raise InvalidInput.at("composition", "mediation.composition_not_enterprise")


async def register_centre(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, cmd: RegisterCentre
) -> dict[str, Any]:
    """Add a centre, or change one (shipped or added) of the admin's region."""
    require_admin(principal)
    _in_reach(principal, cmd.division_code, missing=("division_code", "mediation.division_out_of_scope"))
    existing = ctx.directory.centre(cmd.centre_id)
    if existing is not None:
        _in_reach(principal, existing.division_code, missing=("centre_id", "mediation.centre_unknown"))
    _check_centre(ctx, cmd)
    centre = MediationCentre(
        id=cmd.centre_id,
        kind=cmd.kind,
        name=cmd.name,
        division_code=cmd.division_code,
        serves=cmd.serves,
        tribunal_id=cmd.tribunal_id,
        industry=cmd.industry,
    )
    today, now = ctx.today(), utcnow()
    composition = cmd.composition.model_dump() if cmd.composition else None
    async with uow:
        await register_store.put_centre(
            uow.session,
            centre,
            by=principal.subject,
            at=now,
            employer_uscc=cmd.employer_uscc,
            employer_name=cmd.employer_name,
            composition=composition,
        )
        await roster_log.record(
            uow,
            register_store.CHANGES,
            Change(
                "centre.changed" if existing else "centre.registered",
                centre.id,
                centre.division_code,
                {"kind": cmd.kind, "name": cmd.name, "serves": list(cmd.serves), "tribunal_id": cmd.tribunal_id},
                principal.subject,
                now,
            ),
            CentreRegistered(
                centre_id=centre.id,
                kind=cmd.kind,
                name=centre.name,
                division_code=centre.division_code,
                serves=list(centre.serves),
                tribunal_id=centre.tribunal_id,
                industry=centre.industry,
                employer_uscc=cmd.employer_uscc,
                employer_name=cmd.employer_name,
                composition=cmd.composition,
                changed_by=principal.subject,
                changed_on=today,
            ),
        )
        await _commit(ctx, uow)
    return {"centre_id": centre.id, "created": existing is None}


async def retire_centre(*, ctx: MediationContext, uow: UnitOfWork, principal: Principal, centre_id: str) -> None:
    centre = _centre_in_reach(ctx, principal, centre_id, "centre_id")
    today, now = ctx.today(), utcnow()
    async with uow:
        if (open_cases := await register_store.open_cases_at_centre(uow.session, centre.id)) > 0:
            raise Conflict("mediation.centre_has_open_cases", extra={"open_cases": open_cases})
        if await mediators.at_centre(session=uow.session, centre_id=centre.id):
            raise Conflict("mediation.centre_has_mediators")
        stored = await register_store.centre_row(uow.session, centre.id)
        await register_store.put_centre(
            uow.session,
            centre,
            by=principal.subject,
            at=now,
            employer_uscc=stored.employer_uscc if stored else None,
            employer_name=stored.employer_name if stored else None,
            composition=stored.composition if stored else None,
            retired_on=today,
        )
        await roster_log.record(
            uow,
            register_store.CHANGES,
            Change("centre.retired", centre.id, centre.division_code, {"name": centre.name}, principal.subject, now),
            CentreRetired(
                centre_id=centre.id, division_code=centre.division_code, retired_by=principal.subject, retired_on=today
            ),
        )
        await _commit(ctx, uow)


@dataclass(frozen=True)
class RegisterTribunal:
    tribunal_id: str
    name: str
    commission_id: str
    division_code: str
    centre_id: str | None = None


async def register_tribunal(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, cmd: RegisterTribunal
) -> dict[str, Any]:
    """A 派出仲裁庭 of a commission, optionally at a centre: that centre's failed mediations are
    then transferred to it (its commission dockets them)."""
    require_admin(principal)
    _in_reach(principal, cmd.division_code, missing=("division_code", "mediation.division_out_of_scope"))
    if ctx.directory.commission(cmd.commission_id) is None:
        raise InvalidInput.at("commission_id", "mediation.commission_unknown")
    centre = _centre_in_reach(ctx, principal, cmd.centre_id, "centre_id") if cmd.centre_id else None
    existing = ctx.directory.tribunal(cmd.tribunal_id)
    tribunal = Tribunal(cmd.tribunal_id, cmd.name, cmd.commission_id, cmd.centre_id, cmd.division_code)
    today, now = ctx.today(), utcnow()
    async with uow:
        await register_store.put_tribunal(uow.session, tribunal, by=principal.subject, at=now)
        if centre is not None and centre.tribunal_id != tribunal.id:  # the centre now sends to it
            stored = await register_store.centre_row(uow.session, centre.id)
            await register_store.put_centre(
                uow.session,
                MediationCentre(
                    centre.id,
                    centre.kind,
                    centre.name,
                    centre.division_code,
                    centre.serves,
                    tribunal.id,
                    centre.industry,
                ),
                by=principal.subject,
                at=now,
                employer_uscc=stored.employer_uscc if stored else None,
                employer_name=stored.employer_name if stored else None,
                composition=stored.composition if stored else None,
            )
        await roster_log.record(
            uow,
            register_store.CHANGES,
            Change(
                "tribunal.changed" if existing else "tribunal.registered",
                tribunal.id,
                tribunal.division_code,
                {"name": tribunal.name, "commission_id": tribunal.commission_id, "centre_id": tribunal.centre_id},
                principal.subject,
                now,
            ),
            TribunalRegistered(
                tribunal_id=tribunal.id,
                name=tribunal.name,
                commission_id=tribunal.commission_id,
                centre_id=tribunal.centre_id,
                division_code=tribunal.division_code,
                changed_by=principal.subject,
                changed_on=today,
            ),
        )
        await _commit(ctx, uow)
    return {"tribunal_id": tribunal.id, "created": existing is None}


async def retire_tribunal(*, ctx: MediationContext, uow: UnitOfWork, principal: Principal, tribunal_id: str) -> None:
    """Its centre's failed mediations go to the commission with jurisdiction (LDA Art. 21)."""
    require_admin(principal)
    tribunal = ctx.directory.tribunal(tribunal_id)
    if tribunal is None:
        raise NotFound()
    _in_reach(principal, tribunal.division_code)
    today, now = ctx.today(), utcnow()
    async with uow:
        await register_store.put_tribunal(uow.session, tribunal, by=principal.subject, at=now, retired_on=today)
        await roster_log.record(
            uow,
            register_store.CHANGES,
            Change(
                "tribunal.retired",
                tribunal.id,
                tribunal.division_code,
                {"name": tribunal.name, "centre_id": tribunal.centre_id},
                principal.subject,
                now,
            ),
            TribunalRetired(
                tribunal_id=tribunal.id,
                division_code=tribunal.division_code,
                retired_by=principal.subject,
                retired_on=today,
            ),
        )
        await _commit(ctx, uow)


async def change_log(*, uow: UnitOfWork, principal: Principal, limit: int) -> list[dict[str, Any]]:
    prefixes = log_scope(principal)
    async with uow:
        return await register_store.CHANGES.read(uow.session, prefixes=prefixes, limit=limit)
