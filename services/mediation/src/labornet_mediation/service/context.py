"""What every mediation use case needs besides the unit of work: the legal calendar, the
organisations register, the warning window and today's local date; and the shared steps of
loading a case for an action and committing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from labornet_common.auth import Principal
from labornet_common.calendar import LegalCalendar
from labornet_common.errors import FieldError, Problem, not_found
from labornet_common.events import utcnow
from labornet_common.live_calendar import live_calendar_with
from labornet_common.reference import OrganisationDirectory, organisation_directory
from labornet_common.uow import UnitOfWork
from labornet_mediation import messages as _messages  # noqa: F401 - registers the catalogue
from labornet_mediation.adapters import repository
from labornet_mediation.config import MediationSettings
from labornet_mediation.domain import policy
from labornet_mediation.domain.agreement import RuleBroken
from labornet_mediation.domain.clock import local_date
from labornet_mediation.domain.extension import DEFAULT_MAX_EXTENSION_DAYS
from labornet_mediation.domain.model import MediationCase


def _today() -> date:
    return local_date(utcnow())


@dataclass
class MediationContext:
    calendar: LegalCalendar = field(default_factory=LegalCalendar)
    directory: OrganisationDirectory = field(default_factory=organisation_directory)
    warn_days: int = 3
    today: Callable[[], date] = _today
    max_extension_days: int = DEFAULT_MAX_EXTENSION_DAYS
    # The shipped register; ``directory`` is it with the administrators' changes (service/roster.py).
    base_directory: OrganisationDirectory | None = None
    # Enterprise committees' enterprise and make-up as administrators registered them, by centre id.
    committees: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.base_directory is None:
            self.base_directory = self.directory

    @classmethod
    def from_settings(cls, settings: MediationSettings) -> MediationContext:
        return cls(
            calendar=live_calendar_with(settings.mediation_holiday_notices),  # + entered schedules
            warn_days=settings.mediation_warn_days,
            max_extension_days=settings.mediation_max_extension_days,
        )


def rule_problem(exc: RuleBroken) -> Problem:
    # A rule broken by one input is a 422 of that rule (its own type and title) naming the field.
    if exc.field is not None:
        return Problem(422, exc.code, exc.detail, [FieldError.of(exc.field, exc.code)])
    return Problem(409, exc.code, exc.detail)


async def load_for_action(uow: UnitOfWork, principal: Principal, case_id: str) -> MediationCase:
    """The case, when the caller may work it; otherwise 404 (out of reach reads as missing)."""
    case = await repository.load(session=uow.session, case_id=case_id)
    if case is None or not policy.can_read(
        principal, case_id=case.case_id, division_code=case.division_code, assigned_to=case.assigned_to
    ):
        raise not_found()
    if not policy.can_act(
        principal,
        case_id=case.case_id,
        division_code=case.division_code,
        assigned_to=case.assigned_to,
        centre_id=case.centre_id,
    ):
        raise Problem(403, "forbidden")
    return case


async def commit_case(uow: UnitOfWork, case: MediationCase) -> None:
    """Save with the version check; the case's events enter the outbox in the same commit."""
    try:
        await repository.save(session=uow.session, case=case)
    except repository.StaleCase:
        raise Problem(409, "mediation.stale", "the case changed meanwhile") from None
    uow.track(case)
    await uow.commit()


def apply_rule(action: Callable[[], object]) -> object:
    """Run a domain transition, turning a broken rule into problem+json."""
    try:
        return action()
    except RuleBroken as exc:
        raise rule_problem(exc) from None
