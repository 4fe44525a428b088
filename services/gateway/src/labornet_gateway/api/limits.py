"""Rate limits per client address (anonymous filing, sign-in attempts); 429 when exceeded."""

from __future__ import annotations

from fastapi import Request

from labornet_common.errors import Problem
from labornet_gateway.config import GatewaySettings
from labornet_gateway.domain.ratelimit import RateLimiter


def build_limiters(settings: GatewaySettings) -> dict[str, RateLimiter]:
    return {
        "anonymous_filing": RateLimiter(
            per_minute=settings.anonymous_filing_per_minute, burst=settings.anonymous_filing_burst
        ),
        "sign_in": RateLimiter(per_minute=settings.sign_in_per_minute, burst=settings.sign_in_burst),
    }


def enforce(request: Request, name: str) -> None:
    limiter: RateLimiter = request.app.state.runtime.extras["limits"][name]
    wait = limiter.retry_after(request.state.client_ip)
    if wait is not None:
        raise Problem(429, "rate_limited", headers={"Retry-After": str(wait)})
