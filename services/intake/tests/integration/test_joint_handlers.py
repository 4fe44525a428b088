"""The saga's handlers guard their own state: the same forwarding or answer under a new event
id (a re-sent forwarding, not a broker redelivery, which the inbox drops) changes nothing twice."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from labornet_common.contracts.events import Envelope
from labornet_common.contracts.intake import ClaimSummary, JointAcceptanceAnswered, JointAcceptanceRequested
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal, Role
from labornet_common.security.pii import cipher_from_settings
from labornet_intake.adapters.orm import joint_forwards, messaging
from labornet_intake.config import IntakeSettings
from labornet_intake.main import SPEC
from labornet_intake.service import commands, joint
from labornet_intake.service.context import IntakeContext

CIPHER = cipher_from_settings(IntakeSettings(environment="test"))
RULES = IntakeContext()
GULOU = Principal(subject="clerk-gulou", roles=frozenset({Role.clerk}), region_scopes=("350102",))


@pytest.fixture
async def uow_factory(database_url: str):
    engine = create_engine(database_url)
    await upgrade_to_head(engine, SPEC.migrations_dir)
    factory = session_factory(engine)
    yield lambda: UnitOfWork(factory, messaging, source="/labornet/intake")
    await engine.dispose()


def _envelope(data) -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        type=data.event_type,
        source="/labornet/intake",
        subject=data.case_id,
        data=data.model_dump(mode="json"),
        sequence=1,
    )


async def _apply(uow_factory, handler, data) -> None:
    async with uow_factory() as uow:
        await handler(uow, _envelope(data), data)
        await uow.commit()


async def test_a_resent_forwarding_and_a_resent_answer_apply_once(uow_factory) -> None:
    cmd = commands.FileComplaint(
        channel="window",
        workplace_division="410311",
        worker_name="张三",
        employer_name="某公司",
        facts="",
        claims=[ClaimSummary(category="labor_remuneration")],
        joint_acceptance=True,
    )
    filed = await commands.file_complaint(uow=uow_factory(), cmd=cmd, principal=GULOU, cipher=CIPHER, rules=RULES)
    case_id = filed.body["case_id"]
    forward_id = filed.body["joint_acceptance"]["forward_id"]
    requested = JointAcceptanceRequested(
        case_id=case_id,
        forward_id=forward_id,
        accepting_region="350102",
        region_code="410311",
        tracking_number=filed.body["tracking_number"],
        requested_on=date(2026, 11, 21),
    )
    for _ in range(2):
        await _apply(uow_factory, joint.on_requested, requested)
    answered = JointAcceptanceAnswered(
        case_id=case_id,
        forward_id=forward_id,
        decision="accepted",
        region_code="410311",
        accepting_region="350102",
    )
    on_answered = joint.answered_handler(RULES, CIPHER)
    for _ in range(2):
        await _apply(uow_factory, on_answered, answered)
    async with uow_factory() as uow:
        forwards = await uow.session.scalar(select(func.count()).select_from(joint_forwards))
        routed = await uow.session.scalar(
            select(func.count())
            .select_from(messaging.outbox)
            .where(messaging.outbox.c.event_type == "cn.labornet.intake.complaint.routed.v1")
        )
    assert (forwards, routed) == (1, 1)


def test_the_answer_window_is_counted_in_working_days_across_national_day() -> None:
    # Regional pact (no national figure): 10 working days from Monday 2026-09-28 skip the
    # 10-01..10-07 holiday and count the make-up Saturday 10-10, ending Friday 2026-10-16.
    assert RULES.answer_due_on(date(2026, 9, 28)) == date(2026, 10, 16)
    assert IntakeContext(joint_answer_working_days=5).answer_due_on(date(2026, 9, 28)) == date(2026, 10, 10)
