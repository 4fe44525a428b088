"""Applications from intake and from mediation transfers, and the court's events, through the
real consumer on a real database: redelivered or re-sent events have one effect."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from labornet_arbitration.adapters.orm import applications
from labornet_arbitration.service import admission_commands
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.court import LawsuitFiled
from labornet_common.contracts.intake import ComplaintRouted
from labornet_common.contracts.mediation import TransferredToArbitration
from labornet_common.security.auth import Role
from tests.support.arbitration import cases_consumer, record_of, staff

AT = datetime(2026, 9, 28, 2, 0, tzinfo=UTC)  # 10:00 in China


def _transfer(case_id: str, transfer_id: str) -> TransferredToArbitration:
    return TransferredToArbitration(
        case_id=case_id,
        transfer_id=transfer_id,
        division_code="410311007",
        commission_id="arb-4103",
        tribunal_id="trib-410311-007",
        venue_name="科技园派出仲裁庭",
        grounds="mediation_failed",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        workplace_division="410311007",
        claims=[ClaimSummary(category="labor_remuneration", amount_fen=1_860_000)],
    )


async def _count(db) -> int:
    async with db.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(applications)))


async def test_a_transfer_delivered_twice_and_re_sent_makes_one_application(db, ctx) -> None:
    consumer, case_id, transfer_id = cases_consumer(db, ctx), str(uuid.uuid4()), str(uuid.uuid4())
    first = record_of(_transfer(case_id, transfer_id), source="/labornet/mediation", sequence=1, at=AT)
    assert (await consumer.process(**first)).outcome == "applied"
    assert (await consumer.process(**first)).outcome == "duplicate"  # Kafka redelivery
    resent = record_of(_transfer(case_id, transfer_id), source="/labornet/mediation", sequence=2, at=AT)
    assert (await consumer.process(**resent)).outcome == "applied"  # a new event, the same transfer
    assert await _count(db) == 1
    received = await db.outbox("cn.labornet.arbitration.application.received.v1")
    assert len(received) == 1
    assert received[0]["tribunal_id"] == "trib-410311-007" and received[0]["commission_id"] == "arb-4103"
    assert received[0]["source"] == "mediation" and received[0]["received_on"] == "2026-09-28"
    assert received[0]["acceptance_due_on"] == "2026-10-08"  # 10-03 is National Day (LDA Art. 29)


async def test_a_complaint_routed_to_arbitration_becomes_an_application(db, ctx) -> None:
    consumer, case_id = cases_consumer(db, ctx), str(uuid.uuid4())
    routed = ComplaintRouted(
        case_id=case_id,
        route="arbitration",
        target_org_id="arb-3710",
        target_division="371002",
        worker_name="张三",
        employer_name="威海某公司",
        workplace_division="371002",
        worker_count=12,
        collective=True,
        received_at=AT,
    )
    assert (await consumer.process(**record_of(routed, source="/labornet/intake", sequence=1))).outcome == "applied"
    mediation = routed.model_copy(update={"case_id": str(uuid.uuid4()), "route": "mediation"})
    assert (await consumer.process(**record_of(mediation, source="/labornet/intake", sequence=1))).outcome == "applied"
    (received,) = await db.outbox("cn.labornet.arbitration.application.received.v1")
    assert received["commission_id"] == "arb-3710" and received["collective"] and received["worker_count"] == 12


async def test_a_court_callback_delivered_twice_has_one_effect(db, ctx, file_application) -> None:
    consumer = cases_consumer(db, ctx)
    case = await file_application()
    await admission_commands.not_accept(
        uow=db.uow(),
        ctx=ctx,
        principal=staff(Role.clerk, "4103"),
        application_id=case.application_id,
        reasons=["不属于劳动争议"],
        on=date(2026, 9, 29),
        today=date(2026, 9, 29),
    )
    suit = LawsuitFiled(
        case_id=case.case_id,
        court_name="洛阳市洛龙区人民法院",
        occurred_on=date(2026, 10, 9),
        division_code="410311",
        callback_id="msg_court_7",
    )
    assert (await consumer.process(**record_of(suit, source="/labornet/gateway", sequence=1))).outcome == "applied"
    # The gateway got the same callback twice (a court retry): a new event, the same callback id.
    assert (await consumer.process(**record_of(suit, source="/labornet/gateway", sequence=2))).outcome == "applied"
    recorded = await db.outbox("cn.labornet.arbitration.court_event.recorded.v1")
    assert len(recorded) == 1 and recorded[0]["effect"] == "dispute_before_court"
    async with db.engine.connect() as conn:
        status = await conn.scalar(select(applications.c.status))
    assert status == "IN_COURT"


async def test_a_suit_in_time_keeps_a_non_final_award_from_effect_lda_50(db, ctx, file_application) -> None:
    from labornet_arbitration.domain.tribunal import Seat
    from labornet_arbitration.service import proceedings_commands as steps
    from labornet_arbitration.service.scanner import scan

    arbitrator, on = staff(Role.arbitrator, "4103"), date(2026, 9, 29)
    case = await file_application(received_on=on)
    await admission_commands.accept(
        uow=db.uow(), ctx=ctx, principal=arbitrator, application_id=case.application_id, on=on, today=on
    )
    for step in (
        steps.tribunal(ctx, mode="sole", seats=[Seat("arbr-4103-02", "sole")], complex_case=False, on=on),
        steps.award(
            ctx, kind="award", items=[{"category": "labor_contract"}], on=date(2026, 10, 9), today=date(2026, 10, 9)
        ),
        steps.award_service(ctx, on=date(2026, 10, 20), today=date(2026, 10, 20)),
    ):
        await steps.run(uow=db.uow(), principal=arbitrator, application_id=case.application_id, step=step)
    suit = LawsuitFiled(
        case_id=case.case_id,
        court_name="洛阳市洛龙区人民法院",
        occurred_on=date(2026, 11, 3),
        callback_id="msg_court_9",
    )
    assert (
        await cases_consumer(db, ctx).process(**record_of(suit, source="/labornet/gateway", sequence=1))
    ).outcome == ("applied")
    assert await scan(uow_factory=db.uow, today=date(2026, 11, 30)) == 0
    assert await db.outbox("cn.labornet.arbitration.award.effective.v1") == []
    (recorded,) = await db.outbox("cn.labornet.arbitration.court_event.recorded.v1")
    assert recorded["effect"] == "non_final_award_not_effective"
