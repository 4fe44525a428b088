"""Dependency aliases of the arbitration API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from labornet_arbitration.service.context import ArbitrationContext
from labornet_common.platform.app import RuntimeDep


def get_context(runtime: RuntimeDep) -> ArbitrationContext:
    context: ArbitrationContext = runtime.context
    return context


ContextDep = Annotated[ArbitrationContext, Depends(get_context)]
