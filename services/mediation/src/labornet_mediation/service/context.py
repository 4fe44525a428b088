"""What every mediation use case needs besides the unit of work: the legal calendar, the
organisations register, the warning window and today's local date. Built once per process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from labornet_common.platform.clock import china_today
from labornet_common.platform.live_calendar import live_calendar_with
from labornet_common.reference import OrganisationDirectory, organisation_directory
from labornet_common.reference.calendar import LegalCalendar
from labornet_mediation import messages as _messages  # noqa: F401 - registers the catalogue
from labornet_mediation.config import MediationSettings
from labornet_mediation.domain.extension import DEFAULT_MAX_EXTENSION_DAYS


@dataclass
class MediationContext:
    calendar: LegalCalendar = field(default_factory=LegalCalendar)
    directory: OrganisationDirectory = field(default_factory=organisation_directory)
    warn_days: int = 3
    today: Callable[[], date] = china_today
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
