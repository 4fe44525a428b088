"""The same dispute at two commissions (LDA Art. 21; Rules Arts. 8, 9): detected on arrival and
before acceptance, one docket only, also when two acceptances race (SQLite and PostgreSQL);
workers grouped by intake join the application once (LDA Art. 7; Rules Art. 46(一))."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime

from labornet_arbitration.adapters import repository
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.service import admission_commands as admit
from labornet_arbitration.service.intake_commands import NewApplication, _values
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.intake import ComplaintJoined, ComplaintRouted
from labornet_common.security.auth import Role
from labornet_common.testing.refusals import as_problem, refusal
from tests.support.arbitration import cases_consumer, record_of, staff

USCC = "91410300MA44TEST1X"
WORKER = "bidx-of-the-workers-id-number"
CITY_CLERK, YANSHI_CLERK = staff(Role.clerk, "4103"), staff(Role.clerk, "410307")


def _dispute(**over) -> dict:
    """偃师 workplace (410307), employer seated in 老城 (410302, the city commission's area)."""
    return {
        "division_code": "410307",
        "employer_division": "410302",
        "employer_uscc": USCC,
        "employer_name": "洛阳某建筑工程有限公司",
        "worker_keys": [WORKER],
        **over,
    }


async def test_the_second_arrival_at_the_employers_seat_is_referred_to_the_workplace(db, ctx, file_application):
    at_workplace = await file_application(commission_id="arb-410307", **_dispute())
    at_seat = await file_application(commission_id="arb-4103", applicant_side="employer", **_dispute())
    assert at_seat.status == "REFERRED" and at_seat.merged_into == at_workplace.application_id
    assert at_seat.referred_to == "arb-410307" and "第二十一条" in at_seat.history[0]["text_zh"]
    assert "洛阳某建筑工程有限公司提出的仲裁申请移送" in at_seat.history[0]["text_zh"]  # the employer applied
    (referred,) = await db.outbox("cn.labornet.arbitration.application.referred.v1")
    assert referred["same_dispute"] and referred["to_application_id"] == at_workplace.application_id
    assert referred["notice_zh"] == at_seat.history[0]["text_zh"]
    keeper = await _get(db, at_workplace.application_id)
    assert keeper.status == "SUBMITTED" and keeper.history[0]["kind"] == "referral_received"
    (received,) = await db.outbox("cn.labornet.arbitration.referral.received.v1")
    assert received["award_due_on"] is None  # not accepted yet: the clock starts at acceptance
    sides = [e["applicant_side"] for e in await db.outbox("cn.labornet.arbitration.application.received.v1")]
    assert sides == ["worker", "employer"]


async def test_the_first_arrival_gives_way_when_the_workplace_applies_later(db, ctx, file_application):
    at_seat = await file_application(commission_id="arb-4103", **_dispute())
    at_workplace = await file_application(commission_id="arb-410307", **_dispute())
    assert at_workplace.status == "SUBMITTED"
    assert (await _get(db, at_seat.application_id)).status == "REFERRED"


async def test_different_workers_or_claims_are_different_disputes(db, ctx, file_application):
    await file_application(commission_id="arb-410307", **_dispute())
    other = await file_application(commission_id="arb-4103", **_dispute(worker_keys=["bidx-another-worker"]))
    claim = await file_application(
        commission_id="arb-4103", **_dispute(claims=[ClaimSummary(category="social_insurance", amount_fen=None)])
    )
    assert other.status == claim.status == "SUBMITTED"


async def _twins(db, ctx) -> tuple[ArbitrationCase, ArbitrationCase]:
    """Two applications of one dispute stored side by side (as before this rule existed)."""
    made = []
    for commission_id in ("arb-4103", "arb-410307"):
        new = NewApplication(
            case_id=str(uuid.uuid4()),
            source="direct",
            source_key=f"direct:{uuid.uuid4()}",
            commission_id=commission_id,
            received_on=date(2026, 9, 28),
            worker_name="王师傅",
            claims=[ClaimSummary(category="labor_remuneration", amount_fen=1_860_000)],
            **_dispute(),
        )
        case = ArbitrationCase.receive(calendar=ctx.calendar, **_values(ctx, new))
        async with db.uow() as uow:
            await repository.add(session=uow.session, case=case)
            await uow.commit()
        made.append(case)
    return made[0], made[1]


async def test_acceptance_at_the_seat_is_refused_and_the_workplace_takes_over(db, ctx):
    at_seat, at_workplace = await _twins(db, ctx)
    with refusal() as refused:
        await admit.accept(
            uow=db.uow(),
            ctx=ctx,
            principal=CITY_CLERK,
            application_id=at_seat.application_id,
            on=date(2026, 9, 29),
            today=date(2026, 9, 29),
        )
    assert refused.value.status == 409 and refused.value.code == "arbitration.held_elsewhere"
    docketed = await admit.accept(
        uow=db.uow(),
        ctx=ctx,
        principal=YANSHI_CLERK,
        application_id=at_workplace.application_id,
        on=date(2026, 9, 29),
        today=date(2026, 9, 29),
    )
    assert docketed.case_number and docketed.case_number.startswith("偃劳人仲")
    assert (await _get(db, at_seat.application_id)).status == "REFERRED"


async def test_two_acceptances_racing_dockets_the_dispute_once(db, ctx):
    for _ in range(3):
        at_seat, at_workplace = await _twins(db, ctx)
        results = await asyncio.gather(
            admit.accept(
                uow=db.uow(),
                ctx=ctx,
                principal=CITY_CLERK,
                application_id=at_seat.application_id,
                on=date(2026, 9, 29),
                today=date(2026, 9, 29),
            ),
            admit.accept(
                uow=db.uow(),
                ctx=ctx,
                principal=YANSHI_CLERK,
                application_id=at_workplace.application_id,
                on=date(2026, 9, 29),
                today=date(2026, 9, 29),
            ),
            return_exceptions=True,
        )
        assert (p := as_problem(results[0])) is not None and p.status == 409
        seat, workplace = await _get(db, at_seat.application_id), await _get(db, at_workplace.application_id)
        assert workplace.status == "ACCEPTED" and seat.status == "REFERRED"
        assert seat.case_number is None


async def test_the_city_clerk_cannot_act_on_the_county_commissions_application(db, ctx, file_application):
    county = await file_application(commission_id="arb-410307", division_code="410307")
    with refusal() as refused:
        await admit.accept(
            uow=db.uow(),
            ctx=ctx,
            principal=CITY_CLERK,
            application_id=county.application_id,
            on=date(2026, 9, 29),
            today=date(2026, 9, 29),
        )
    assert refused.value.status == 403  # in the city's region: it reads, but does not act
    with refusal() as no_org:
        await admit.accept(
            uow=db.uow(),
            ctx=ctx,
            principal=staff(Role.clerk, "410307", org=None),
            application_id=county.application_id,
            on=date(2026, 9, 29),
            today=date(2026, 9, 29),
        )
    assert no_org.value.status == 403


AT = datetime(2026, 8, 31, 2, 0, tzinfo=UTC)


def _joined(case_id: str, filing_id: str, count: int) -> ComplaintJoined:
    return ComplaintJoined(
        case_id=case_id,
        filing_id=filing_id,
        kind="grouped",
        region_code="410311",
        worker_count=count,
        claims=[ClaimSummary(category="overtime_pay", amount_fen=90_000)],
    )


async def test_a_grouped_filing_joins_once_and_restarts_an_accepted_clock(db, ctx):
    consumer = cases_consumer(db, ctx)
    case_id = str(uuid.uuid4())
    routed = ComplaintRouted(
        case_id=case_id,
        route="arbitration",
        target_org_id="arb-4103",
        target_division="410311",
        worker_name="张三",
        employer_name="洛阳某公司",
        workplace_division="410311",
        received_at=AT,
        claims=[ClaimSummary(category="labor_remuneration", amount_fen=100_000)],
    )
    await consumer.process(**record_of(routed, source="/labornet/intake", sequence=1, at=AT))
    app = (await db.outbox("cn.labornet.arbitration.application.received.v1"))[0]["application_id"]
    await admit.accept(
        uow=db.uow(), ctx=ctx, principal=CITY_CLERK, application_id=app, on=date(2026, 9, 1), today=date(2026, 9, 29)
    )
    filing = str(uuid.uuid4())
    at = datetime(2026, 9, 10, 2, 0, tzinfo=UTC)
    for sequence in (2, 3):  # the same filing re-sent as a new event
        record = record_of(_joined(case_id, filing, 2), source="/labornet/intake", sequence=sequence, at=at)
        assert (await consumer.process(**record)).outcome == "applied"
    case = await _get(db, app)
    assert case.worker_count == 2 and case.joined_filings == [filing]
    assert "overtime_pay" in case.categories
    # Rules Art. 46(一): 45 days from 09-10 -> 10-25 (Sunday) -> 10-26
    assert case.award_clock_start == date(2026, 9, 10) and case.award_due_on == date(2026, 10, 26)
    (joined,) = await db.outbox("cn.labornet.arbitration.parties.joined.v1")
    assert joined["worker_count"] == 2 and joined["award_due_on"] == "2026-10-26"
    duplicate = _joined(case_id, str(uuid.uuid4()), 3).model_copy(update={"kind": "duplicate"})
    await consumer.process(**record_of(duplicate, source="/labornet/intake", sequence=4, at=at))
    assert (await _get(db, app)).worker_count == 2


async def _get(db, application_id: str) -> ArbitrationCase:
    async with db.uow() as uow:
        case = await repository.get(session=uow.session, application_id=application_id)
    assert case is not None
    return case


async def test_a_filing_joining_a_referred_case_joins_the_keeper(db, ctx, file_application):
    kept = await file_application(commission_id="arb-410307", **_dispute())
    referred = await file_application(commission_id="arb-4103", **_dispute())
    assert referred.merged_into == kept.application_id
    consumer = cases_consumer(db, ctx)
    joined = _joined(referred.case_id, str(uuid.uuid4()), 2)
    await consumer.process(**record_of(joined, source="/labornet/intake", sequence=1, at=AT))
    keeper = await _get(db, kept.application_id)
    assert keeper.worker_count == 2 and keeper.joined_filings == [joined.filing_id]
