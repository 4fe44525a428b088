"""Rate limits per client: token buckets in process memory, or GCRA state in a shared store.

In memory, each gateway replica keeps its own buckets, so N replicas allow up to N times the
configured rate from one client (memory is bounded: the least recently seen clients are
forgotten first). The shared store (``adapters/ratelimit_store.py``) keeps one GCRA number per
client in the gateway's database, so the limit holds across replicas.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class TokenBucket:
    capacity: float
    refill_per_s: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """Take one token; 0.0 when allowed, else the seconds until one is available."""
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.refill_per_s)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.refill_per_s


class RateLimiter:
    def __init__(
        self,
        *,
        per_minute: float,
        burst: int,
        max_clients: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("a rate limit needs a positive rate and a burst of at least 1")
        self.refill_per_s = per_minute / 60.0
        self.burst = burst
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def retry_after(self, client: str) -> int | None:
        """None when the request may proceed, else whole seconds to wait (for Retry-After)."""
        now = self._clock()
        bucket = self._buckets.pop(client, None) or TokenBucket(
            capacity=self.burst, refill_per_s=self.refill_per_s, tokens=self.burst, updated=now
        )
        self._buckets[client] = bucket  # most recently seen last
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        wait = bucket.take(now)
        return None if wait == 0.0 else max(1, math.ceil(wait))


def gcra(*, tat: float | None, now: float, per_minute: float, burst: int) -> tuple[float, int | None]:
    """Generic cell rate algorithm, for a limiter whose state is one number per client kept in
    a shared store: the theoretical arrival time (TAT) of the next request.

    Returns the new TAT and None when the request may proceed, or the unchanged TAT and the
    whole seconds to wait. Same limits as ``TokenBucket``: ``burst`` at once, then
    ``per_minute`` spread evenly.
    """
    if per_minute <= 0 or burst < 1:
        raise ValueError("a rate limit needs a positive rate and a burst of at least 1")
    interval = 60.0 / per_minute
    base = now if tat is None or tat < now else tat
    new_tat = base + interval
    allowed_at = new_tat - burst * interval
    if allowed_at > now:
        return (tat if tat is not None else now), max(1, math.ceil(allowed_at - now))
    return new_tat, None
