"""Which of an application's clocks are provisional: their last day lies in a year without an
official holiday schedule (shipped or entered), so a holiday there could still move it."""

from __future__ import annotations

from pydantic import BaseModel, computed_field

from labornet_common.live_calendar import is_provisional

CLOCK_FIELDS = ("acceptance_due_on", "serve_copy_due_on", "tribunal_notice_due_on", "defence_due_on", "award_due_on")


class ProvisionalDeadlines(BaseModel):
    @computed_field  # type: ignore[prop-decorator]
    @property
    def provisional_deadlines(self) -> list[str]:
        """The clock fields whose date may still move when that year's schedule is entered."""
        return [name for name in CLOCK_FIELDS if is_provisional(getattr(self, name, None))]
