"""Correction, non-acceptance (with the court-facing event), and referral instead of refusal."""

from __future__ import annotations

from datetime import date

from labornet_arbitration.service import admission_commands as admit
from labornet_common.security.auth import Role
from labornet_common.testing.refusals import refusal
from tests.support.arbitration import staff

CLERK = staff(Role.clerk, "4103")


async def test_a_completed_correction_restarts_receipt_rules_29(db, ctx, file_application) -> None:
    case = await file_application(received_on=date(2026, 9, 22))
    await admit.request_correction(
        uow=db.uow(),
        ctx=ctx,
        principal=CLERK,
        application_id=case.application_id,
        items=["被申请人住所", "身份证件号码"],
        on=date(2026, 9, 24),
    )
    with refusal() as again:
        await admit.complete_correction(
            uow=db.uow(),
            ctx=ctx,
            principal=CLERK,
            application_id=case.application_id,
            on=date(2026, 9, 23),
            today=date(2026, 9, 30),
        )
    assert again.value.status == 422  # completed before the notice was even sent
    done = await admit.complete_correction(
        uow=db.uow(),
        ctx=ctx,
        principal=CLERK,
        application_id=case.application_id,
        on=date(2026, 9, 29),
        today=date(2026, 9, 30),
    )
    assert done.received_on == date(2026, 9, 29) and done.acceptance_due_on == date(2026, 10, 8)
    with refusal() as twice:
        await admit.request_correction(
            uow=db.uow(),
            ctx=ctx,
            principal=CLERK,
            application_id=case.application_id,
            items=["证据"],
            on=date(2026, 9, 30),
        )
    assert twice.value.code == "arbitration.correction_once"


async def test_a_late_correction_notice_is_refused(db, ctx, file_application) -> None:
    case = await file_application(received_on=date(2026, 9, 28))  # notice due 10-08
    with refusal() as late:
        await admit.request_correction(
            uow=db.uow(),
            ctx=ctx,
            principal=CLERK,
            application_id=case.application_id,
            items=["证据"],
            on=date(2026, 10, 9),
        )
    assert late.value.code == "arbitration.correction_late"


async def test_written_non_acceptance_tells_the_court(db, ctx, file_application) -> None:
    case = await file_application()
    await admit.not_accept(
        uow=db.uow(),
        ctx=ctx,
        principal=CLERK,
        application_id=case.application_id,
        reasons=["申请事项不属于劳动争议"],
        on=date(2026, 9, 30),
        today=date(2026, 9, 30),
    )
    (event,) = await db.outbox("cn.labornet.arbitration.application.not_accepted.v1")
    assert event["division_code"] == "410311" and event["commission_id"] == "arb-4103"
    assert event["reasons"] == ["申请事项不属于劳动争议"] and event["decided_on"] == "2026-09-30"


async def test_the_wrong_commission_refers_and_never_refuses(db, ctx, file_application) -> None:
    # 文登 (371003) is served by arb-371003, not by 威海's own commission
    case = await file_application(division_code="371003", commission_id="arb-3710")
    arbitrator = staff(Role.arbitrator, "3710")
    for attempt in (admit.accept, admit.not_accept):
        kwargs = {"reasons": ["无管辖权"]} if attempt is admit.not_accept else {}
        with refusal() as refused:
            await attempt(
                uow=db.uow(),
                ctx=ctx,
                principal=arbitrator,
                application_id=case.application_id,
                on=date(2026, 9, 29),
                today=date(2026, 9, 29),
                **kwargs,
            )
        assert refused.value.code == "arbitration.refer_instead" and "arb-371003" in (refused.value.detail or "")
    with refusal() as wrong:
        await admit.refer(
            uow=db.uow(),
            ctx=ctx,
            principal=arbitrator,
            application_id=case.application_id,
            to_commission_id="arb-371082",
            reason="x",
            on=date(2026, 9, 29),
            today=date(2026, 9, 29),
        )
    assert wrong.value.status == 422
    old, new = await admit.refer(
        uow=db.uow(),
        ctx=ctx,
        principal=arbitrator,
        application_id=case.application_id,
        to_commission_id="arb-371003",
        reason="劳动合同履行地在文登区",
        on=date(2026, 9, 29),
        today=date(2026, 9, 29),
    )
    assert old.status == "REFERRED" and new.commission_id == "arb-371003" and new.source == "referral"
    assert new.case_id == case.case_id and new.acceptance_due_on == date(2026, 10, 8)
    (referred,) = await db.outbox("cn.labornet.arbitration.application.referred.v1")
    assert referred["to_commission_id"] == "arb-371003"


async def test_out_of_scope_is_missing_and_court_liaison_only_reads(db, ctx, file_application) -> None:
    case = await file_application()
    with refusal() as hidden:
        await admit.accept(
            uow=db.uow(),
            ctx=ctx,
            principal=staff(Role.clerk, "3710"),
            application_id=case.application_id,
            on=date(2026, 9, 29),
            today=date(2026, 9, 29),
        )
    assert hidden.value.status == 404
    with refusal() as read_only:
        await admit.accept(
            uow=db.uow(),
            ctx=ctx,
            principal=staff(Role.court_liaison, "4103"),
            application_id=case.application_id,
            on=date(2026, 9, 29),
            today=date(2026, 9, 29),
        )
    assert read_only.value.status == 403
