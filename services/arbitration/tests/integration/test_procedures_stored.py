"""Arbitration as practised, stored and announced: each step is saved with the case, its event
leaves through the outbox with the parties' notice, a rule's refusal is problem+json naming the
field, no scan reports a withdrawn case's clocks, and a served partial award takes effect on
its own once its suit period passes (on the law's days across National Day 2026)."""

from __future__ import annotations

from datetime import date

from labornet_arbitration.domain.procedures import NewHearing
from labornet_arbitration.domain.tribunal import Seat
from labornet_arbitration.service import admission_commands as admit
from labornet_arbitration.service import procedure_commands as cmd
from labornet_arbitration.service import proceedings_commands as steps
from labornet_arbitration.service.scanner import scan
from labornet_common.contracts.arbitration import ProvisionalItem
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.security.auth import Role
from labornet_common.testing.refusals import refusal
from tests.support.arbitration import staff

CLERK, ARBITRATOR = staff(Role.clerk, "4103"), staff(Role.arbitrator, "4103", "demo:arbitrator.luoyang")
ARB = "cn.labornet.arbitration."


async def _run(db, case, step):
    return await steps.run(uow=db.uow(), principal=ARBITRATOR, application_id=case.application_id, step=step)


async def _accepted(db, ctx, file_application, on: date, **overrides):
    case = await file_application(received_on=on, **overrides)
    return await admit.accept(
        uow=db.uow(), ctx=ctx, principal=CLERK, application_id=case.application_id, on=on, today=on
    )


async def test_withdrawal_is_stored_announced_and_stops_every_clock(db, ctx, file_application) -> None:
    case = await _accepted(db, ctx, file_application, date(2026, 8, 19))  # award due 10-08
    case = await _run(
        db,
        case,
        cmd.withdrawal(ctx, on=date(2026, 9, 1), today=date(2026, 9, 1), settled=True, settlement="已付清工资"),
    )
    assert case.status == "WITHDRAWN" and case.procedure["closure"]["limitation_due_on"] == "2027-09-01"
    (closed,) = await db.outbox(f"{ARB}case.closed.v1")
    assert closed["reason"] == "withdrawn" and closed["clocks_closed"] == ["award"]
    assert "一年仲裁时效期间自2026年9月1日起重新计算" in closed["notice_zh"]
    assert await scan(uow_factory=db.uow, today=date(2026, 12, 31)) == 0  # no overdue award clock
    assert await db.outbox(f"{ARB}clock.overdue.v1") == []
    with refusal() as again:
        await _run(
            db, case, cmd.withdrawal(ctx, on=date(2026, 9, 2), today=date(2026, 9, 2), settled=False, settlement="")
        )
    assert again.value.status == 409


async def test_simplified_then_converted_and_refusals_name_the_field(db, ctx, file_application) -> None:
    case = await _accepted(db, ctx, file_application, date(2026, 9, 10))
    assert case.award_due_on == date(2026, 10, 26)
    with refusal() as unknown:  # no provincial average wage configured
        await _run(
            db,
            case,
            cmd.simplified(
                ctx,
                grounds=["amount_within_average_wage"],
                exclusions=[],
                on=date(2026, 9, 11),
                today=date(2026, 9, 11),
            ),
        )
    assert unknown.value.status == 422 and unknown.value.errors[0].field == "grounds"
    case = await _run(
        db,
        case,
        cmd.simplified(ctx, grounds=["clear_facts"], exclusions=[], on=date(2026, 9, 11), today=date(2026, 9, 11)),
    )
    panel = [Seat("arbr-4103-01", "presiding"), Seat("arbr-4103-02", "member"), Seat("arbr-4103-03", "member")]
    with refusal() as sole:
        await _run(db, case, steps.tribunal(ctx, mode="panel", seats=panel, complex_case=False, on=date(2026, 9, 12)))
    assert sole.value.code == "arbitration.simplified_sole"
    case = await _run(
        db,
        case,
        steps.tribunal(
            ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=date(2026, 9, 12)
        ),
    )
    case = await _run(db, case, cmd.conversion(on=date(2026, 10, 9), reason="需要工伤鉴定", today=date(2026, 10, 9)))
    assert case.status == "ACCEPTED" and case.award_due_on == date(2026, 10, 26)  # from the original acceptance
    (converted,) = await db.outbox(f"{ARB}procedure.converted.v1")
    assert converted["award_due_on"] == "2026-10-26"


