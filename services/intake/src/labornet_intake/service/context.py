"""Intake's context: what its rules and handlers need from outside (the organisations register,
the legal calendar, regional settings, the PII cipher). Built once per process by main.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from labornet_common.reference import OrganisationDirectory, organisation_directory
from labornet_common.reference.calendar import LegalCalendar, default_calendar
from labornet_common.security.crypto import PiiCipher


@dataclass(frozen=True)
class IntakeContext:
    directory: OrganisationDirectory = field(default_factory=organisation_directory)
    calendar: LegalCalendar = field(default_factory=default_calendar)
    joint_answer_working_days: int = 10
    cipher: PiiCipher | None = None  # set from the settings by main.py (the consumers decrypt with it)

    def answer_due_on(self, requested_on: date) -> date:
        # Regional pact, not national law (see IntakeSettings.joint_answer_working_days).
        return self.calendar.add_working_days(requested_on, self.joint_answer_working_days)
