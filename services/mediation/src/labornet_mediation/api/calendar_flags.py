"""Whether the mediation clock is provisional: its last day lies in a year without an official
holiday schedule (shipped or entered), so a holiday there could still move it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, computed_field

from labornet_common.platform.live_calendar import is_provisional


class ProvisionalDue(BaseModel):
    due_on: date

    @computed_field  # type: ignore[prop-decorator]
    @property
    def provisional(self) -> bool:
        """True until the State Council's schedule for the last day's year is entered."""
        return is_provisional(self.due_on)
