"""Running an accepted case: service, tribunal, recusal, hearing, suspension, extension,
claims, award and its service. Each is one change under action.change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from labornet_arbitration.adapters import roster_store
from labornet_arbitration.domain import outcomes, party_service, procedures, proceedings
from labornet_arbitration.domain.arbitrators import Roster
from labornet_arbitration.domain.minimum_wage import MinimumWageUnknown, needs_cap
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.domain.policy import TRIBUNAL_ROLES
from labornet_arbitration.service import action
from labornet_arbitration.service.context import ArbitrationContext
from labornet_common.contracts.arbitration import AwardItem
from labornet_common.platform.problems import Unprocessable
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal, Role


async def run(
    *,
    uow: UnitOfWork,
    principal: Principal,
    application_id: str,
    step: Callable[[ArbitrationCase], Any],
    roles: frozenset[Role] = TRIBUNAL_ROLES,
) -> ArbitrationCase:
    """Apply a synchronous domain step to one application."""

    async def apply(case: ArbitrationCase) -> Any:
        return step(case)

    return (await action.change(uow=uow, principal=principal, application_id=application_id, roles=roles, apply=apply))[
        0
    ]


Step = Callable[[ArbitrationCase], Any]


def service(ctx: ArbitrationContext, *, on: date, today: date) -> Step:
    return lambda case: proceedings.record_service(case, on=on, today=today, calendar=ctx.calendar)


def tribunal(
    ctx: ArbitrationContext,
    *,
    mode: Any,
    seats: list[Any],
    complex_case: bool,
    on: date,
    roster: Roster | None = None,
) -> Step:
    """``roster``: the roster as administrators left it (the shipped one if not given)."""
    arbitrators = (roster or ctx.roster).by_id

    def step(case: ArbitrationCase) -> None:
        procedures.check_tribunal_mode(case, mode)  # simplified: sole; converted: a panel
        proceedings.form_tribunal(
            case, mode=mode, seats=seats, arbitrators=arbitrators, complex_case=complex_case, on=on
        )

    return step


async def form_tribunal(
    *,
    uow: UnitOfWork,
    ctx: ArbitrationContext,
    principal: Principal,
    application_id: str,
    mode: Any,
    seats: list[Any],
    complex_case: bool,
    on: date,
) -> ArbitrationCase:
    """Form (or form again) the tribunal from the roster as the same transaction reads it, so an
    arbitrator retired or moved meanwhile is refused."""

    async def apply(case: ArbitrationCase) -> None:
        current = await roster_store.current(uow.session, ctx.roster)
        tribunal(ctx, mode=mode, seats=seats, complex_case=complex_case, on=on, roster=current)(case)

    changed, _ = await action.change(
        uow=uow, principal=principal, application_id=application_id, roles=TRIBUNAL_ROLES, apply=apply
    )
    return changed


def recusal(ctx: ArbitrationContext, *, arbitrator_id: str, ground: str, on: date) -> Step:
    return lambda case: proceedings.request_recusal(
        case, arbitrator_id=arbitrator_id, ground=ground, on=on, calendar=ctx.calendar
    )


def recusal_decision(ctx: ArbitrationContext, *, recusal_id: str, granted: bool, on: date, decided_by: str) -> Step:
    deciding_as = next((a for a in ctx.roster.by_id.values() if a.subject == decided_by), None)
    return lambda case: proceedings.decide_recusal(
        case, recusal_id=recusal_id, granted=granted, on=on, deciding_as=deciding_as
    )


def hearing(
    ctx: ArbitrationContext, *, hearing_on: date, notice_on: date, venue: str, hearing_time: time | None = None
) -> Step:
    return lambda case: proceedings.schedule_hearing(
        case,
        hearing_on=hearing_on,
        notice_on=notice_on,
        venue=venue,
        calendar=ctx.calendar,
        hearing_time=hearing_time,
    )


def suspension(*, on: date, reason: str, today: date) -> Step:
    return lambda case: proceedings.suspend(case, on=on, reason=reason, today=today)


def resumption(ctx: ArbitrationContext, *, on: date, today: date) -> Step:
    return lambda case: proceedings.resume(case, on=on, today=today, calendar=ctx.calendar)


def extension(ctx: ArbitrationContext, *, days: int, reason: str) -> Step:
    return lambda case: proceedings.extend(case, days=days, reason=reason, calendar=ctx.calendar)


def claims_change(ctx: ArbitrationContext, *, claims: list[Any], on: date, today: date) -> Step:
    return lambda case: proceedings.change_claims(case, claims=claims, on=on, today=today, calendar=ctx.calendar)


def award_service(ctx: ArbitrationContext, *, on: date, today: date, party: party_service.Party | None = None) -> Step:
    return lambda case: outcomes.serve_award(case, on=on, today=today, calendar=ctx.calendar, party=party)


def award_items(
    ctx: ArbitrationContext, case: ArbitrationCase, *, kind: outcomes.Kind, items: list[dict[str, Any]], on: date
) -> list[AwardItem]:
    """The items, each marked final or not (LDA Art. 47, per item)."""
    cap = None
    if kind == "award" and needs_cap([i["category"] for i in items]):
        try:  # LDA Art. 47(一): 12 months of the local minimum wage, on the award date
            cap = ctx.wages.cap_fen(case.division_code, on)
        except MinimumWageUnknown:
            raise Unprocessable(
                "arbitration.minimum_wage_unknown", detail=f"configure LABORNET_MINIMUM_WAGES for {case.division_code}"
            ) from None
    return outcomes.award_items(kind, items, cap)


def award(ctx: ArbitrationContext, *, kind: outcomes.Kind, items: list[dict[str, Any]], on: date, today: date) -> Step:
    def step(case: ArbitrationCase) -> None:
        found = award_items(ctx, case, kind=kind, items=items, on=on)
        outcomes.issue_award(case, kind=kind, items=found, on=on, today=today)

    return step
