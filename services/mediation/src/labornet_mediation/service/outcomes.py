"""Use cases of a mediation's ending: agreement, performance, court requests, transfer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from labornet_common.contracts.mediation import AgreementTerm
from labornet_common.platform.problems import InvalidInput
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_mediation.adapters import case_details
from labornet_mediation.domain.agreement import Agreement, RuleBroken
from labornet_mediation.domain.model import MediationCase
from labornet_mediation.domain.outcomes import CourtRequestKind
from labornet_mediation.domain.performance import TermOutcome
from labornet_mediation.domain.routing import transfer_destination
from labornet_mediation.service import documents
from labornet_mediation.service.action import commit_case, load_for_action
from labornet_mediation.service.context import MediationContext

# One transfer per case, whoever asks and however often: the id is derived from the case.
TRANSFER_NAMESPACE = uuid.UUID("5d0f7c1e-3b0a-4f51-9a57-7c3e2f0b9d11")


@dataclass(frozen=True)
class RecordAgreement:
    terms: tuple[AgreementTerm, ...]
    signed_and_sealed: bool
    effective_on: date | None = None


async def record_agreement(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, case_id: str, cmd: RecordAgreement
) -> str:
    # LDA Art. 14: the agreement takes effect once signed by both parties and the mediator and
    # sealed by the centre; an unsigned draft is not an outcome.
    if not cmd.signed_and_sealed:
        raise InvalidInput.at("signed_and_sealed", "mediation.not_signed")
    # Signed and sealed already: it cannot take effect on a day still to come.
    if cmd.effective_on and cmd.effective_on > ctx.today():
        raise InvalidInput.at("effective_on", "mediation.effective_in_future")
    agreement = Agreement(
        agreement_id=str(uuid.uuid4()), effective_on=cmd.effective_on or ctx.today(), terms=list(cmd.terms)
    )
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        case.reach_agreement(agreement)
        await documents.issue_agreement(uow=uow, case=case)  # the 调解协议书, in the same commit
        await commit_case(uow, case)
    return agreement.agreement_id


@dataclass(frozen=True)
class RecordPerformance:
    """The whole agreement (``performed`` with an optional unpaid total), or term by term."""

    performed: bool | None = None
    unpaid_fen: int | None = None
    items: tuple[TermOutcome, ...] = ()


async def record_performance(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, case_id: str, cmd: RecordPerformance
) -> None:
    if not cmd.items and cmd.performed is None:
        raise InvalidInput.at("items", "mediation.items_missing")
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        if cmd.items:
            case.record_term_outcomes(on=ctx.today(), outcomes=list(cmd.items))
        else:
            case.record_performance(on=ctx.today(), performed=bool(cmd.performed), unpaid_fen=cmd.unpaid_fen)
        await commit_case(uow, case)


async def request_court(
    *,
    ctx: MediationContext,
    uow: UnitOfWork,
    principal: Principal,
    case_id: str,
    kind: CourtRequestKind,
    term_nos: list[int] | None = None,
) -> dict[str, Any]:
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        request = case.request_court(kind=kind, on=ctx.today(), calendar=ctx.calendar, term_nos=term_nos)
        await commit_case(uow, case)
    return request


@dataclass(frozen=True)
class TransferResult:
    record: dict[str, Any]
    created: bool


async def transfer(*, ctx: MediationContext, uow: UnitOfWork, principal: Principal, case_id: str) -> TransferResult:
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        return await transfer_loaded(ctx=ctx, uow=uow, case=case)


async def transfer_loaded(*, ctx: MediationContext, uow: UnitOfWork, case: MediationCase) -> TransferResult:
    """Transfer a case loaded in ``uow`` (and commit), or answer the transfer already made."""
    existing = await find_transfer(uow=uow, case_id=case.case_id)
    if existing is not None:
        return TransferResult(existing, created=False)
    to = transfer_destination(
        ctx.directory,
        centre_id=case.centre_id,
        workplace_division=case.workplace_division or case.division_code,
        employer_division=case.employer_division,
    )
    if to is None:
        raise RuleBroken("mediation.no_commission", "no arbitration commission serves the workplace or employer")
    transfer_id, today = str(uuid.uuid5(TRANSFER_NAMESPACE, case.case_id)), ctx.today()
    grounds = case.transfer(transfer_id=transfer_id, to=to, on=today)
    record = {
        "transfer_id": transfer_id,
        "case_id": case.case_id,
        "commission_id": to.commission_id,
        "tribunal_id": to.tribunal_id,
        "venue_name": to.venue_name,
        "grounds": grounds,
        "transferred_on": today,
    }
    await case_details.add_transfer(uow.session, record)
    await commit_case(uow, case)
    return TransferResult(record, created=True)


async def find_transfer(*, uow: UnitOfWork, case_id: str) -> dict[str, Any] | None:
    return await case_details.find_transfer(uow.session, case_id)
