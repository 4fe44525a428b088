"""The mediation centres of the caller's region (LDA Art. 10), each with its dispatched
tribunal (派出庭) and parent commission, and the centre's mediators."""

from __future__ import annotations

from typing import Any

from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference import MediationCentre
from labornet_common.security.auth import NATIONWIDE, Principal
from labornet_mediation.adapters import mediators, repository
from labornet_mediation.domain import policy
from labornet_mediation.domain.enterprise import ENTERPRISE, Committee, Composition, check_applicant, committee_view
from labornet_mediation.service.context import MediationContext


def _centre(ctx: MediationContext, centre: MediationCentre) -> dict[str, Any]:
    tribunal = ctx.directory.tribunal_of_centre(centre.id)
    commission = ctx.directory.commission(tribunal.commission_id) if tribunal else None
    if commission is None:
        serving = ctx.directory.commissions_serving(centre.division_code)
        commission = serving[0] if serving else None
    return {
        "centre_id": centre.id,
        "kind": centre.kind,
        "name": centre.name,
        "division_code": centre.division_code,
        "serves": list(centre.serves),
        "industry": centre.industry,
        "tribunal": {"tribunal_id": tribunal.id, "name": tribunal.name, "division_code": tribunal.division_code}
        if tribunal
        else None,
        "commission": {"commission_id": commission.id, "name": commission.name} if commission else None,
        "committee": committee_of(ctx, centre.id),
    }


def check_committee_applicant(
    ctx: MediationContext, centre_id: str, *, employer_uscc: str | None, employer_name: str
) -> None:
    """An enterprise committee opens cases of its own enterprise only (LDA Art. 10); 422 naming
    the employer field otherwise. Other kinds of centre take any employer."""
    centre = ctx.directory.centre(centre_id)
    if centre is None or centre.kind != ENTERPRISE:
        return
    stored = ctx.committees.get(centre_id, {})
    committee = Committee(centre.id, centre.name, stored.get("employer_uscc"), stored.get("employer_name"))
    check_applicant(committee, employer_uscc=employer_uscc, employer_name=employer_name)


def committee_of(ctx: MediationContext, centre_id: str) -> dict[str, Any] | None:
    """An enterprise committee's enterprise, make-up and rules (LDA Art. 10); None for others."""
    centre = ctx.directory.centre(centre_id)
    if centre is None or centre.kind != ENTERPRISE:
        return None
    stored = ctx.committees.get(centre_id, {})
    c = stored.get("composition")
    composition = Composition(c["worker_representatives"], c["employer_representatives"], c["chair"]) if c else None
    committee = Committee(centre.id, centre.name, stored.get("employer_uscc"), stored.get("employer_name"))
    return committee_view(committee, composition)


def list_centres(
    *, ctx: MediationContext, principal: Principal, division: str | None, kind: str | None
) -> list[dict[str, Any]]:
    found = []
    for centre in ctx.directory.centres.values():
        if not policy.can_see_centre(principal, centre.division_code):
            continue
        if division and not (centre.division_code.startswith(division) or division in centre.serves):
            continue
        if kind and centre.kind != kind:
            continue
        found.append(_centre(ctx, centre))
    return sorted(found, key=lambda c: c["centre_id"])


async def get_centre(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, centre_id: str
) -> dict[str, Any] | None:
    centre = ctx.directory.centre(centre_id)
    if centre is None or not policy.can_see_centre(principal, centre.division_code):
        return None
    body = _centre(ctx, centre)
    body["mediators"] = await list_mediators(ctx=ctx, uow=uow, principal=principal, centre_id=centre_id)
    return body


async def list_mediators(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, centre_id: str | None
) -> list[dict[str, Any]]:
    prefixes = None if NATIONWIDE in principal.region_scopes else list(principal.region_scopes)
    if not principal.has_role(*policy.READ_ROLES):
        return []
    async with uow:
        rows = await mediators.in_divisions(session=uow.session, prefixes=prefixes, centre_id=centre_id)
        counts: dict[str, int] = {}
        for centre in {r.centre_id for r in rows}:
            counts.update(await repository.open_case_counts(session=uow.session, centre_id=centre))
    return [
        {
            "mediator_id": r.mediator_id,
            "name": r.name,
            "centre_id": r.centre_id,
            "subject": r.subject,
            "division_code": r.division_code,
            "active": r.active,
            "open_cases": counts.get(r.mediator_id, 0),
        }
        for r in rows
    ]
