"""Arbitration's context: what every use case needs besides the unit of work (calendar,
registers, settings) and the e-service sender with the PII cipher. Built once per process by main.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from labornet_arbitration.config import ArbitrationSettings
from labornet_arbitration.domain.arbitrators import Roster, roster
from labornet_arbitration.domain.minimum_wage import SHIPPED, MinimumWage, MinimumWageTable
from labornet_common.platform.live_calendar import live_calendar
from labornet_common.reference import OrganisationDirectory, organisation_directory
from labornet_common.reference.calendar import LegalCalendar
from labornet_common.security.crypto import PiiCipher

if TYPE_CHECKING:
    from labornet_arbitration.service.e_service import Sender


# The periodic job that sends deliveries and worker prompts (main.py): what queues one wakes it.
SENDER_JOB = "e-service-sender"


@dataclass(frozen=True)
class ArbitrationContext:
    calendar: LegalCalendar
    directory: OrganisationDirectory
    roster: Roster
    wages: MinimumWageTable
    case_number_format: str
    average_wages: tuple[tuple[str, int, int], ...] = ()  # (region prefix, year, annual fen)
    sender: Sender | None = None  # e-service channels and retries (main.py sets it from the settings)
    cipher: PiiCipher | None = None  # the PII cipher the sender decrypts addresses with

    def average_wage_fen(self, division_code: str, on: date) -> int | None:
        """Rules Art. 56(二): the province's average annual wage of the year before ``on``."""
        rows = [
            (len(p), fen) for p, year, fen in self.average_wages if division_code.startswith(p) and year == on.year - 1
        ]
        return max(rows)[1] if rows else None

    @classmethod
    def from_settings(cls, settings: ArbitrationSettings) -> ArbitrationContext:
        configured = [
            MinimumWage(w.region_prefix, w.effective_from, w.monthly_fen, w.status) for w in settings.minimum_wages
        ]
        return cls(
            calendar=live_calendar(),  # the shipped years plus every entered schedule
            directory=organisation_directory(),
            roster=roster(),
            # Configured rows come last: on the same region and date they win (max keeps the later).
            wages=MinimumWageTable([*SHIPPED, *configured]),
            case_number_format=settings.case_number_format,
            average_wages=tuple((w.region_prefix, w.year, w.annual_fen) for w in settings.average_wages),
        )
