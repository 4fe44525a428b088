"""Outcome paths on a real database: agreement → performed; agreement → breached → payment
order (LDA Art. 16) answered by the court (applied once); judicial confirmation (民诉法 Art. 205);
the clock scanner's warning and time-out → transfer (LDA Art. 14)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from labornet_common.contracts.court import JudicialConfirmation, PaymentOrder
from labornet_common.contracts.mediation import AgreementTerm
from labornet_common.testing.refusals import refusal
from labornet_mediation.adapters import repository
from labornet_mediation.service import commands, court_results, outcomes, queries, scanner
from labornet_mediation.service.context import MediationContext
from tests.support.mediation import LUOYANG_MEDIATOR, deliver, fixed_today, mediation_db

OPENED = date(2026, 9, 16)  # the clock ends 2026-10-08 (day 15 falls on National Day)
CTX = MediationContext(today=fixed_today(OPENED))
AFTER_DUE = MediationContext(today=fixed_today(date(2026, 10, 21)))  # the terms fall due on 2026-10-20
ME = LUOYANG_MEDIATOR


@pytest.fixture
async def db(database_url: str):
    async with mediation_db(database_url) as db:
        yield db


async def _accepted(db, ctx: MediationContext = CTX) -> str:
    cmd = commands.OpenCase(
        workplace_division="410311007",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        facts="拖欠工资",
        claims=(),
        received_on=OPENED,
    )
    case_id = await commands.open_case(ctx=ctx, uow=db.uow(), principal=ME, cmd=cmd)
    await commands.accept(ctx=ctx, uow=db.uow(), principal=ME, case_id=case_id)
    return case_id


async def _agreed(db, *items: tuple[str, int]) -> str:
    case_id = await _accepted(db)
    terms = tuple(
        AgreementTerm(
            payer="洛阳某建筑工程有限公司", payee="王师傅", item=item, amount_fen=amount, due_on=date(2026, 10, 20)
        )
        for item, amount in items
    )
    cmd = outcomes.RecordAgreement(terms=terms, signed_and_sealed=True, effective_on=date(2026, 9, 20))
    signed = replace(CTX, today=fixed_today(date(2026, 9, 20)))  # recorded the day it was signed
    await outcomes.record_agreement(ctx=signed, uow=db.uow(), principal=ME, case_id=case_id, cmd=cmd)
    return case_id


async def _types(db, case_id: str) -> list[str]:
    return [e["type"].removeprefix("cn.labornet.mediation.") for e in await db.events(case_id)]


async def test_an_unsigned_agreement_is_refused_and_a_signed_one_is_performed(db) -> None:
    case_id = await _accepted(db)
    term = AgreementTerm(payer="某公司", payee="王师傅", item="labor_remuneration", amount_fen=100, due_on=OPENED)
    with refusal() as refused:
        await outcomes.record_agreement(
            ctx=CTX,
            uow=db.uow(),
            principal=ME,
            case_id=case_id,
            cmd=outcomes.RecordAgreement(terms=(term,), signed_and_sealed=False),
        )
    assert refused.value.errors[0].field == "signed_and_sealed"
    await outcomes.record_agreement(
        ctx=CTX,
        uow=db.uow(),
        principal=ME,
        case_id=case_id,
        cmd=outcomes.RecordAgreement(terms=(term,), signed_and_sealed=True),
    )
    await outcomes.record_performance(
        ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id, cmd=outcomes.RecordPerformance(performed=True)
    )
    case = await queries.get_case(uow=db.uow(), principal=ME, case_id=case_id, ctx=CTX)
    assert (case["status"], case["outcome"], case["agreement"]["status"]) == ("PERFORMED", "performed", "performed")
    # The signed agreement is issued as a 调解协议书 in the same transaction as the agreement.
    assert (await _types(db, case_id))[-4:] == [
        "agreement.reached.v1",
        "document.issued.v1",
        "agreement.performed.v1",
        "case.closed.v1",
    ]


async def test_breach_payment_order_and_the_courts_answer_applied_once(db) -> None:
    case_id = await _agreed(db, ("labor_remuneration", 1_860_000), ("welfare", 20_000))
    await outcomes.record_performance(
        ctx=AFTER_DUE, uow=db.uow(), principal=ME, case_id=case_id, cmd=outcomes.RecordPerformance(performed=False)
    )
    request = await outcomes.request_court(ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id, kind="payment_order")
    assert request["amount_fen"] == 1_860_000  # the welfare term is not a payment-order item
    consumer = db.consumer("mediation.court", court_results.event_handlers(CTX))
    answer = PaymentOrder(
        case_id=case_id,
        court_name="洛阳市洛龙区人民法院",
        court_case_number="(2026)豫0311民督1号",
        occurred_on=date(2026, 11, 2),
        outcome="issued",
        callback_id="cb-1",
    )
    # The same callback twice (a retried webhook: new event ids) and one redelivery.
    event_id = str(uuid.uuid4())
    settled = [
        await deliver(consumer, answer, case_id=case_id, source="/labornet/gateway", event_id=event_id, sequence=1),
        await deliver(consumer, answer, case_id=case_id, source="/labornet/gateway", event_id=event_id, sequence=1),
        await deliver(consumer, answer, case_id=case_id, source="/labornet/gateway", sequence=2),
    ]
    assert [s.outcome for s in settled] == ["applied", "duplicate", "applied"]
    types = await _types(db, case_id)
    assert types.count("court_result.recorded.v1") == 1 and types[-1] == "case.closed.v1"
    case = await queries.get_case(uow=db.uow(), principal=ME, case_id=case_id, ctx=CTX)
    assert case["outcome"] == "court" and case["agreement"]["court_requests"]["payment_order"]["status"] == "answered"


async def test_payment_order_refused_for_an_ineligible_agreement(db) -> None:
    case_id = await _agreed(db, ("social_insurance", 300_000))
    await outcomes.record_performance(
        ctx=AFTER_DUE, uow=db.uow(), principal=ME, case_id=case_id, cmd=outcomes.RecordPerformance(performed=False)
    )
    with refusal() as refused:
        await outcomes.request_court(ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id, kind="payment_order")
    assert (refused.value.status, refused.value.code) == (422, "mediation.payment_order_ineligible")
    assert refused.value.errors[0].field == "kind"
    # LDA Art. 15: arbitration remains open to the worker.
    done = await outcomes.transfer(ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id)
    assert done.record["grounds"] == "agreement_breached"


async def test_judicial_confirmation_is_requested_and_confirmed(db) -> None:
    case_id = await _agreed(db, ("labor_remuneration", 500_000))
    late = replace(CTX, today=fixed_today(date(2026, 10, 21)))  # effective 09-20: day 30 is 10-20
    with refusal() as refused:
        await outcomes.request_court(
            ctx=late, uow=db.uow(), principal=ME, case_id=case_id, kind="judicial_confirmation"
        )
    assert refused.value.code == "mediation.judicial_confirmation_late"
    await outcomes.request_court(ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id, kind="judicial_confirmation")
    consumer = db.consumer("mediation.court", court_results.event_handlers(CTX))
    confirmed = JudicialConfirmation(
        case_id=case_id,
        court_name="洛龙区人民法院",
        occurred_on=date(2026, 9, 30),
        outcome="confirmed",
        callback_id="cb-2",
    )
    await deliver(consumer, confirmed, case_id=case_id, source="/labornet/gateway")
    case = await queries.get_case(uow=db.uow(), principal=ME, case_id=case_id, ctx=CTX)
    assert case["status"] == "AGREED"
    assert case["agreement"]["court_requests"]["judicial_confirmation"]["outcome"] == "confirmed"


async def test_the_scanner_warns_once_then_times_out_and_transfers_once(db) -> None:
    case_id = await _accepted(db)
    before = await scanner.scan(ctx=replace(CTX, today=fixed_today(date(2026, 10, 4))), uow_factory=db.uow)
    assert before.warned == 0  # 4 days left, the window is 3
    warn_day = replace(CTX, today=fixed_today(date(2026, 10, 5)))
    assert (await scanner.scan(ctx=warn_day, uow_factory=db.uow)).warned == 1
    assert (await scanner.scan(ctx=warn_day, uow_factory=db.uow)).warned == 0
    last_day = replace(CTX, today=fixed_today(date(2026, 10, 8)))  # due_today still runs to 24:00
    assert (await scanner.scan(ctx=last_day, uow_factory=db.uow)).timed_out == 0
    after = replace(CTX, today=fixed_today(date(2026, 10, 9)))
    report = await scanner.scan(ctx=after, uow_factory=db.uow)
    assert (report.timed_out, report.transferred) == (1, 1)
    assert (await scanner.scan(ctx=after, uow_factory=db.uow)).timed_out == 0
    types = await _types(db, case_id)
    assert types.count("deadline.approaching.v1") == 1
    assert types[-3:] == ["case.failed.v1", "case.transferred.v1", "case.closed.v1"]
    (failed,) = await db.events(case_id, "cn.labornet.mediation.case.failed.v1")
    (moved,) = await db.events(case_id, "cn.labornet.mediation.case.transferred.v1")
    assert failed["reason"] == "timed_out"
    assert (moved["grounds"], moved["tribunal_id"]) == ("timed_out", "trib-410311-007")
    async with db.uow() as uow:
        assert (await repository.load(session=uow.session, case_id=case_id)).status == "TRANSFERRED"
