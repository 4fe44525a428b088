"""The scanner's court-facing events (each clock exactly once), suspension, extension, and
awards: the per-item final split, effect, service, and a suit that stops a non-final award."""

from __future__ import annotations

import asyncio
from datetime import date

from labornet_arbitration.domain.policy import DOCKET_ROLES
from labornet_arbitration.domain.tribunal import Seat
from labornet_arbitration.service import admission_commands as admit
from labornet_arbitration.service import proceedings_commands as steps
from labornet_arbitration.service.scanner import scan
from labornet_common.security.auth import Role
from labornet_common.testing.refusals import refusal
from tests.support.arbitration import staff

CLERK, ARBITRATOR = staff(Role.clerk, "4103"), staff(Role.arbitrator, "4103", "demo:arbitrator.luoyang")
OVERDUE = "cn.labornet.arbitration.clock.overdue.v1"
EFFECTIVE = "cn.labornet.arbitration.award.effective.v1"


async def _run(db, case, step):
    return await steps.run(uow=db.uow(), principal=ARBITRATOR, application_id=case.application_id, step=step)


async def _accepted(db, ctx, file_application, on: date, **overrides):
    case = await file_application(received_on=on, **overrides)
    return await admit.accept(
        uow=db.uow(), ctx=ctx, principal=CLERK, application_id=case.application_id, on=on, today=on
    )


async def _heard(db, ctx, file_application, on: date):
    case = await _accepted(db, ctx, file_application, on)
    case = await _run(
        db, case, steps.tribunal(ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=on)
    )
    return case


async def test_acceptance_overdue_is_reported_once(db, ctx, file_application) -> None:
    case = await file_application(received_on=date(2026, 9, 28))  # due 10-08 (LDA Art. 29)
    assert await scan(uow_factory=db.uow, today=date(2026, 10, 8)) == 0
    assert sum(await asyncio.gather(*(scan(uow_factory=db.uow, today=date(2026, 10, 9)) for _ in range(3)))) == 1
    assert await scan(uow_factory=db.uow, today=date(2026, 10, 12)) == 0
    (event,) = await db.outbox(OVERDUE)
    assert event == {
        **event,
        "case_id": case.case_id,
        "clock": "acceptance",
        "due_on": "2026-10-08",
        "overdue_on": "2026-10-09",
        "division_code": "410311",
    }


async def test_award_clock_pauses_while_suspended_and_is_reported_once(db, ctx, file_application) -> None:
    case = await _accepted(db, ctx, file_application, date(2026, 8, 19))
    assert case.award_due_on == date(2026, 10, 8)  # 45th day 10-03 -> 10-08 (LDA Art. 43)
    await _run(db, case, steps.suspension(on=date(2026, 9, 1), reason="工伤认定中", today=date(2026, 9, 1)))
    assert await scan(uow_factory=db.uow, today=date(2026, 12, 31)) == 0  # paused: never overdue
    case = await _run(db, case, steps.resumption(ctx, on=date(2026, 9, 11), today=date(2026, 9, 11)))
    assert case.paused_days == 10 and case.award_due_on == date(2026, 10, 13)
    case = await _run(db, case, steps.extension(ctx, days=5, reason="案情复杂，主任批准"))
    assert case.award_due_on == date(2026, 10, 19)  # 10-18 is a Sunday
    with refusal() as too_long:
        await _run(db, case, steps.extension(ctx, days=11, reason="再次延长"))
    assert too_long.value.errors[0].field == "days"
    assert await scan(uow_factory=db.uow, today=date(2026, 10, 19)) == 0
    assert await scan(uow_factory=db.uow, today=date(2026, 10, 20)) == 1
    assert await scan(uow_factory=db.uow, today=date(2026, 10, 21)) == 0
    (event,) = await db.outbox(OVERDUE)
    assert (event["clock"], event["due_on"], event["case_number"]) == ("award", "2026-10-19", case.case_number)


