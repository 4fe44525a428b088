"""The pace of a periodic check that matters while work flows and matters little when none does.

A relay's and a consumer's broker checks (is this still the broker we published to, does it
still hold our logs), and a consumer's lag report, run every ``base_s`` while events move. When
nothing moves, each check that finds nothing doubles the wait before the next, up to ``max_s``:
an idle process asks the broker once every few seconds instead of every second, and the first
sign of work (a batch published, records fetched) brings the checks back to ``base_s``, the
next one due within ``base_s``.
"""

from __future__ import annotations

import time


class IdlePace:
    def __init__(self, base_s: float, max_s: float | None = None) -> None:
        self.base_s = base_s
        self.max_s = max(base_s, max_s if max_s is not None else base_s)
        self.period_s = base_s  # the wait the last due check scheduled
        self._following_s = base_s  # the wait the next due check schedules
        self.next_at = 0.0  # monotonic time the next check is due; 0: at once

    @property
    def forced(self) -> bool:
        """The next check was asked for now (``force``), not merely come due."""
        return self.next_at == 0.0

    def due(self, now: float | None = None) -> bool:
        """True when a check is due, and then the next one is scheduled; each due check lengthens
        the wait after it (doubling, up to ``max_s``) until ``busy`` resets it."""
        now = time.monotonic() if now is None else now
        if now < self.next_at:
            return False
        self.period_s = self._following_s
        self.next_at = now + self.period_s
        self._following_s = min(self._following_s * 2, self.max_s)
        return True

    def busy(self, now: float | None = None) -> None:
        """Work was seen: checks return to every ``base_s``, the next due within ``base_s``."""
        now = time.monotonic() if now is None else now
        self._following_s = self.base_s
        self.next_at = min(self.next_at, now + self.base_s)

    def force(self) -> None:
        """The next check is due at once (after a failure, or until a check has answered)."""
        self.next_at = 0.0

    def defer(self, now: float | None = None) -> None:
        """The next check is one period from now (after a check that took a while answered)."""
        self.next_at = (time.monotonic() if now is None else now) + self.period_s

    def remaining(self, now: float | None = None) -> float:
        """Seconds until the next check is due (0 when it is due)."""
        return max(0.0, self.next_at - (time.monotonic() if now is None else now))
