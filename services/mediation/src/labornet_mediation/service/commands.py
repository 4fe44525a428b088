"""Use cases of the mediation phase: open, accept or decline, assign, recuse, sessions, notes,
failure. Each loads the case through the caller's eyes and commits once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import utcnow
from labornet_common.platform.problems import Conflict, Forbidden, InvalidInput, NotFound
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_mediation.adapters import case_details, mediators, repository
from labornet_mediation.domain import policy
from labornet_mediation.domain.assignment import RECUSAL_GROUNDS_ZH, RecusalGround, least_loaded
from labornet_mediation.domain.model import MediationCase, MediatorRef, Session
from labornet_mediation.domain.routing import resolve_centre
from labornet_mediation.service.action import commit_case, load_for_action
from labornet_mediation.service.centres import check_committee_applicant
from labornet_mediation.service.context import MediationContext


@dataclass(frozen=True)
class OpenCase:
    workplace_division: str
    worker_name: str
    employer_name: str
    facts: str = ""
    claims: tuple[ClaimSummary, ...] = ()
    centre_id: str | None = None
    employer_uscc: str | None = None
    employer_division: str | None = None
    worker_count: int = 1
    received_on: date | None = None  # an application received earlier (written, or oral on the spot)


async def open_case(*, ctx: MediationContext, uow: UnitOfWork, principal: Principal, cmd: OpenCase) -> str:
    """A centre's own staff open a case for an application made at the centre (LDA Art. 12)."""
    if cmd.centre_id and ctx.directory.centre(cmd.centre_id) is None:
        raise InvalidInput.at("centre_id", "mediation.centre_unknown")
    centre = resolve_centre(ctx.directory, target_org_id=cmd.centre_id, divisions=[cmd.workplace_division])
    if centre is None:
        raise InvalidInput.at("workplace_division", "mediation.no_centre")
    if not policy.can_act_for_centre(principal, centre_id=centre.id, division_code=centre.division_code):
        raise Forbidden()
    check_committee_applicant(ctx, centre.id, employer_uscc=cmd.employer_uscc, employer_name=cmd.employer_name)
    today = ctx.today()
    if cmd.received_on and cmd.received_on > today:
        raise InvalidInput.at("received_on", "mediation.received_in_future")
    case = MediationCase.open(
        case_id=str(uuid.uuid4()),
        division_code=cmd.workplace_division,
        worker_name=cmd.worker_name,
        employer_name=cmd.employer_name,
        facts=cmd.facts,
        claims=[c.model_dump(mode="json") for c in cmd.claims],
        opened_at=utcnow(),
        calendar=ctx.calendar,
        received_on=cmd.received_on or today,
        centre_id=centre.id,
        centre_name=centre.name,
        workplace_division=cmd.workplace_division,
        employer_uscc=cmd.employer_uscc,
        employer_division=cmd.employer_division,
        worker_count=cmd.worker_count,
        origin="direct",
    )
    async with uow:
        await repository.add(session=uow.session, case=case)
        await uow.commit()
    return case.case_id


async def _auto_mediator(uow: UnitOfWork, case: MediationCase) -> MediatorRef | None:
    """Fewest open cases at the case's centre, never one who stepped aside."""
    if case.centre_id is None:
        return None
    candidates = await mediators.refs_at_centre(session=uow.session, centre_id=case.centre_id)
    counts = await repository.open_case_counts(session=uow.session, centre_id=case.centre_id)
    return least_loaded(candidates, open_cases=counts, excluded=case.recused)


async def accept(*, ctx: MediationContext, uow: UnitOfWork, principal: Principal, case_id: str) -> None:
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        today = ctx.today()
        case.accept(on=today)
        if case.mediator_id is None and (chosen := await _auto_mediator(uow, case)) is not None:
            case.assign(chosen, on=today)
        await commit_case(uow, case)


async def decline(*, ctx: MediationContext, uow: UnitOfWork, principal: Principal, case_id: str, reason: str) -> None:
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        case.decline(on=ctx.today(), reason=reason)
        case.close(on=ctx.today(), outcome="declined")
        await commit_case(uow, case)


