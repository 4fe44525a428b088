"""Wiring of authentication, rate limits and the audit trail into the gateway (see main.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from labornet_common.platform.runtime import Runtime
from labornet_gateway.adapters import ratelimit_store as _ratelimit_store  # noqa: F401  (registers the table)
from labornet_gateway.service.context import gateway_context


def routers() -> list[Any]:
    from labornet_gateway.api import audit, auth

    return [auth.router, audit.router]


def configure_app(app: FastAPI) -> None:
    from labornet_gateway.api import audit_recorder
    from labornet_gateway.api.middleware import GatewaySecurityMiddleware

    app.add_middleware(GatewaySecurityMiddleware)
    # The audit recorder wraps the whole stack, error handling included (the platform adds
    # its own middleware after this hook): no answer leaves without its journal entry.
    audit_recorder.install(app)
    _with_audit_journal(app)


def _with_audit_journal(app: FastAPI) -> None:
    """A process that answers requests opens the audit journal once started (after the runtime's
    own startup), so a worker process, which answers none, needs no writable data dir."""
    started = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(current: FastAPI) -> AsyncIterator[Any]:
        async with started(current) as state:
            await _start_audit(current.state.runtime)
            yield state

    app.router.lifespan_context = lifespan


async def _start_audit(runtime: Runtime[Any]) -> None:
    """The local audit journal (held for the process's life) and the sequencer draining it."""
    from labornet_gateway.adapters.audit_journal import AuditJournal
    from labornet_gateway.service.audit_sequencer import AuditSequencer

    journal = AuditJournal(runtime.settings.data_dir / "audit")
    await asyncio.to_thread(journal.open)
    sequencer = AuditSequencer(journal=journal, uow_factory=runtime.uow)
    context = gateway_context(runtime)
    context.audit_journal, context.audit_sequencer = journal, sequencer
    runtime.tasks.append(asyncio.create_task(sequencer.run(runtime.stop), name="audit-sequencer"))
