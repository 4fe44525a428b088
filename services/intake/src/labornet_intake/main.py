"""Intake service: wiring only (see labornet_common.app.build_app)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import FastAPI

from labornet_common.app import build_app
from labornet_common.bus.consumer import EventConsumer
from labornet_common.bus.topics import ARBITRATION, COURT, INTAKE, MEDIATION
from labornet_common.pii import cipher_from_settings
from labornet_common.runtime import Runtime, ServiceSpec, event_consumer
from labornet_intake.adapters.orm import messaging, metadata
from labornet_intake.config import IntakeSettings


def _routers() -> list:
    import labornet_intake.messages  # noqa: F401 - registers intake's message codes
    from labornet_intake.api import internal, joint, router, tracking

    # The joint-acceptance paths first: /complaints/joint-acceptance is not a case id.
    return [joint.router, router.router, tracking.router, internal.router]


def _rules(runtime: Runtime):
    from labornet_intake.service.rules import IntakeRules

    settings = runtime.settings
    assert isinstance(settings, IntakeSettings)
    return IntakeRules(joint_answer_working_days=settings.joint_answer_working_days)


async def _startup(runtime: Runtime) -> None:
    from labornet_intake.service.queries import warm_up

    runtime.extras["rules"] = _rules(runtime)
    # The decoy hash for unknown tracking numbers, made before the first sign-in needs it.
    await asyncio.to_thread(warm_up)


def _consumers(runtime: Runtime) -> list[EventConsumer]:
    from labornet_intake.service import joint, tracking

    cipher = cipher_from_settings(runtime.settings)
    rules = runtime.extras.get("rules") or _rules(runtime)
    return [
        # The joint-acceptance saga runs over intake's own topic.
        event_consumer(runtime, name="intake.joint", topics=[INTAKE], handlers=joint.handlers(rules, cipher)),
        # Later services' events become lines on the worker's status page.
        event_consumer(runtime, name="intake.tracking", topics=[MEDIATION, ARBITRATION, COURT],
                       handlers=tracking.HANDLERS),
    ]


SPEC = ServiceSpec(
    name="intake",
    title="LaborNet intake 一窗受理",
    settings_cls=IntakeSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8001,
    routers=_routers,
    consumers=_consumers,
    on_startup=_startup,
)


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or IntakeSettings())
