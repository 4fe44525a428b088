"""The filing checks that need several fields or today's date are the domain's, run by the
filing command: a caller in the same process (the console, a test, a handler) is refused with
the same 422 as the API, and nothing is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from labornet_common.contracts.events import utcnow
from labornet_common.contracts.intake import ClaimSummary
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.problems import InvalidInput
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal, Role
from labornet_common.security.pii import cipher_from_settings
from labornet_intake.adapters.orm import complaints, messaging
from labornet_intake.config import IntakeSettings
from labornet_intake.main import SPEC
from labornet_intake.service import commands

CIPHER = cipher_from_settings(IntakeSettings(environment="test"))
CLERK = Principal(subject="clerk@4103", roles=frozenset({Role.clerk}), region_scopes=("4103",))
POLICE = commands.FileComplaint(
    channel="police_110",
    workplace_division="410311",
    worker_name="张三",
    employer_name="某公司",
    facts="派出所转来：拖欠工资",
    claims=[ClaimSummary(category="labor_remuneration", amount_fen=500_000)],
)


@pytest.fixture
async def db(database_url: str):
    engine = create_engine(database_url)
    await upgrade_to_head(engine, SPEC.migrations_dir)
    factory = session_factory(engine)
    yield engine, lambda: UnitOfWork(factory, messaging, source="/labornet/intake")
    await engine.dispose()


async def test_a_filing_breaking_cross_field_rules_is_refused_naming_each_field(db) -> None:
    engine, uow = db
    tomorrow = (utcnow() + timedelta(days=2)).date()
    cmd = replace(
        POLICE,
        claims=[ClaimSummary(category="labor_remuneration", period_from=tomorrow)],
        employment_ended_on=tomorrow,
    )
    with pytest.raises(InvalidInput) as refused:
        await commands.file_complaint(uow=uow(), cmd=cmd, principal=CLERK, cipher=CIPHER)
    assert refused.value.status == 422 and refused.value.code == "validation"
    assert refused.value.errors == (
        ("police_incident_number", "filing.police_incident_required"),
        ("claims.0.period_from", "claim.period_future"),
        ("employment_ended_on", "date.future"),
    )
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(complaints)) == 0


async def test_the_same_filing_with_its_incident_number_is_stored(db) -> None:
    engine, uow = db
    filed = await commands.file_complaint(
        uow=uow(), cmd=replace(POLICE, police_incident_number="110-2026-0001"), principal=CLERK, cipher=CIPHER
    )
    assert filed.status_code == 201
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(complaints)) == 1
