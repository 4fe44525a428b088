"""Events of services/mediation (topic mediation.cases.v1)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from labornet_common.bus.topics import MEDIATION
from labornet_common.events import EventData


class MediationCaseOpened(
    EventData, type="cn.labornet.mediation.case.opened.v1", topic=MEDIATION
):
    """A mediation centre received the case; the 15-day clock (LDA Art. 14) starts."""

    case_id: str
    centre_id: str | None = None
    division_code: str
    received_on: date
    due_on: date = Field(description="last day of the 15-day mediation period")
