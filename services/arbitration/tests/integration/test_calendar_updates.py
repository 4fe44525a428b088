"""A holiday schedule entered for 2027 re-counts the open clocks that touch it, once.

LDA Art. 43: an application accepted on Tue 2026-12-22 has 45 days, to Fri 2027-02-05. Before
any 2027 schedule exists the clock is provisional (weekends only); the TEST 2027 schedule (not
the State Council's notice, see labornet_common.testing.calendar_support) puts 02-05..02-12 off,
so the last day rolls past the weekend to Mon 2027-02-15 (民诉法 Art. 85 via Rules Art. 19)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from labornet_arbitration.adapters.calendar_store import holiday_schedules
from labornet_arbitration.adapters.orm import messaging
from labornet_arbitration.api.schemas import ApplicationRead
from labornet_arbitration.domain.tribunal import Seat
from labornet_arbitration.service import admission_commands as admit
from labornet_arbitration.service import proceedings_commands as steps
from labornet_arbitration.service.calendar_updates import recompute
from labornet_common.platform.bus.consumer import EventConsumer
from labornet_common.platform.db import session_factory
from labornet_common.platform.holiday_store import install_stored, schedule_handlers
from labornet_common.platform.live_calendar import live_calendar
from labornet_common.security.auth import Role
from labornet_common.testing.calendar_support import TEST_2027_DAYS, restored_live_calendar, schedule_event
from tests.support.arbitration import record_of, staff

CLERK = staff(Role.clerk, "4103")
ARBITRATOR = staff(Role.arbitrator, "4103", "demo:arbitrator.luoyang")
RECOMPUTED = "cn.labornet.arbitration.deadline.recomputed.v1"
GATEWAY = "/labornet/gateway"


@pytest.fixture(autouse=True)
def _live_calendar_restored():
    with restored_live_calendar():
        yield


def _consumer(db) -> EventConsumer:
    return EventConsumer(
        name="arbitration.calendar",
        topics=[],
        handlers=schedule_handlers(table=holiday_schedules, recompute=recompute),
        session_factory=session_factory(db.engine),
        tables=messaging,
        source="/labornet/arbitration",
    )


async def _accepted(db, ctx, file_application, on: date):
    case = await file_application(received_on=on)
    return await admit.accept(
        uow=db.uow(), ctx=ctx, principal=CLERK, application_id=case.application_id, on=on, today=on
    )


async def _read(db, application_id: str):
    from labornet_arbitration.adapters import repository

    async with db.uow() as uow:
        return await repository.get(session=uow.session, application_id=application_id)


async def test_the_award_clock_is_provisional_then_rolled_past_the_spring_festival_once(
    db, ctx, file_application
) -> None:
    case = await _accepted(db, ctx, file_application, date(2026, 12, 22))
    assert case.award_due_on == date(2027, 2, 5)
    assert "award_due_on" in ApplicationRead.model_validate(case).provisional_deadlines
    consumer = _consumer(db)

    first = record_of(schedule_event(), source=GATEWAY, sequence=1, subject="calendar-2027")
    assert (await consumer.process(**first)).outcome == "applied"
    assert (await consumer.process(**first)).outcome == "duplicate"  # Kafka redelivery
    # A re-sent version 1 (a new event) and a version 2 that changes nothing move nothing.
    resent = record_of(schedule_event(), source=GATEWAY, sequence=2, subject="calendar-2027")
    assert (await consumer.process(**resent)).outcome == "applied"
    same = record_of(schedule_event(version=2), source=GATEWAY, sequence=3, subject="calendar-2027")
    assert (await consumer.process(**same)).outcome == "applied"

    case = await _read(db, case.application_id)
    assert case.award_due_on == date(2027, 2, 15)
    assert ApplicationRead.model_validate(case).provisional_deadlines == []
    (event,) = await db.outbox(RECOMPUTED)
    assert event == {
        **event,
        "case_id": case.case_id,
        "rule": "AWARD_45D",
        "article": "LDA Art 43",
        "previous_due_on": "2027-02-05",
        "due_on": "2027-02-15",
        "provisional": False,
        "calendar_year": 2027,
    }
    assert live_calendar().has_official_data(2027)


async def test_a_correction_moves_the_clock_again_and_a_restart_reloads_the_stored_schedule(
    db, ctx, file_application
) -> None:
    case = await _accepted(db, ctx, file_application, date(2026, 12, 22))
    consumer = _consumer(db)
    await consumer.process(**record_of(schedule_event(), source=GATEWAY, sequence=1, subject="calendar-2027"))
    # Version 2 keeps only 元旦: 02-05 is a working Friday again.
    new_year_only = [d for d in TEST_2027_DAYS if d.festival == "元旦"]
    v2 = record_of(schedule_event(version=2, days=new_year_only), source=GATEWAY, sequence=2, subject="calendar-2027")
    await consumer.process(**v2)
    assert (await _read(db, case.application_id)).award_due_on == date(2027, 2, 5)
    moves = [(e["previous_due_on"], e["due_on"]) for e in await db.outbox(RECOMPUTED)]
    assert moves == [("2027-02-05", "2027-02-15"), ("2027-02-15", "2027-02-05")]
    async with db.engine.connect() as conn:
        assert (await conn.execute(select(holiday_schedules.c.version))).scalars().all() == [2]

    live_calendar().install([])  # a new process: nothing entered in memory
    assert await install_stored(session_factory=session_factory(db.engine), table=holiday_schedules) == 1
    assert live_calendar().is_workday(date(2027, 2, 5)) and not live_calendar().is_workday(date(2027, 1, 1))


async def test_closed_cases_and_clocks_in_other_years_are_left_alone(db, ctx, file_application) -> None:
    early = await _accepted(db, ctx, file_application, date(2026, 11, 2))  # award due in 2026
    consumer = _consumer(db)
    await consumer.process(**record_of(schedule_event(), source=GATEWAY, sequence=1, subject="calendar-2027"))
    assert (await _read(db, early.application_id)).award_due_on == early.award_due_on
    assert await db.outbox(RECOMPUTED) == []


async def _served(db, ctx, file_application, *, items, issued: date, served: date):
    case = await _accepted(db, ctx, file_application, date(2026, 11, 2))

    async def run(step):
        return await steps.run(uow=db.uow(), principal=ARBITRATOR, application_id=case.application_id, step=step)

    seats = [Seat("arbr-4103-01", "sole")]
    await run(steps.tribunal(ctx, mode="sole", seats=seats, complex_case=False, on=date(2026, 11, 2)))
    await run(steps.award(ctx, kind="award", items=items, on=issued, today=issued))
    return await run(steps.award_service(ctx, on=served, today=served))


async def test_the_suit_period_of_a_non_final_award_rolls_past_new_year(db, ctx, file_application) -> None:
    # LDA Art. 50: served Thu 2026-12-17, day 15 is Fri 2027-01-01 (元旦 in the test schedule) -> Mon 01-04.
    items = [{"category": "damages", "amount_fen": 5_000_000, "description": "赔偿金"}]  # above the cap: non-final
    case = await _served(db, ctx, file_application, items=items, issued=date(2026, 12, 10), served=date(2026, 12, 17))
    assert case.status == "AWARDED" and case.award["suit_due_on"] == "2027-01-01"
    assert "award.suit_due_on" in ApplicationRead.model_validate(case).provisional_deadlines
    await _consumer(db).process(**record_of(schedule_event(), source=GATEWAY, sequence=1, subject="calendar-2027"))
    case = await _read(db, case.application_id)
    assert case.award["suit_due_on"] == "2027-01-04"
    assert ApplicationRead.model_validate(case).provisional_deadlines == []
    (event,) = await db.outbox(RECOMPUTED)
    assert (event["rule"], event["article"], event["due_on"]) == ("NONFINAL_SUIT_15D", "LDA Art 50", "2027-01-04")


async def test_the_set_aside_period_of_a_final_award_rolls_past_the_spring_festival(db, ctx, file_application) -> None:
    # LDA Art. 49: served Wed 2027-01-06, day 30 is Fri 02-05 (春节 02-05..02-12 in the test schedule)
    # -> Mon 02-15; the worker's 15 days (Art. 48) end Thu 01-21 either way.
    items = [{"category": "labor_remuneration", "amount_fen": 1_860_000, "description": "拖欠工资"}]
    case = await _served(db, ctx, file_application, items=items, issued=date(2026, 12, 30), served=date(2027, 1, 6))
    assert case.status == "EFFECTIVE"
    assert (case.award["suit_due_on"], case.award["set_aside_due_on"]) == ("2027-01-21", "2027-02-05")
    await _consumer(db).process(**record_of(schedule_event(), source=GATEWAY, sequence=1, subject="calendar-2027"))
    case = await _read(db, case.application_id)
    assert (case.award["suit_due_on"], case.award["set_aside_due_on"]) == ("2027-01-21", "2027-02-15")
    # Each party's own dates are counted again too (both served 01-06 here).
    assert case.award["service"]["employer"]["set_aside_due_on"] == "2027-02-15"
    assert case.award["service"]["worker"]["suit_due_on"] == "2027-01-21"
    assert [(e["rule"], e["due_on"]) for e in await db.outbox(RECOMPUTED)] == [("SET_ASIDE_30D", "2027-02-15")]
