"""Dependency aliases of the mediation API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from labornet_mediation.service.context import MediationContext


def _context(request: Request) -> MediationContext:
    return request.app.state.runtime.extras["mediation"]


ContextDep = Annotated[MediationContext, Depends(_context)]
