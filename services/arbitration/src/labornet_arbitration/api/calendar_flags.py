"""Which of an application's clocks are provisional: their last day lies in a year without an
official holiday schedule (shipped or entered), so a holiday there could still move it."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, computed_field

from labornet_common.platform.live_calendar import is_provisional

CLOCK_FIELDS = ("acceptance_due_on", "serve_copy_due_on", "tribunal_notice_due_on", "defence_due_on", "award_due_on")
AWARD_FIELDS = ("suit_due_on", "set_aside_due_on")  # LDA Arts. 48-50, from the award's service


class ProvisionalDeadlines(BaseModel):
    @computed_field  # type: ignore[prop-decorator]
    @property
    def provisional_deadlines(self) -> list[str]:
        """The clock fields whose date may still move when that year's schedule is entered
        (``award.suit_due_on`` and ``award.set_aside_due_on`` for the periods after service)."""
        award: dict[str, Any] = getattr(self, "award", None) or {}
        found = [name for name in CLOCK_FIELDS if is_provisional(getattr(self, name, None))]
        return found + [f"award.{name}" for name in AWARD_FIELDS if is_provisional(_day(award.get(name)))]


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None
