"""Applications arriving: from intake, from a mediation transfer, filed directly, or referred.

Each origin has one key (``source_key``); a second arrival of the same origin (a redelivered or
re-sent event, a retried request) finds the application the first one made.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from labornet_arbitration.adapters import repository
from labornet_arbitration.domain.jurisdiction import employer_key
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.service import same_dispute
from labornet_arbitration.service.context import ArbitrationContext
from labornet_common.contracts.arbitration import ApplicantSide, Source
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import utcnow
from labornet_common.platform.uow import UnitOfWork


@dataclass(frozen=True)
class NewApplication:
    case_id: str
    source: Source
    source_key: str
    division_code: str
    commission_id: str
    received_on: date
    worker_name: str
    employer_name: str
    tribunal_id: str | None = None
    worker_count: int = 1
    collective: bool = False
    employer_uscc: str | None = None
    employer_division: str | None = None
    facts: str = ""
    claims: list[ClaimSummary] = field(default_factory=list)
    applicant_side: ApplicantSide = "worker"
    worker_keys: list[str] = field(default_factory=list)
    worker_id_masked: str | None = None
    worker_phone_masked: str | None = None
    sealed: dict[str, Any] = field(default_factory=dict)  # PII columns, sealed by the caller


def _values(ctx: ArbitrationContext, new: NewApplication) -> dict[str, Any]:
    commission = ctx.directory.commission(new.commission_id)
    if commission is None:
        raise LookupError(new.commission_id)
    values = {k: v for k, v in new.__dict__.items() if k not in ("claims", "sealed")}
    return {
        **values,
        "employer_key": employer_key(uscc=new.employer_uscc, name=new.employer_name),
        "application_id": str(uuid.uuid4()),
        "commission_division": commission.seat_division,
        "claims": [c.model_dump(mode="json") for c in new.claims],
        "created_at": utcnow(),
    }


async def receive_in(*, uow: UnitOfWork, ctx: ArbitrationContext, new: NewApplication) -> ArbitrationCase:
    """Inside an open unit of work (a consumer's, or a referral's): find or create. The same
    dispute pending at another commission is settled here (same_dispute.py), under the
    employer's lock row."""
    existing = await repository.by_source(session=uow.session, source_key=new.source_key)
    if existing is not None:
        return existing
    case = ArbitrationCase.receive(calendar=ctx.calendar, **_values(ctx, new))
    await repository.add(session=uow.session, case=case, sealed=new.sealed)
    if case.source != "referral" and await same_dispute.settle(uow=uow, ctx=ctx, case=case, on=case.received_on):
        await repository.save(session=uow.session, case=case)
    return case


async def receive(*, uow: UnitOfWork, ctx: ArbitrationContext, new: NewApplication) -> tuple[ArbitrationCase, bool]:
    """Open a unit of work, find or create, commit; True when this call created it."""
    async with uow:
        existing = await repository.by_source(session=uow.session, source_key=new.source_key)
        if existing is not None:
            return existing, False
        case = await receive_in(uow=uow, ctx=ctx, new=new)
        await uow.commit()
    return case, True
