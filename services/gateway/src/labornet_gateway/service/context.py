"""The gateway's context: its clients and keys, built once per process by main.py and read as
``runtime.context`` (``gateway_context(runtime)`` types it)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from labornet_common.security.crypto import PiiCipher
from labornet_gateway.config import GatewaySettings

if TYPE_CHECKING:
    from labornet_common.platform.runtime import Runtime
    from labornet_gateway.adapters.audit_journal import AuditJournal
    from labornet_gateway.service.audit_sequencer import AuditSequencer
    from labornet_gateway.service.identity import Identity


class Limiter(Protocol):
    """A rate limiter: seconds to wait before ``client`` may go on, or None (api/limits.py)."""

    async def retry_after(self, client: str) -> int | None: ...


@dataclass
class GatewayContext:
    settings: GatewaySettings
    http: httpx.AsyncClient  # to the services behind the gateway (pooled, short keep-alive)
    webhook_http: httpx.AsyncClient  # webhook deliveries: no redirects, no proxy from the env
    cipher: PiiCipher  # webhook secrets at rest
    identity: Identity  # tokens: issuing, verifying, the external identity provider's keys
    limits: dict[str, Limiter]  # the rate limiters by name (anonymous filing, sign-in)
    # Opened by a process that answers requests (security.py), not by a worker.
    audit_journal: AuditJournal | None = None
    audit_sequencer: AuditSequencer | None = None
    audit_unjournaled: int = 0  # answers refused because the journal refused their entry
    openapi_cache: tuple[float, dict[str, Any]] | None = None  # (monotonic time, merged document)
    report_rebuilds: set[asyncio.Task[Any]] = field(default_factory=set)  # running read-model rebuilds


def gateway_context(runtime: Runtime[Any]) -> GatewayContext:
    """The gateway's context from the runtime the platform built with it."""
    context = runtime.context
    if not isinstance(context, GatewayContext):
        raise TypeError(f"the gateway runs with a GatewayContext, not {type(context).__name__}")
    return context
