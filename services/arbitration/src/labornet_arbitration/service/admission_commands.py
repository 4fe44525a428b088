"""Deciding on an application: correction notice, acceptance with a case number, written
non-acceptance, referral to the competent commission."""

from __future__ import annotations

from datetime import date

from labornet_arbitration.adapters import repository
from labornet_arbitration.domain import admission, docket
from labornet_arbitration.domain.model import ArbitrationCase, CaseRuleError
from labornet_arbitration.domain.policy import DOCKET_ROLES
from labornet_arbitration.service import action, same_dispute
from labornet_arbitration.service.context import ArbitrationContext
from labornet_arbitration.service.intake_commands import NewApplication, receive_in
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.platform.problems import Unprocessable
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal


def _competent_here(ctx: ArbitrationContext, case: ArbitrationCase) -> bool:
    commission = ctx.directory.commission(case.commission_id)
    assert commission is not None
    return admission.is_competent(commission, workplace=case.division_code, employer_division=case.employer_division)


def _refer_instead(ctx: ArbitrationContext, case: ArbitrationCase) -> CaseRuleError:
    # Rules Arts. 9, 31: jurisdiction is no ground to refuse; name where it belongs
    where = [c.id for c in ctx.directory.commissions_serving(case.division_code)]
    return CaseRuleError("arbitration.refer_instead", detail=f"competent commissions: {', '.join(where) or 'none'}")


async def request_correction(
    *,
    uow: UnitOfWork,
    ctx: ArbitrationContext,
    principal: Principal,
    application_id: str,
    items: list[str],
    on: date,
) -> ArbitrationCase:
    async def apply(case: ArbitrationCase) -> None:
        admission.request_correction(case, items=items, on=on, calendar=ctx.calendar)

    return (
        await action.change(
            uow=uow, principal=principal, application_id=application_id, roles=DOCKET_ROLES, apply=apply
        )
    )[0]


async def complete_correction(
    *,
    uow: UnitOfWork,
    ctx: ArbitrationContext,
    principal: Principal,
    application_id: str,
    on: date,
    today: date,
) -> ArbitrationCase:
    async def apply(case: ArbitrationCase) -> None:
        admission.complete_correction(case, on=on, today=today, calendar=ctx.calendar)

    return (
        await action.change(
            uow=uow, principal=principal, application_id=application_id, roles=DOCKET_ROLES, apply=apply
        )
    )[0]


async def accept(
    *,
    uow: UnitOfWork,
    ctx: ArbitrationContext,
    principal: Principal,
    application_id: str,
    on: date,
    today: date,
) -> ArbitrationCase:
    """Accept and docket: the number comes from the counter row, in this same transaction."""

    async def apply(case: ArbitrationCase) -> None:
        case.require("SUBMITTED")
        case.not_before(on, case.received_on, today, "accepted_on")
        if not _competent_here(ctx, case):
            raise _refer_instead(ctx, case)
        commission = ctx.directory.commission(case.commission_id)
        assert commission is not None
        # LDA Art. 21: never a second docket of a dispute pending at another commission
        await same_dispute.settle(uow=uow, ctx=ctx, case=case, on=on, accepting=True)
        seq = await repository.next_docket_number(session=uow.session, commission_id=commission.id, year=on.year)
        number = docket.case_number(ctx.case_number_format, short_name=commission.short_name, year=on.year, seq=seq)
        admission.accept(case, on=on, case_number=number, calendar=ctx.calendar)

    return (
        await action.change(
            uow=uow, principal=principal, application_id=application_id, roles=DOCKET_ROLES, apply=apply
        )
    )[0]


async def not_accept(
    *,
    uow: UnitOfWork,
    ctx: ArbitrationContext,
    principal: Principal,
    application_id: str,
    reasons: list[str],
    on: date,
    today: date,
) -> ArbitrationCase:
    async def apply(case: ArbitrationCase) -> None:
        case.not_before(on, case.received_on, today, "decided_on")
        if case.status in ("SUBMITTED", "NEEDS_CORRECTION") and not _competent_here(ctx, case):
            raise _refer_instead(ctx, case)
        admission.not_accept(case, on=on, reasons=reasons)

    return (
        await action.change(
            uow=uow, principal=principal, application_id=application_id, roles=DOCKET_ROLES, apply=apply
        )
    )[0]


async def refer(
    *,
    uow: UnitOfWork,
    ctx: ArbitrationContext,
    principal: Principal,
    application_id: str,
    to_commission_id: str,
    reason: str,
    on: date,
    today: date,
) -> tuple[ArbitrationCase, ArbitrationCase]:
    """Close here and open at the competent commission, in one transaction (Rules Art. 31)."""
    target = ctx.directory.commission(to_commission_id)
    if target is None:
        raise Unprocessable("arbitration.unknown_commission", field="to_commission_id")

    async def apply(case: ArbitrationCase) -> ArbitrationCase:
        case.not_before(on, case.received_on, today, "referred_on")
        admission.refer(case, to=target, on=on, reason=reason)
        return await receive_in(uow=uow, ctx=ctx, new=_referred(case, to_commission_id, on))

    return await action.change(
        uow=uow, principal=principal, application_id=application_id, roles=DOCKET_ROLES, apply=apply
    )


def _referred(case: ArbitrationCase, to_commission_id: str, on: date) -> NewApplication:
    return NewApplication(
        case_id=case.case_id,
        source="referral",
        source_key=f"referral:{case.application_id}",
        division_code=case.division_code,
        commission_id=to_commission_id,
        received_on=on,
        worker_name=case.worker_name,
        employer_name=case.employer_name,
        worker_count=case.worker_count,
        collective=case.collective,
        employer_uscc=case.employer_uscc,
        employer_division=case.employer_division,
        facts=case.facts,
        claims=[ClaimSummary.model_validate(c) for c in case.claims],
        applicant_side=case.applicant_side,
        worker_keys=case.worker_keys,
        worker_id_masked=case.worker_id_masked,
        worker_phone_masked=case.worker_phone_masked,
    )