async def test_provisional_execution_and_a_partial_award_taking_effect_by_scan(db, ctx, file_application) -> None:
    claims = [
        ClaimSummary(category="labor_remuneration", amount_fen=1_860_000),
        ClaimSummary(category="labor_contract"),
    ]
    case = await _accepted(db, ctx, file_application, date(2026, 9, 10), claims=claims)
    case = await _run(
        db,
        case,
        steps.tribunal(
            ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=date(2026, 9, 11)
        ),
    )
    case = await _run(
        db,
        case,
        cmd.provisional_execution(
            items=[ProvisionalItem(category="labor_remuneration", amount_fen=1_860_000)],
            rights_clear=True,
            living_seriously_affected=True,
            court_name="洛阳市洛龙区人民法院",
            on=date(2026, 9, 14),
            today=date(2026, 9, 14),
        ),
    )
    (ruled,) = await db.outbox(f"{ARB}provisional_execution.ruled.v1")
    assert ruled["granted"] and ruled["transferred_to_court"] and ruled["suable"] is False
    assert ruled["case_number"] == case.case_number and ruled["division_code"] == "410311"

    items = [{"category": "labor_contract", "description": "恢复劳动关系"}]
    case = await _run(db, case, cmd.partial_award(ctx, items=items, on=date(2026, 9, 18), today=date(2026, 9, 18)))
    (part,) = case.procedure["partial_awards"]
    assert part["award_type"] == "non_final"
    case = await _run(
        db, case, cmd.partial_service(ctx, part_id=part["id"], on=date(2026, 9, 20), today=date(2026, 9, 20))
    )
    assert await scan(uow_factory=db.uow, today=date(2026, 10, 8)) == 0  # suit due 10-08 (National Day roll)
    assert await scan(uow_factory=db.uow, today=date(2026, 10, 9)) == 1
    assert await scan(uow_factory=db.uow, today=date(2026, 10, 10)) == 0
    (took,) = await db.outbox(f"{ARB}partial_award.effective.v1")
    assert took["part_id"] == part["id"] and took["effective_on"] == "2026-10-09"


async def test_publication_postponement_and_deemed_withdrawal(db, ctx, file_application) -> None:
    case = await _accepted(db, ctx, file_application, date(2026, 9, 1))
    assert case.award_due_on == date(2026, 10, 16)
    case = await _run(
        db,
        case,
        cmd.publication(ctx, document="application_copy", published_on=date(2026, 9, 5), today=date(2026, 9, 5)),
    )
    # deemed served Thu 10-08 (30 days to 10-05, in National Day: 民诉法 Arts. 85, 95), 33 days left out
    assert case.award_due_on == date(2026, 11, 18) and case.defence_due_on == date(2026, 10, 19)
    case = await _run(
        db,
        case,
        steps.tribunal(
            ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=date(2026, 10, 9)
        ),
    )
    case = await _run(
        db, case, steps.hearing(ctx, hearing_on=date(2026, 10, 20), notice_on=date(2026, 10, 9), venue="第一仲裁庭")
    )
    new = NewHearing(hearing_on=date(2026, 10, 30), notice_on=date(2026, 10, 16), venue="第一仲裁庭")
    case = await _run(
        db,
        case,
        cmd.postponement(
            ctx,
            requested_by="worker",
            requested_on=date(2026, 10, 16),
            reason="住院治疗",
            granted=True,
            new=new,
            today=date(2026, 10, 16),
        ),
    )
    assert case.award_due_on == date(2026, 11, 18)  # postponement pauses nothing
    case = await _run(
        db, case, cmd.deemed_withdrawal(ctx, on=date(2026, 10, 30), today=date(2026, 10, 30), reason="未到庭")
    )
    assert case.status == "DEEMED_WITHDRAWN"
    (postponed,) = await db.outbox(f"{ARB}hearing.postponed.v1")
    assert postponed["previous_hearing_on"] == "2026-10-20" and postponed["award_due_on"] == "2026-11-18"
    (absent,) = await db.outbox(f"{ARB}party.absent.v1")
    assert absent["party"] == "applicant" and absent["hearing_on"] == "2026-10-30"
    (closed,) = await db.outbox(f"{ARB}case.closed.v1")
    assert closed["reason"] == "deemed_withdrawn" and closed["clocks_closed"] == ["award"]
