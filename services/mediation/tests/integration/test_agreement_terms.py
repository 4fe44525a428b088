"""Agreements term by term and workers joining, on a real database (SQLite and PostgreSQL): a
breached reinstatement is stored, refused a payment order (LDA Art. 16) and transferred once
with its breached term as a claim (LDA Art. 15); per-term states survive a reload, and an
agreement stored before terms had states reads back whole; a grouped filing joins once however
often it is delivered (LDA Art. 7)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from labornet_common.contracts.intake import ComplaintJoined, ComplaintRouted
from labornet_common.contracts.mediation import AgreementTerm
from labornet_common.testing.refusals import refusal
from labornet_mediation.adapters import repository
from labornet_mediation.adapters.orm import mediation_agreements
from labornet_mediation.domain.performance import TermOutcome
from labornet_mediation.service import commands, outcomes, queries
from labornet_mediation.service.context import MediationContext
from labornet_mediation.service.handlers import event_handlers
from tests.support.mediation import LUOYANG_MEDIATOR, deliver, fixed_today, mediation_db

ME = LUOYANG_MEDIATOR
OPENED = date(2026, 9, 16)
CTX = MediationContext(today=fixed_today(OPENED))
SIGNED = MediationContext(today=fixed_today(date(2026, 9, 20)))  # the agreement is recorded the day it is signed
AFTER_DUE = MediationContext(today=fixed_today(date(2026, 10, 21)))  # the terms fall due on 2026-10-20
JOINED = "cn.labornet.mediation.case.workers_joined.v1"
TRANSFERRED = "cn.labornet.mediation.case.transferred.v1"
REINSTATE = AgreementTerm(
    payer="洛阳某机械有限公司",
    payee="王师傅",
    kind="non_monetary",
    item="reinstatement",
    description="恢复装配车间钳工岗位",
    due_on=date(2026, 10, 20),
)
WAGES = AgreementTerm(
    payer="洛阳某机械有限公司", payee="王师傅", item="labor_remuneration", amount_fen=600_000, due_on=date(2026, 10, 20)
)


@pytest.fixture
async def db(database_url: str):
    async with mediation_db(database_url) as db:
        yield db


async def _routed(db, *, worker_count: int = 1) -> str:
    case_id = str(uuid.uuid4())
    routed = ComplaintRouted(
        case_id=case_id,
        route="mediation",
        target_division="410311007",
        worker_name="王师傅",
        employer_name="洛阳某机械有限公司",
        claims=[{"category": "dismissal"}],
        worker_count=worker_count,
    )
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    await deliver(consumer, routed, case_id=case_id, time=datetime(2026, 9, 16, 1, 30, tzinfo=UTC))
    return case_id


async def _agreed(db, *terms: AgreementTerm) -> str:
    case_id = await _routed(db)
    await commands.accept(ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id)
    cmd = outcomes.RecordAgreement(terms=terms, signed_and_sealed=True, effective_on=date(2026, 9, 20))
    await outcomes.record_agreement(ctx=SIGNED, uow=db.uow(), principal=ME, case_id=case_id, cmd=cmd)
    return case_id


async def test_an_agreement_signed_and_sealed_cannot_take_effect_tomorrow(db) -> None:
    case_id = await _routed(db)
    await commands.accept(ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id)
    tomorrow = outcomes.RecordAgreement(terms=(REINSTATE,), signed_and_sealed=True, effective_on=date(2026, 9, 17))
    with refusal() as refused:
        await outcomes.record_agreement(ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id, cmd=tomorrow)
    assert (refused.value.status, refused.value.errors[0].field) == (422, "effective_on")


async def _perform(db, case_id: str, *items: TermOutcome) -> None:
    cmd = outcomes.RecordPerformance(items=items)
    await outcomes.record_performance(ctx=AFTER_DUE, uow=db.uow(), principal=ME, case_id=case_id, cmd=cmd)


async def test_a_breached_reinstatement_is_transferred_once_with_its_claim(db) -> None:
    case_id = await _agreed(db, REINSTATE)
    await _perform(db, case_id, TermOutcome(1, performed=False, not_done="拒绝安排上岗"))
    with refusal() as refused:
        await outcomes.request_court(ctx=AFTER_DUE, uow=db.uow(), principal=ME, case_id=case_id, kind="payment_order")
    assert (refused.value.status, refused.value.errors[0].field) == (422, "kind")
    first = await outcomes.transfer(ctx=AFTER_DUE, uow=db.uow(), principal=ME, case_id=case_id)
    again = await outcomes.transfer(ctx=AFTER_DUE, uow=db.uow(), principal=ME, case_id=case_id)
    assert (first.created, again.created, first.record["grounds"]) == (True, False, "agreement_breached")
    (moved,) = await db.events(case_id, TRANSFERRED)
    (claim,) = moved["claims"]
    assert claim["category"] == "labor_contract" and "恢复劳动关系" in claim["description"]
    assert moved["agreement"]["breached_terms"][0]["not_done"] == "拒绝安排上岗"
    case = await queries.get_case(uow=db.uow(), principal=ME, case_id=case_id, ctx=CTX)
    assert case["status"] == "TRANSFERRED" and case["agreement"]["items"][0]["state"]["status"] == "breached"


async def test_term_states_survive_a_reload_and_the_wage_term_goes_to_a_payment_order(db) -> None:
    case_id = await _agreed(db, REINSTATE, WAGES)
    await _perform(db, case_id, TermOutcome(1, performed=True), TermOutcome(2, performed=False, unpaid_fen=250_000))
    async with db.uow() as uow:
        agreement = (await repository.load(session=uow.session, case_id=case_id)).agreement
    assert [(s.status, s.unpaid_fen, s.recorded_on) for s in agreement.states] == [
        ("performed", None, date(2026, 10, 21)),
        ("breached", 250_000, date(2026, 10, 21)),
    ]
    request = await outcomes.request_court(
        ctx=AFTER_DUE, uow=db.uow(), principal=ME, case_id=case_id, kind="payment_order"
    )
    assert (request["amount_fen"], request["term_nos"]) == (250_000, [2])
    (breach,) = await db.events(case_id, "cn.labornet.mediation.agreement.breached.v1")
    assert breach["unpaid_fen"] == 250_000 and [t["term_no"] for t in breach["terms"]] == [2]


async def test_an_agreement_stored_before_term_states_reads_back_whole(db) -> None:
    case_id = await _agreed(db, WAGES, WAGES.model_copy(update={"item": "damages", "amount_fen": 100_000}))
    await outcomes.record_performance(
        ctx=AFTER_DUE,
        uow=db.uow(),
        principal=ME,
        case_id=case_id,
        cmd=outcomes.RecordPerformance(performed=False, unpaid_fen=300_000),
    )
    async with db.engine.begin() as conn:  # as revision 0003 left it
        t = mediation_agreements
        await conn.execute(update(t).where(t.c.case_id == case_id).values(term_states=None))
    async with db.uow() as uow:
        agreement = (await repository.load(session=uow.session, case_id=case_id)).agreement
    assert [(s.status, s.unpaid_fen) for s in agreement.states] == [("breached", 200_000), ("breached", 100_000)]
    case = await queries.get_case(uow=db.uow(), principal=ME, case_id=case_id, ctx=CTX)
    assert [i["state"]["status"] for i in case["agreement"]["items"]] == ["breached", "breached"]
    done = await outcomes.transfer(ctx=AFTER_DUE, uow=db.uow(), principal=ME, case_id=case_id)
    assert done.record["grounds"] == "agreement_breached"


async def test_a_grouped_filing_joins_once_however_often_it_is_delivered(db) -> None:
    case_id = await _routed(db, worker_count=9)
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    joined = ComplaintJoined(
        case_id=case_id,
        filing_id="filing-10",
        kind="grouped",
        region_code="410311",
        worker_count=10,
        collective=True,
        claims=[{"category": "labor_remuneration", "amount_fen": 420_000}],
    )
    event_id = str(uuid.uuid4())
    settled = [
        await deliver(consumer, joined, case_id=case_id, event_id=event_id, sequence=2),
        await deliver(consumer, joined, case_id=case_id, event_id=event_id, sequence=2),  # redelivered
        await deliver(consumer, joined, case_id=case_id, sequence=3),  # re-sent: a new event id
    ]
    assert [s.outcome for s in settled] == ["applied", "duplicate", "applied"]
    duplicate = joined.model_copy(update={"filing_id": "filing-11", "kind": "duplicate", "worker_count": 11})
    await deliver(consumer, duplicate, case_id=case_id, sequence=4)  # the same worker again: nobody joins
    (event,) = await db.events(case_id, JOINED)
    assert (event["worker_count"], event["collective"], event["filing_id"]) == (10, True, "filing-10")
    case = await queries.get_case(uow=db.uow(), principal=ME, case_id=case_id, ctx=CTX)
    assert (case["worker_count"], case["collective"], len(case["claims"])) == (10, True, 2)
    await commands.accept(ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id)
    await commands.fail(ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id, reason="no_agreement", note="")
    await outcomes.transfer(ctx=CTX, uow=db.uow(), principal=ME, case_id=case_id)
    (moved,) = await db.events(case_id, TRANSFERRED)
    assert (moved["worker_count"], moved["collective"], len(moved["claims"])) == (10, True, 2)
