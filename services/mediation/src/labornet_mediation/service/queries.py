"""Reading mediation cases through the caller's eyes: out of reach is the same as missing."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from labornet_common.contracts.mediation import AgreementTerm
from labornet_common.platform.pagination import Cursor, PageRequest
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal, Role
from labornet_mediation.adapters import case_details, repository
from labornet_mediation.domain import policy
from labornet_mediation.domain.clocks import clock_view
from labornet_mediation.domain.document import AgreementDocument
from labornet_mediation.service import extension
from labornet_mediation.service.context import MediationContext


@dataclass(frozen=True)
class CasePage:
    items: list[dict[str, Any]]
    next_cursor: str | None


def _readable(principal: Principal, case: dict[str, Any]) -> bool:
    return policy.can_read(
        principal,
        case_id=case["case_id"],
        division_code=case["division_code"],
        assigned_to=case["assigned_to"],
    )


def _summary(ctx: MediationContext, row: Any) -> dict[str, Any]:
    case = dict(row._mapping)
    # The clock matters while mediation runs; afterwards it shows how it ended, not a countdown.
    running = case["status"] in ("RECEIVED", "ACCEPTED", "MEDIATING")
    clock = asdict(clock_view(case["due_on"], ctx.today(), warn_days=ctx.warn_days))
    case["clock"] = clock if running else {**clock, "days_left": None, "status": "stopped"}
    case["days_left"] = case["clock"]["days_left"]
    tribunal = ctx.directory.tribunal_of_centre(case["centre_id"]) if case["centre_id"] else None
    case["tribunal_id"] = tribunal.id if tribunal else None
    return case


async def get_case(
    *, uow: UnitOfWork, principal: Principal, case_id: str, ctx: MediationContext | None = None
) -> dict[str, Any] | None:
    ctx = ctx or MediationContext()
    async with uow:
        row = await repository.get(session=uow.session, case_id=case_id)
        if row is None or not _readable(principal, dict(row._mapping)):
            return None
        case = _summary(ctx, row)
        case["claims"], case["history_zh"] = await repository.lists_of(session=uow.session, case_id=case_id)
        case.update(await _details(uow, case_id, staff=Role.worker not in principal.roles))
        case.update(await extension.clock_details(ctx, uow, case))
    return case


async def _details(uow: UnitOfWork, case_id: str, *, staff: bool) -> dict[str, Any]:
    records = await case_details.records_of(uow.session, case_id, staff=staff)
    details: dict[str, Any] = {
        "sessions": records.sessions,
        "agreement": _with_items(records.agreements[0]) if records.agreements else None,
        "transfer": records.transfers[0] if records.transfers else None,
    }
    if staff:  # internal working papers: not shown to the worker
        details["notes"] = records.notes
        details["recusals"] = records.recusals
    return details


def _with_items(agreement: dict[str, Any]) -> dict[str, Any]:
    """The agreement with its terms numbered from 1, each with where it stands."""
    states = agreement.get("term_states") or []
    items = []
    for number, term in enumerate(agreement["terms"], start=1):
        state = states[number - 1] if len(states) >= number else {"status": _legacy_status(agreement["status"])}
        items.append({"term_no": number, **term, "state": state})
    return {**agreement, "items": items}


def _legacy_status(agreement_status: str) -> str:
    # An agreement stored before terms had states: its status holds for every term.
    return {"performed": "performed", "breached": "breached"}.get(agreement_status, "pending")


async def list_cases(
    *, uow: UnitOfWork, principal: Principal, page: PageRequest, ctx: MediationContext | None = None
) -> CasePage:
    ctx = ctx or MediationContext()
    async with uow:
        rows = await repository.list_visible(session=uow.session, principal=principal, page=page)
    items = [_summary(ctx, r) for r in rows[: page.limit] if _readable(principal, dict(r._mapping))]
    last = rows[page.limit - 1]._mapping if len(rows) > page.limit else None
    cursor = Cursor(at=last["opened_at"], id=last["case_id"]).encode() if last else None
    return CasePage(items=items, next_cursor=cursor)


async def my_queue(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, by_deadline: bool, limit: int
) -> list[dict[str, Any]]:
    """Open cases assigned to the caller or waiting for someone in their region."""
    async with uow:
        rows = await repository.queue(session=uow.session, principal=principal, by_deadline=by_deadline, limit=limit)
    return [_summary(ctx, r) for r in rows if _readable(principal, dict(r._mapping))]


async def agreement_document(
    *, uow: UnitOfWork, principal: Principal, case_id: str, ctx: MediationContext
) -> AgreementDocument | None:
    case = await get_case(uow=uow, principal=principal, case_id=case_id, ctx=ctx)
    if case is None or case["agreement"] is None:
        return None
    agreement = case["agreement"]
    return AgreementDocument(
        agreement_id=agreement["agreement_id"],
        centre_name=case["centre_name"] or "劳动争议调解组织",
        worker_name=case["worker_name"],
        employer_name=case["employer_name"],
        employer_uscc=case["employer_uscc"],
        facts=case["facts"],
        terms=[AgreementTerm.model_validate(t) for t in agreement["terms"]],
        effective_on=agreement["effective_on"],
    )
