"""The published retry schedule for outgoing webhooks (pure).

Attempt 1 is immediate; later attempts wait 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and
24 h: ten attempts over about 3 days (75.6 h). Each wait is jittered by ±20 % so that a
receiver coming back up is not hit by every queued delivery in the same second.
"""

from __future__ import annotations

import random
from datetime import timedelta

RETRY_DELAYS_S: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
MAX_ATTEMPTS = len(RETRY_DELAYS_S) + 1
JITTER = 0.2


def next_delay(attempts_made: int, *, rng: random.Random | None = None) -> timedelta | None:
    """Wait before the next attempt after ``attempts_made`` failures; None when exhausted."""
    if attempts_made < 1 or attempts_made >= MAX_ATTEMPTS:
        return None
    base = RETRY_DELAYS_S[attempts_made - 1]
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)
    return timedelta(seconds=base * factor)


def total_span() -> timedelta:
    return timedelta(seconds=sum(RETRY_DELAYS_S))
