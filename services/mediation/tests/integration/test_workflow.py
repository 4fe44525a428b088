"""The mediation workflow on a real database (SQLite and PostgreSQL): cases from intake's routing
events, balanced assignment, recusal, transfer (once, however often asked), and scoping."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from labornet_common.contracts.intake import ComplaintClosed, ComplaintRouted
from labornet_common.testing.refusals import refusal
from labornet_mediation.adapters import repository
from labornet_mediation.adapters.orm import arbitration_transfers, mediator_recusals
from labornet_mediation.domain.assignment import RecusalGround
from labornet_mediation.service import commands, outcomes, queries
from labornet_mediation.service.context import MediationContext
from labornet_mediation.service.handlers import event_handlers
from tests.support.mediation import (
    GULOU_MEDIATOR,
    LUOYANG_CLERK,
    LUOYANG_MEDIATOR,
    deliver,
    fixed_today,
    mediation_db,
    staff_of,
)

TODAY = date(2026, 9, 16)
CTX = MediationContext(today=fixed_today(TODAY))
TRANSFERRED = "cn.labornet.mediation.case.transferred.v1"


@pytest.fixture
async def db(database_url: str):
    async with mediation_db(database_url) as db:
        yield db


def routed(case_id: str, division: str = "410311007", **extra: object) -> ComplaintRouted:
    return ComplaintRouted(
        case_id=case_id,
        route="mediation",
        target_division=division,
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        facts="2026年8月至10月工资未发放",
        claims=[{"category": "labor_remuneration", "amount_fen": 1860000}],
        **extra,  # type: ignore[arg-type]
    )


async def _from_intake(db, division: str = "410311007", **extra: object) -> str:
    case_id = str(uuid.uuid4())
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    at = datetime(2026, 9, 16, 1, 30, tzinfo=UTC)
    settled = await deliver(consumer, routed(case_id, division, **extra), case_id=case_id, time=at)
    assert settled.outcome == "applied"
    return case_id


async def test_a_routed_complaint_opens_one_case_at_the_serving_centre(db) -> None:
    case_id = str(uuid.uuid4())
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    at, event_id = datetime(2026, 9, 16, 1, 30, tzinfo=UTC), str(uuid.uuid4())
    first = await deliver(consumer, routed(case_id), case_id=case_id, event_id=event_id, time=at)
    again = await deliver(consumer, routed(case_id), case_id=case_id, event_id=event_id, time=at)
    assert (first.outcome, again.outcome) == ("applied", "duplicate")
    async with db.uow() as uow:
        case = await repository.load(session=uow.session, case_id=case_id)
    assert case is not None and (case.centre_id, case.received_on, case.due_on) == (
        "med-410311007",
        TODAY,
        date(2026, 10, 8),  # LDA Art. 14 across National Day
    )
    assert [e["type"] for e in await db.events(case_id)] == ["cn.labornet.mediation.case.opened.v1"]


async def test_intakes_named_centre_is_used_and_other_routes_are_ignored(db) -> None:
    named = await _from_intake(db, "410311", target_org_id="med-park-410371")
    async with db.uow() as uow:
        assert (await repository.load(session=uow.session, case_id=named)).centre_id == "med-park-410371"
    other = str(uuid.uuid4())
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    await deliver(consumer, routed(other).model_copy(update={"route": "arbitration"}), case_id=other)
    async with db.uow() as uow:
        assert not await repository.exists(session=uow.session, case_id=other)


async def test_acceptance_assigns_the_least_loaded_mediator_of_the_centre(db) -> None:
    first, second, third = [await _from_intake(db) for _ in range(3)]
    for case_id in (first, second, third):
        await commands.accept(ctx=CTX, uow=db.uow(), principal=LUOYANG_CLERK, case_id=case_id)
    assigned = [
        (await queries.get_case(uow=db.uow(), principal=LUOYANG_CLERK, case_id=c, ctx=CTX))["mediator_id"]
        for c in (first, second, third)
    ]
    # Three mediators serve 科技园街道, each with no open case: one case each, lowest id first.
    assert assigned == ["med-410311007-01", "med-410311007-02", "med-410311007-03"]
    queue = await queries.my_queue(ctx=CTX, uow=db.uow(), principal=LUOYANG_MEDIATOR, by_deadline=True, limit=50)
    assert first in {c["case_id"] for c in queue} and second not in {c["case_id"] for c in queue}


async def test_recusal_reassigns_and_records_why(db) -> None:
    case_id = await _from_intake(db)
    await commands.accept(ctx=CTX, uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=case_id)
    cmd = commands.Recusal(ground=RecusalGround.near_relative, explanation="调解员系被申请人法定代表人之表弟")
    replaced_by = await commands.recuse(ctx=CTX, uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=case_id, cmd=cmd)
    assert replaced_by is not None and replaced_by != "med-410311007-01"
    async with db.engine.connect() as conn:
        row = (await conn.execute(select(mediator_recusals).where(mediator_recusals.c.case_id == case_id))).one()
    assert (row.mediator_id, row.ground, row.replaced_by) == ("med-410311007-01", "near_relative", replaced_by)
    assigned = (await db.events(case_id, "cn.labornet.mediation.mediator.assigned.v1"))[-1]
    assert (assigned["previous_mediator_id"], assigned["recusal_ground"]) == ("med-410311007-01", "near_relative")
    # The recused mediator is never handed the case again, even by name.
    with refusal() as refused:
        await commands.assign(
            ctx=CTX, uow=db.uow(), principal=LUOYANG_CLERK, case_id=case_id, mediator_id="med-410311007-01"
        )
    assert refused.value.status == 422


async def test_a_repeated_transfer_makes_one_transfer_and_one_event(db) -> None:
    case_id = await _from_intake(db)
    await commands.accept(ctx=CTX, uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=case_id)
    await commands.fail(
        ctx=CTX, uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=case_id, reason="no_agreement", note=""
    )
    first = await outcomes.transfer(ctx=CTX, uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=case_id)
    again = await outcomes.transfer(ctx=CTX, uow=db.uow(), principal=LUOYANG_CLERK, case_id=case_id)
    assert (first.created, again.created) == (True, False)
    assert first.record["transfer_id"] == again.record["transfer_id"]
    assert (first.record["tribunal_id"], first.record["commission_id"]) == ("trib-410311-007", "arb-4103")
    (event,) = await db.events(case_id, TRANSFERRED)
    assert event["transfer_id"] == first.record["transfer_id"] and event["grounds"] == "mediation_failed"
    assert event["claims"][0]["amount_fen"] == 1860000 and len(event["history_zh"]) >= 3
    async with db.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(arbitration_transfers)) == 1


async def test_a_centre_without_a_tribunal_transfers_to_the_commission(db) -> None:
    case_id = await _from_intake(db, "410311002")
    kaiyuan_clerk = staff_of(LUOYANG_CLERK, "med-410311002")  # staff act for their own centre
    with refusal() as other_centre:
        await commands.decline(ctx=CTX, uow=db.uow(), principal=LUOYANG_CLERK, case_id=case_id, reason="x")
    assert other_centre.value.status == 403
    await commands.decline(ctx=CTX, uow=db.uow(), principal=kaiyuan_clerk, case_id=case_id, reason="对方拒绝调解")
    done = await outcomes.transfer(ctx=CTX, uow=db.uow(), principal=kaiyuan_clerk, case_id=case_id)
    assert (done.record["commission_id"], done.record["tribunal_id"], done.record["grounds"]) == (
        "arb-4103",
        None,
        "declined",
    )


async def test_another_regions_staff_meet_a_missing_case(db) -> None:
    case_id = await _from_intake(db)
    assert await queries.get_case(uow=db.uow(), principal=GULOU_MEDIATOR, case_id=case_id, ctx=CTX) is None
    with refusal() as refused:
        await commands.accept(ctx=CTX, uow=db.uow(), principal=GULOU_MEDIATOR, case_id=case_id)
    assert refused.value.status == 404
    with refusal() as refused:
        await outcomes.transfer(ctx=CTX, uow=db.uow(), principal=GULOU_MEDIATOR, case_id=case_id)
    assert refused.value.status == 404


async def test_a_withdrawal_at_intake_stops_mediation_once(db) -> None:
    case_id = await _from_intake(db)
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    closed = ComplaintClosed(case_id=case_id, region_code="410311", reason="已与单位自行和解", closed_on=TODAY)
    await deliver(consumer, closed, case_id=case_id, sequence=2)
    await deliver(consumer, closed, case_id=case_id, sequence=3)  # a second close changes nothing
    case = await queries.get_case(uow=db.uow(), principal=LUOYANG_CLERK, case_id=case_id, ctx=CTX)
    assert (case["status"], case["outcome"]) == ("WITHDRAWN", "withdrawn")
    assert len(await db.events(case_id, "cn.labornet.mediation.case.closed.v1")) == 1
    queue = await queries.my_queue(ctx=CTX, uow=db.uow(), principal=LUOYANG_CLERK, by_deadline=True, limit=100)
    assert case_id not in {c["case_id"] for c in queue}
