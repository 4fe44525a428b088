"""Rate limits per client address (anonymous filing, sign-in attempts); 429 when exceeded."""

from __future__ import annotations

import logging

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from labornet_common.platform.errors import Problem
from labornet_gateway.adapters.ratelimit_store import SharedRateLimiter
from labornet_gateway.config import GatewaySettings
from labornet_gateway.domain.ratelimit import RateLimiter
from labornet_gateway.service.context import Limiter, gateway_context

log = logging.getLogger(__name__)


class _InMemory:
    def __init__(self, limiter: RateLimiter) -> None:
        self._limiter = limiter

    async def retry_after(self, client: str) -> int | None:
        return self._limiter.retry_after(client)


def build_limiters(settings: GatewaySettings, sessions: async_sessionmaker[AsyncSession]) -> dict[str, Limiter]:
    limits = {
        "anonymous_filing": (settings.anonymous_filing_per_minute, settings.anonymous_filing_burst),
        "sign_in": (settings.sign_in_per_minute, settings.sign_in_burst),
    }
    if settings.rate_limit_store == "memory":
        return {name: _InMemory(RateLimiter(per_minute=rate, burst=burst)) for name, (rate, burst) in limits.items()}
    return {
        name: SharedRateLimiter(sessions, name=name, per_minute=rate, burst=burst)
        for name, (rate, burst) in limits.items()
    }


async def prune_shared(limiters: dict[str, Limiter]) -> int:
    """One pass of the gateway's ``rate-limit-prune`` job (main.JOBS, every
    ``rate_limit_prune_interval_s``): delete the shared store's rows of clients with nothing left
    to forgive; the rows deleted. In-memory limiters forget by themselves. A failed pass (the
    database away) raises; the platform's job loop logs it and runs the next pass on time."""
    pruned = 0
    for limiter in limiters.values():
        if isinstance(limiter, SharedRateLimiter):
            rows = await limiter.prune()
            if rows:
                log.info("rate-limit prune: %d rows of %s forgotten", rows, limiter.name)
            pruned += rows
    return pruned


async def enforce(request: Request, name: str) -> None:
    limiter = gateway_context(request.app.state.runtime).limits[name]
    wait = await limiter.retry_after(request.state.client_ip)
    if wait is not None:
        raise Problem(429, "rate_limited", headers={"Retry-After": str(wait)})
