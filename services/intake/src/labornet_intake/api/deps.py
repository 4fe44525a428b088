"""Dependency aliases of the intake API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from labornet_common.app import RuntimeDep
from labornet_intake.service.rules import IntakeRules


def get_rules(runtime: RuntimeDep) -> IntakeRules:
    return runtime.extras["rules"]


RulesDep = Annotated[IntakeRules, Depends(get_rules)]
