"""Dependency aliases of the mediation API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from labornet_mediation.service.context import MediationContext


def _context(request: Request) -> MediationContext:
    context: MediationContext = request.app.state.runtime.context
    return context


ContextDep = Annotated[MediationContext, Depends(_context)]
