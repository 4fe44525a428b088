"""Forming a tribunal, and recusal (pure rules).

LDA Art. 31: three arbitrators with a presiding one, or one sole arbitrator for a simple case.
组织规则 Art. 13: three are mandatory for 10+ workers, collective-contract and major or complex
cases. LDA Art. 33 lists the recusal grounds; Rules Art. 11: decide within 3 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from labornet_common.reference.calendar import LegalCalendar

COLLECTIVE_WORKERS = 10  # LDA Art. 7; national threshold (the 30-worker rule is superseded)
RECUSAL_DECISION_DAYS = 3  # Rules Art. 11

Mode = Literal["sole", "panel"]
# LDA Art. 33: (一) near relative of a party or agent; (二) interest in the case; (三) another
# relationship that may affect fairness; (四) private meetings or gifts.
RECUSAL_GROUNDS = ("near_relative", "interest", "other_relationship", "private_meeting_or_gifts")


@dataclass(frozen=True)
class Seat:
    arbitrator_id: str
    role: Literal["presiding", "member", "sole"]


def panel_required(*, worker_count: int, collective: bool, complex_case: bool) -> bool:
    # 组织规则 Art. 13: 10+ workers, collective disputes and complex cases sit as three
    return worker_count >= COLLECTIVE_WORKERS or collective or complex_case


def shape_ok(mode: Mode, seats: Sequence[Seat]) -> bool:
    roles = sorted(s.role for s in seats)
    distinct = len({s.arbitrator_id for s in seats}) == len(seats)
    if mode == "sole":
        return distinct and roles == ["sole"]
    return distinct and roles == ["member", "member", "presiding"]


def recusal_decision_due(calendar: LegalCalendar, requested_on: date) -> date:
    # Rules Art. 11: the commission decides on a recusal request within 3 days
    return calendar.add_calendar_days(requested_on, RECUSAL_DECISION_DAYS)
