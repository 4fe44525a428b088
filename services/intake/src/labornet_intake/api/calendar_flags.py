"""Whether the joint-acceptance answer date is provisional: it counts working days (the
regional pact) into a year without an official holiday schedule, so a holiday there could
still move it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, computed_field

from labornet_common.platform.live_calendar import is_provisional


class ProvisionalAnswerDue(BaseModel):
    answer_due_on: date | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def answer_due_provisional(self) -> bool:
        """True until the State Council's schedule for the answer date's year is entered."""
        return is_provisional(self.answer_due_on)
