"""A holiday schedule entered for 2027 re-counts the running 15-day clocks (LDA Art. 14) once.

Received Thu 2026-12-17, day 15 is Fri 2027-01-01. With no 2027 schedule that is a weekday, so
the clock ends there, provisionally. The TEST 2027 schedule (not the State Council's notice, see
labornet_common.testing.calendar_support) puts 01-01..01-03 off, so the last day rolls to Mon
2027-01-04 (民诉法 Art. 85). A make-up Sunday works the other way: received Sat 2027-01-16, day
15 is Sun 01-31, which the schedule makes a working day, so the clock ends on it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from labornet_common.contracts.intake import ComplaintRouted
from labornet_common.platform.holiday_store import schedule_handlers
from labornet_common.platform.live_calendar import live_calendar
from labornet_common.testing.calendar_support import restored_live_calendar, schedule_event
from labornet_mediation.adapters.calendar_store import holiday_schedules
from labornet_mediation.api.schemas import MediationCaseDetail
from labornet_mediation.service import queries
from labornet_mediation.service.calendar_updates import recompute
from labornet_mediation.service.context import MediationContext
from labornet_mediation.service.handlers import event_handlers
from tests.support.mediation import LUOYANG_MEDIATOR, deliver, fixed_today, mediation_db

RECOMPUTED = "cn.labornet.mediation.deadline.recomputed.v1"
GATEWAY = "/labornet/gateway"


@pytest.fixture
async def db(database_url: str):
    with restored_live_calendar():
        async with mediation_db(database_url) as db:
            yield db


def _ctx(today: date) -> MediationContext:
    return MediationContext(calendar=live_calendar(), today=fixed_today(today))


async def _received(db, on: datetime) -> str:
    case_id = str(uuid.uuid4())
    routed = ComplaintRouted(
        case_id=case_id,
        route="mediation",
        target_division="410311007",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        facts="工资未发放",
        claims=[{"category": "labor_remuneration", "amount_fen": 1860000}],  # type: ignore[list-item]
    )
    consumer = db.consumer("mediation.intake", event_handlers(_ctx(on.date())))
    assert (await deliver(consumer, routed, case_id=case_id, time=on)).outcome == "applied"
    return case_id


async def _clock(db, case_id: str) -> tuple[date, bool, list[str]]:
    found = await queries.get_case(
        uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=case_id, ctx=_ctx(date(2026, 12, 20))
    )
    read = MediationCaseDetail.model_validate(found)
    assert read.clock is not None
    return read.clock.due_on, read.clock.provisional, read.history_zh


async def _enter_2027(db, sequence: int = 1, version: int = 1):
    consumer = db.consumer("mediation.calendar", schedule_handlers(table=holiday_schedules, recompute=recompute))
    return await deliver(
        consumer, schedule_event(version=version), case_id="calendar-2027", sequence=sequence, source=GATEWAY
    )


async def test_the_15_day_clock_is_provisional_then_rolled_past_new_year_once(db) -> None:
    case_id = await _received(db, datetime(2026, 12, 17, 2, 0, tzinfo=UTC))
    assert (await _clock(db, case_id))[:2] == (date(2027, 1, 1), True)

    assert (await _enter_2027(db)).outcome == "applied"
    assert (await _enter_2027(db, sequence=2)).outcome == "applied"  # re-sent: changes nothing
    due, provisional, history = await _clock(db, case_id)
    assert (due, provisional) == (date(2027, 1, 4), False)
    assert history[-1] == "2027年国务院节假日安排已录入，调解期限重新计算为2027-01-04（原为2027-01-01）"
    (event,) = await db.events(case_id, RECOMPUTED)
    assert event == {
        **event,
        "previous_due_on": "2027-01-01",
        "due_on": "2027-01-04",
        "provisional": False,
        "rule": "MEDIATION_15D",
        "article": "LDA Art 14",
        "calendar_year": 2027,
    }


async def test_a_make_up_sunday_ends_the_clock_on_it(db) -> None:
    case_id = await _received(db, datetime(2027, 1, 16, 2, 0, tzinfo=UTC))
    assert (await _clock(db, case_id))[:2] == (date(2027, 2, 1), True)  # Sun 01-31 rolled, weekends only
    await _enter_2027(db)
    assert (await _clock(db, case_id))[:2] == (date(2027, 1, 31), False)  # 调休上班: a working day