async def test_added_claims_restart_the_award_clock_rules_46(db, ctx, file_application) -> None:
    from labornet_common.contracts.claims import ClaimSummary

    case = await _accepted(db, ctx, file_application, date(2026, 8, 1))
    case = await _run(
        db,
        case,
        steps.claims_change(
            ctx, claims=[ClaimSummary(category="damages")], on=date(2026, 8, 19), today=date(2026, 8, 19)
        ),
    )
    assert case.award_due_on == date(2026, 10, 8)


async def test_a_mixed_award_takes_effect_whole_when_15_days_pass_without_suit(db, ctx, file_application) -> None:
    """Interp-I Art. 20: final and non-final items in one award: nothing takes effect on issue;
    the whole award takes effect like a non-final one, after 15 days from receipt (LDA Art. 50)."""
    case = await _heard(db, ctx, file_application, date(2026, 9, 29))
    items = [
        {"category": "labor_remuneration", "amount_fen": 2_820_000, "description": "拖欠工资"},
        {"category": "damages", "amount_fen": 2_820_001, "description": "赔偿金"},
    ]
    case = await _run(
        db, case, steps.award(ctx, kind="award", items=items, on=date(2026, 10, 9), today=date(2026, 10, 9))
    )
    (issued,) = await db.outbox("cn.labornet.arbitration.award.issued.v1")
    assert [i["final"] for i in issued["items"]] == [True, False]  # ¥28,200 = 12 x 2,350 (河南 2025-12-01)
    assert issued["award_type"] == "mixed" and case.status == "AWARDED"
    assert await db.outbox(EFFECTIVE) == []  # not on the day of issue
    case = await _run(db, case, steps.award_service(ctx, on=date(2026, 10, 20), today=date(2026, 10, 20)))
    assert case.award["suit_due_on"] == "2026-11-04" and case.award["set_aside_due_on"] is None  # LDA Art. 50
    assert await scan(uow_factory=db.uow, today=date(2026, 11, 4)) == 0
    assert await scan(uow_factory=db.uow, today=date(2026, 11, 5)) == 1
    assert await scan(uow_factory=db.uow, today=date(2026, 11, 6)) == 0
    (took,) = await db.outbox(EFFECTIVE)
    assert took["effective_on"] == "2026-11-05" and [i["category"] for i in took["items"]] == [
        "labor_remuneration",
        "damages",
    ]
    assert took["award_type"] == "mixed"


async def test_a_final_award_takes_effect_on_issue_and_its_service_opens_both_windows(
    db, ctx, file_application
) -> None:
    case = await _heard(db, ctx, file_application, date(2026, 9, 1))
    items = [{"category": "labor_remuneration", "amount_fen": 2_820_000}]
    case = await _run(
        db, case, steps.award(ctx, kind="award", items=items, on=date(2026, 9, 18), today=date(2026, 9, 18))
    )
    (took,) = await db.outbox(EFFECTIVE)
    assert (took["effective_on"], took["award_type"], case.status) == ("2026-09-18", "final", "EFFECTIVE")
    case = await _run(db, case, steps.award_service(ctx, on=date(2026, 9, 20), today=date(2026, 9, 20)))
    (served,) = await db.outbox("cn.labornet.arbitration.award.served.v1")
    # day 15 (10-05) and day 30 (10-20) from receipt on 09-20, a make-up workday (LDA Arts. 48, 49)
    assert (served["suit_due_on"], served["set_aside_due_on"]) == ("2026-10-08", "2026-10-20")
    assert await scan(uow_factory=db.uow, today=date(2026, 10, 30)) == 0


async def test_a_mediation_document_takes_effect_when_both_sign(db, ctx, file_application) -> None:
    case = await _heard(db, ctx, file_application, date(2026, 9, 29))
    items = [{"category": "labor_remuneration", "amount_fen": 5_000_000}]
    case = await _run(
        db, case, steps.award(ctx, kind="mediation", items=items, on=date(2026, 10, 9), today=date(2026, 10, 9))
    )
    assert await db.outbox(EFFECTIVE) == []
    case = await _run(db, case, steps.award_service(ctx, on=date(2026, 10, 10), today=date(2026, 10, 10)))
    assert case.status == "EFFECTIVE" and (await db.outbox(EFFECTIVE))[0]["effective_on"] == "2026-10-10"


