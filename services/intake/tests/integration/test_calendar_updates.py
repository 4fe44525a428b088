"""The joint-acceptance answer date (a regional pact: 10 working days, as 川渝 2020) is counted
again once the year's holiday schedule is entered, for forwards still waiting for an answer.

Requested Thu 2027-01-28. Weekdays only (no 2027 schedule): 01-29, 02-01..02-05, 02-08..02-11 ->
Thu 02-11, provisional. With the TEST 2027 schedule (not the State Council's notice): 01-29, the
make-up Sunday 01-31, 02-01..02-04, then 春节 02-05..02-12 off, 02-15..02-18 -> Thu 02-18."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from labornet_common.platform.bus.consumer import EventConsumer
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.holiday_store import schedule_handlers
from labornet_common.platform.live_calendar import live_calendar
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.uow import UnitOfWork
from labornet_common.testing.calendar_support import restored_live_calendar, schedule_event
from labornet_intake.adapters import records
from labornet_intake.adapters.calendar_store import holiday_schedules
from labornet_intake.adapters.orm import joint_forwards, messaging, timeline
from labornet_intake.main import SPEC
from labornet_intake.service.calendar_updates import recompute_for
from labornet_intake.service.context import IntakeContext
from tests.support.arbitration import record_of

REQUESTED = date(2027, 1, 28)
RECOMPUTED = "cn.labornet.intake.joint_answer_due.recomputed.v1"


@pytest.fixture
async def engine(database_url: str):
    engine = create_engine(database_url)
    await upgrade_to_head(engine, SPEC.migrations_dir)
    with restored_live_calendar():
        yield engine
    await engine.dispose()


async def _forward(engine, *, status: str = "pending") -> str:
    forward_id = str(uuid.uuid4())
    due = IntakeContext(calendar=live_calendar()).answer_due_on(REQUESTED)
    async with UnitOfWork(session_factory(engine), messaging, source="/labornet/intake") as uow:
        await records.add_forward(
            session=uow.session,
            forward_id=forward_id,
            case_id=str(uuid.uuid4()),
            accepting_region="3710",
            target_region="350102",
            requested_on=REQUESTED,
            answer_due_on=due,
        )
        if status != "pending":
            await records.answer_forward(
                session=uow.session, forward_id=forward_id, status=status, reason="", answered_by="clerk"
            )
        await uow.commit()
    return forward_id


async def _rows(engine, query) -> list:
    async with engine.connect() as conn:
        return list((await conn.execute(query)).all())


async def test_a_pending_answer_date_moves_past_the_spring_festival_once(engine) -> None:
    pending, answered = await _forward(engine), await _forward(engine, status="accepted")
    consumer = EventConsumer(
        name="intake.calendar",
        topics=[],
        session_factory=session_factory(engine),
        tables=messaging,
        source="/labornet/intake",
        handlers=schedule_handlers(table=holiday_schedules, recompute=recompute_for(10)),
    )
    first = record_of(schedule_event(), source="/labornet/gateway", sequence=1, subject="calendar-2027")
    assert (await consumer.process(**first)).outcome == "applied"
    assert (await consumer.process(**first)).outcome == "duplicate"
    resent = record_of(schedule_event(), source="/labornet/gateway", sequence=2, subject="calendar-2027")
    assert (await consumer.process(**resent)).outcome == "applied"

    dues = dict(await _rows(engine, select(joint_forwards.c.forward_id, joint_forwards.c.answer_due_on)))
    assert (dues[pending], dues[answered]) == (date(2027, 2, 18), date(2027, 2, 11))
    (event,) = [r.data for r in await _rows(engine, select(messaging.outbox)) if r.event_type == RECOMPUTED]
    assert event == {
        **event,
        "forward_id": pending,
        "previous_due_on": "2027-02-11",
        "due_on": "2027-02-18",
        "provisional": False,
        "calendar_year": 2027,
    }
    notes = [r.text_zh for r in await _rows(engine, select(timeline.c.text_zh))]
    assert notes == ["2027年国务院节假日安排已录入，管辖地区答复期限调整为2027年02月18日"]
