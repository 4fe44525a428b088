"""A NUL character anywhere in a filing is a 422 naming the field (on PostgreSQL it would fail
the insert), and nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from labornet_common.platform.db import create_engine
from labornet_common.testing.intake_support import complaint_body
from labornet_intake.adapters.orm import complaints

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _stored(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(select(func.count()).select_from(complaints))).scalar_one()
    finally:
        await engine.dispose()


async def test_a_nul_in_the_facts_or_a_claim_is_refused_and_nothing_is_stored(intake) -> None:
    before = await _stored(intake.database_url)
    async with intake.client() as client:
        facts = await client.post("/api/v1/complaints", json=complaint_body(facts="拖欠\u0000工资"))
        claim = await client.post(
            "/api/v1/complaints",
            json=complaint_body(claims=[{"category": "labor_remuneration", "description": "\u0000"}]),
        )
        query = await client.get("/api/v1/tracking/x", params={"q": "\x00"})
    assert facts.status_code == 422 and facts.json()["errors"][0]["field"] == "facts"
    assert claim.status_code == 422 and claim.json()["errors"][0]["field"] == "claims.0.description"
    assert query.status_code == 422 and query.json()["errors"][0]["field"] == "q"
    assert await _stored(intake.database_url) == before
