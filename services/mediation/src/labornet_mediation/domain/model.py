"""Mediation case aggregate (pure Python)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from labornet_common.calendar import LegalCalendar
from labornet_common.contracts.mediation import MediationCaseOpened
from labornet_common.outbox import PendingEvent

MEDIATION_PERIOD_DAYS = 15  # LDA Art. 14: no agreement within 15 days of receipt → arbitration


@dataclass
class MediationCase:
    case_id: str
    division_code: str
    worker_name: str
    employer_name: str
    facts: str
    claims: list[dict]
    received_on: date
    due_on: date
    opened_at: datetime
    status: str = "RECEIVED"
    assigned_to: str | None = None  # a mediator's subject, possibly of another region
    _events: list[PendingEvent] = field(default_factory=list, repr=False)

    @classmethod
    def open(
        cls,
        *,
        case_id: str,
        division_code: str,
        worker_name: str,
        employer_name: str,
        facts: str,
        claims: list[dict],
        opened_at: datetime,
        calendar: LegalCalendar,
    ) -> MediationCase:
        received_on = opened_at.date()
        due_on = calendar.add_calendar_days(received_on, MEDIATION_PERIOD_DAYS)
        case = cls(
            case_id=case_id,
            division_code=division_code,
            worker_name=worker_name,
            employer_name=employer_name,
            facts=facts,
            claims=claims,
            received_on=received_on,
            due_on=due_on,
            opened_at=opened_at,
        )
        case._events.append(
            PendingEvent(
                case_id,
                MediationCaseOpened(
                    case_id=case_id,
                    division_code=division_code,
                    received_on=received_on,
                    due_on=due_on,
                ),
            )
        )
        return case

    def pull_events(self) -> list[PendingEvent]:
        events, self._events = self._events, []
        return events