async def test_an_unknown_minimum_wage_refuses_a_capped_award(db, ctx, file_application) -> None:
    case = await file_application(division_code="350102", commission_id="arb-350102", received_on=date(2026, 9, 29))
    gulou = staff(Role.arbitrator, "350102")
    case = await admit.accept(
        uow=db.uow(),
        ctx=ctx,
        principal=gulou,
        application_id=case.application_id,
        on=date(2026, 9, 29),
        today=date(2026, 9, 29),
    )
    step = steps.tribunal(
        ctx, mode="sole", seats=[Seat("arbr-350102-01", "sole")], complex_case=False, on=date(2026, 9, 30)
    )
    await steps.run(uow=db.uow(), principal=gulou, application_id=case.application_id, step=step)
    award = steps.award(
        ctx,
        kind="award",
        items=[{"category": "labor_remuneration", "amount_fen": 100}],
        on=date(2026, 10, 9),
        today=date(2026, 10, 9),
    )
    with refusal() as unknown:
        await steps.run(uow=db.uow(), principal=gulou, application_id=case.application_id, step=award)
    assert unknown.value.code == "arbitration.minimum_wage_unknown" and "350102" in (unknown.value.detail or "")


async def test_collective_cases_sit_as_three_and_hearing_notice_needs_5_days(db, ctx, file_application) -> None:
    case = await _accepted(db, ctx, file_application, date(2026, 9, 29), worker_count=12, collective=True)
    with refusal() as sole:
        await _run(
            db,
            case,
            steps.tribunal(
                ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=date(2026, 9, 30)
            ),
        )
    assert sole.value.code == "arbitration.panel_required"
    panel = [Seat("arbr-4103-01", "presiding"), Seat("arbr-4103-02", "member"), Seat("arbr-4103-03", "member")]
    case = await _run(
        db, case, steps.tribunal(ctx, mode="panel", seats=panel, complex_case=False, on=date(2026, 9, 30))
    )
    with refusal() as short:  # for a hearing on 10-12 the notice had to go out by 09-30
        await _run(
            db,
            case,
            steps.hearing(ctx, hearing_on=date(2026, 10, 12), notice_on=date(2026, 10, 8), venue="科技园派出仲裁庭"),
        )
    assert short.value.status == 422 and short.value.errors[0].field == "hearing_on"
    case = await _run(
        db,
        case,
        steps.hearing(ctx, hearing_on=date(2026, 10, 12), notice_on=date(2026, 9, 30), venue="科技园派出仲裁庭"),
    )
    assert case.status == "HEARING_SCHEDULED"


async def test_a_granted_recusal_reopens_the_tribunal(db, ctx, file_application) -> None:
    case = await _heard(db, ctx, file_application, date(2026, 9, 29))
    case = await _run(
        db, case, steps.recusal(ctx, arbitrator_id="arbr-4103-01", ground="near_relative", on=date(2026, 9, 30))
    )
    assert case.recusals[0]["decision_due_on"] == "2026-10-08"  # 3 days, 10-03 -> 10-08 (Rules Art. 11)
    own = steps.recusal_decision(
        ctx, recusal_id=case.recusals[0]["id"], granted=False, on=date(2026, 10, 8), decided_by=ARBITRATOR.subject
    )  # 李仲明 (arbr-4103-01) himself
    with refusal() as himself:
        await _run(db, case, own)
    assert himself.value.status == 403
    chair = staff(Role.clerk, "4103", "chair@arb-4103")
    case = await steps.run(
        uow=db.uow(),
        principal=chair,
        application_id=case.application_id,
        roles=DOCKET_ROLES,
        step=steps.recusal_decision(
            ctx, recusal_id=case.recusals[0]["id"], granted=True, on=date(2026, 10, 8), decided_by=chair.subject
        ),
    )
    assert case.status == "ACCEPTED" and case.tribunal is None
    with refusal():  # the recused arbitrator cannot sit again
        await _run(
            db,
            case,
            steps.tribunal(
                ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=date(2026, 10, 8)
            ),
        )
