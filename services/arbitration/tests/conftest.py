"""Fixtures of the arbitration tests: a migrated database and a way to file applications."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from labornet_arbitration.config import ArbitrationSettings
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.service.context import ArbitrationContext
from labornet_arbitration.service.intake_commands import NewApplication, receive
from labornet_common.contracts.claims import ClaimSummary
from tests.support.arbitration import ArbitrationDb, arbitration_db


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[ArbitrationDb]:
    async with arbitration_db(database_url) as handle:
        yield handle


@pytest.fixture
def ctx() -> ArbitrationContext:
    return ArbitrationContext.from_settings(ArbitrationSettings(environment="test"))


@pytest.fixture
def file_application(db: ArbitrationDb, ctx: ArbitrationContext) -> Callable[..., Awaitable[ArbitrationCase]]:
    async def make(**overrides: Any) -> ArbitrationCase:
        values: dict[str, Any] = {
            "case_id": str(uuid.uuid4()),
            "source": "direct",
            "source_key": f"direct:{uuid.uuid4()}",
            "division_code": "410311",
            "commission_id": "arb-4103",
            "received_on": date(2026, 9, 28),
            "worker_name": "王师傅",
            "employer_name": "洛阳某建筑工程有限公司",
            "claims": [ClaimSummary(category="labor_remuneration", amount_fen=1_860_000)],
        }
        case, _created = await receive(uow=db.uow(), ctx=ctx, new=NewApplication(**{**values, **overrides}))
        return case

    return make
