"""GCRA, the shared store's rate limit: the same limits as the in-memory token bucket."""

import pytest

from labornet_gateway.domain.ratelimit import RateLimiter, gcra


def _run(times: list[float], *, per_minute: float, burst: int) -> list[int | None]:
    tat, answers = None, []
    for now in times:
        tat, wait = gcra(tat=tat, now=now, per_minute=per_minute, burst=burst)
        answers.append(wait)
    return answers


def test_a_burst_passes_then_the_next_request_waits_one_interval() -> None:
    # 6 per minute: one every 10 s after a burst of 3.
    assert _run([0, 0, 0, 0], per_minute=6, burst=3) == [None, None, None, 10]


def test_a_refused_request_does_not_use_up_the_allowance() -> None:
    assert _run([0, 0, 0, 0, 0, 10], per_minute=6, burst=3) == [None, None, None, 10, 10, None]


def test_an_idle_client_gets_its_whole_burst_back() -> None:
    assert _run([0, 0, 0, 1000, 1000, 1000, 1000], per_minute=6, burst=3) == [None] * 3 + [None] * 3 + [10]


def test_waits_are_whole_seconds_of_at_least_one() -> None:
    assert _run([0, 0, 59.5], per_minute=1, burst=1) == [None, 60, 1]


# Rates whose per-second refill is exact in binary, so the bucket's float sums do not round.
@pytest.mark.parametrize("per_minute, burst", [(60, 3), (30, 10), (15, 1)])
def test_allows_exactly_what_the_token_bucket_allows(per_minute: float, burst: int) -> None:
    times = [t * 0.25 for t in range(800)]
    clock = iter(times)
    bucket = RateLimiter(per_minute=per_minute, burst=burst, clock=lambda: next(clock))
    by_bucket = [bucket.retry_after("c") is None for _ in times]
    assert [w is None for w in _run(times, per_minute=per_minute, burst=burst)] == by_bucket


def test_nonsense_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        gcra(tat=None, now=0, per_minute=0, burst=1)


async def test_the_prune_is_a_platform_job_that_prunes_the_shared_limiters_only() -> None:
    # The platform's job loop runs it every rate_limit_prune_interval_s (its failed runs are
    # logged and retried on time: test_runtime_spec); a pass prunes each shared store.
    from labornet_gateway.adapters.ratelimit_store import SharedRateLimiter
    from labornet_gateway.api.limits import _InMemory, prune_shared
    from labornet_gateway.config import GatewaySettings
    from labornet_gateway.main import SPEC

    class Shared(SharedRateLimiter):
        def __init__(self, name: str, rows: int) -> None:
            self.name, self.rows = name, rows

        async def prune(self) -> int:
            return self.rows

    (job,) = [j for j in SPEC.jobs if j.name == "rate-limit-prune"]
    assert job.interval_s(GatewaySettings(rate_limit_prune_interval_s=42)) == 42
    memory = _InMemory(RateLimiter(per_minute=1, burst=1))
    assert await prune_shared({"sign_in": Shared("sign_in", 3), "anonymous_filing": Shared("f", 2), "m": memory}) == 5

    class Down(Shared):
        async def prune(self) -> int:
            raise OSError("connection refused")

    with pytest.raises(OSError):  # the loop logs the failed run; nothing is swallowed here
        await prune_shared({"sign_in": Down("sign_in", 0)})
