"""LDA Art. 14's 15 days run from the complaint's receipt as the window's clerk recorded it
(carried by intake's routed event), not from the day it was typed in and routed."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from labornet_common.contracts.intake import ComplaintRouted
from labornet_mediation.adapters import repository
from labornet_mediation.service.context import MediationContext
from labornet_mediation.service.handlers import event_handlers
from tests.support.mediation import deliver, fixed_today, mediation_db

CTX = MediationContext(today=fixed_today(date(2026, 10, 9)))
TYPED = datetime(2026, 10, 9, 2, 30, tzinfo=UTC)  # routed when typed in: Friday 2026-10-09, 10:30 in China


@pytest.fixture
async def db(database_url: str):
    async with mediation_db(database_url) as db:
        yield db


def _routed(case_id: str, received_at: datetime | None) -> ComplaintRouted:
    return ComplaintRouted(
        case_id=case_id,
        route="mediation",
        target_division="410311007",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        claims=[{"category": "labor_remuneration", "amount_fen": 100}],  # type: ignore[list-item]
        received_at=received_at,
    )


async def _opened(db, received_at: datetime | None) -> tuple[date, date]:
    case_id = str(uuid.uuid4())
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    settled = await deliver(consumer, _routed(case_id, received_at), case_id=case_id, time=TYPED)
    assert settled.outcome == "applied"
    async with db.uow() as uow:
        case = await repository.load(session=uow.session, case_id=case_id)
    assert case is not None
    return case.received_on, case.due_on


async def test_the_15_days_run_from_the_declared_receipt(db) -> None:
    # Received at the window on Monday 2026-09-28 (10:00 in China), typed in on 2026-10-09:
    # 15 days from 09-28 (start day not counted) end on Tuesday 2026-10-13, a working day after
    # the National Day holiday (10-01..10-07) and the make-up Saturday 10-10.
    received = datetime(2026, 9, 28, 2, 0, tzinfo=UTC)
    assert await _opened(db, received) == (date(2026, 9, 28), date(2026, 10, 13))


async def test_a_late_evening_receipt_counts_on_its_day_in_china(db) -> None:
    # 2026-09-27 17:00 UTC is 2026-09-28 01:00 in China: received on the 28th.
    assert await _opened(db, datetime(2026, 9, 27, 17, 0, tzinfo=UTC)) == (date(2026, 9, 28), date(2026, 10, 13))


async def test_an_event_without_a_receipt_counts_from_its_handover(db) -> None:
    assert await _opened(db, None) == (date(2026, 10, 9), date(2026, 10, 26))
