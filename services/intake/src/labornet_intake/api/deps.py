"""Dependency aliases of the intake API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from labornet_common.platform.app import RuntimeDep
from labornet_intake.service.context import IntakeContext


async def get_rules(runtime: RuntimeDep) -> IntakeContext:  # a coroutine: no thread-pool hop
    context: IntakeContext = runtime.context
    return context


RulesDep = Annotated[IntakeContext, Depends(get_rules)]