async def assign(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, case_id: str, mediator_id: str | None
) -> None:
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        chosen = await _named_or_balanced(uow, case, mediator_id)
        case.assign(chosen, on=ctx.today())
        await commit_case(uow, case)


async def _named_or_balanced(uow: UnitOfWork, case: MediationCase, mediator_id: str | None) -> MediatorRef:
    if mediator_id is None:
        chosen = await _auto_mediator(uow, case)
        if chosen is None:
            raise Conflict("mediation.no_mediator")
        return chosen
    row = await mediators.get(session=uow.session, mediator_id=mediator_id)
    if row is None or row.centre_id != case.centre_id or not row.active:
        raise InvalidInput.at("mediator_id", "mediation.mediator_unknown")
    return MediatorRef(mediator_id=row.mediator_id, subject=row.subject, name=row.name)


@dataclass(frozen=True)
class Recusal:
    ground: RecusalGround
    explanation: str = ""
    mediator_id: str | None = None  # defaults to the mediator on the case


async def recuse(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, case_id: str, cmd: Recusal
) -> str | None:
    """Record why the mediator steps aside and hand the case to another; returns the new
    mediator's id (None when nobody else serves at the centre: the case then waits)."""
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        today, leaving = ctx.today(), cmd.mediator_id or case.mediator_id or ""
        case.recuse(leaving, on=today, ground_zh=RECUSAL_GROUNDS_ZH[cmd.ground])
        replacement = await _auto_mediator(uow, case)
        if replacement is not None:
            case.assign(replacement, on=today, recusal_ground=cmd.ground.value)
        await case_details.add_recusal(
            uow.session,
            recusal_id=str(uuid.uuid4()),
            case_id=case_id,
            mediator_id=leaving,
            ground=cmd.ground.value,
            explanation=cmd.explanation,
            replaced_by=replacement and replacement.mediator_id,
            recorded_by=principal.subject,
        )
        await commit_case(uow, case)
    return replacement.mediator_id if replacement else None


@dataclass(frozen=True)
class ScheduleSession:
    starts_at: datetime
    place: str = ""
    video_link: str = ""
    attendees: tuple[str, ...] = ()


async def schedule_session(*, uow: UnitOfWork, principal: Principal, case_id: str, cmd: ScheduleSession) -> str:
    if not (cmd.place or cmd.video_link):
        raise InvalidInput.at("place", "mediation.session_place")
    session = Session(str(uuid.uuid4()), cmd.starts_at, cmd.place, cmd.video_link, cmd.attendees)
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        case.schedule_session(session)
        await case_details.add_session(
            uow.session,
            session_id=session.session_id,
            case_id=case_id,
            starts_at=cmd.starts_at,
            place=cmd.place,
            video_link=cmd.video_link,
            attendees=list(cmd.attendees),
            created_by=principal.subject,
        )
        await commit_case(uow, case)
    return session.session_id


async def record_attendance(
    *,
    ctx: MediationContext,
    uow: UnitOfWork,
    principal: Principal,
    case_id: str,
    session_id: str,
    attended: list[str],
) -> None:
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        if not await case_details.set_attendance(
            uow.session, case_id=case_id, session_id=session_id, attended=attended
        ):
            raise NotFound()
        case.record_attendance(on=ctx.today(), attended=attended)
        await commit_case(uow, case)


async def add_note(*, uow: UnitOfWork, principal: Principal, case_id: str, text: str) -> str:
    note_id = str(uuid.uuid4())
    async with uow:
        await load_for_action(uow, principal, case_id)
        await case_details.add_note(
            uow.session,
            note_id=note_id,
            case_id=case_id,
            author=principal.subject,
            text=text,
        )
        await uow.commit()
    return note_id


async def fail(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, case_id: str, reason: str, note: str
) -> None:
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        case.fail(on=ctx.today(), reason=reason, note=note)
        await commit_case(uow, case)
