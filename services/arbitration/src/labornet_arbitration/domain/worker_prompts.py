"""Short prompts for the worker at each stage (pure Python): the application accepted, the
hearing's date, time and venue, the award served and the last day to sue. Plain Chinese, short
enough for one SMS, and never an ID number (only the case number and dates). A worker may opt
out; at most ``daily_limit`` prompts go to one application's worker in 24 hours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from labornet_arbitration.domain import party_service
from labornet_arbitration.domain.model import ArbitrationCase

_ID_NUMBER = re.compile(r"\d{15}(\d{2}[\dXx])?")


@dataclass(frozen=True)
class Prompt:
    stage: str  # accepted | hearing | award_served
    text: str


def _day(iso: str | date) -> str:
    day = date.fromisoformat(iso) if isinstance(iso, str) else iso
    return f"{day.month}月{day.day}日"


def prompts_for(before: dict[str, Any], case: ArbitrationCase) -> list[Prompt]:
    """What the change tells the worker; ``before`` is documents.snapshot(case) before it."""
    found: list[Prompt] = []
    number = case.case_number or ""
    if before["status"] in ("SUBMITTED", "NEEDS_CORRECTION") and case.accepted_on and number:
        found.append(
            Prompt("accepted", f"【劳动仲裁】您的仲裁申请已受理，案号{number}。仲裁委将在45日内结案，请留意开庭通知。")
        )
    hearing = case.hearing or {}
    if hearing and hearing != before["hearing"]:
        at = f"{_day(hearing['hearing_on'])}{' ' + hearing['hearing_time'] if hearing.get('hearing_time') else ''}"
        found.append(
            Prompt(
                "hearing", f"【劳动仲裁】案号{number}定于{at}在{hearing['venue']}开庭，请携带身份证件和证据准时到庭。"
            )
        )
    award = case.award or {}
    # The worker's own service and window (LDA Arts. 48, 50 run from the worker's own receipt).
    own = party_service.of(award).get("worker")
    if own and "worker" not in party_service.of(before["award"] or {}):
        what = "调解书" if award.get("kind") == "mediation" else "裁决书"
        text = f"【劳动仲裁】案号{number}的{what}已于{_day(own['served_on'])}送达。"
        if own.get("suit_due_on"):
            text += f"如不服，可在{_day(own['suit_due_on'])}前向人民法院起诉（劳动争议调解仲裁法第48、50条）。"
        found.append(Prompt("award_served", text))
    # Never an ID number, even one typed into a venue.
    return [Prompt(p.stage, _ID_NUMBER.sub("***", p.text)) for p in found]


def within_limit(sent_at: list[datetime], now: datetime, *, daily_limit: int) -> bool:
    """Rate limit: fewer than ``daily_limit`` prompts in the 24 hours before ``now``."""
    return sum(1 for t in sent_at if now - t < timedelta(hours=24)) < daily_limit
