"""Extending a case's mediation period by the parties' agreement (rules in domain/extension.py):
the extension is stored with who agreed, the case's clock moves, and the event tells the worker's
status page and every service that follows the clock."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, insert, select

from labornet_common.auth import Principal
from labornet_common.events import utcnow
from labornet_common.uow import UnitOfWork
from labornet_mediation.adapters.orm import mediation_extensions
from labornet_mediation.domain.enterprise import ENTERPRISE, acceptance_due_on
from labornet_mediation.domain.extension import ExtensionAgreement, check_extension, extended_due_on
from labornet_mediation.service.action import commit_case, load_for_action
from labornet_mediation.service.context import MediationContext


async def extended_days(uow: UnitOfWork, case_id: str) -> list[int]:
    """The days added by each extension of the case, in the order agreed."""
    t = mediation_extensions.c
    query = select(t.extra_days).where(t.case_id == case_id).order_by(t.recorded_at, t.extension_id)
    return [int(n) for n in (await uow.session.execute(query)).scalars()]


async def extend(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, case_id: str, agreement: ExtensionAgreement
) -> None:
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        t = mediation_extensions.c
        before = await uow.session.scalar(select(func.coalesce(func.sum(t.extra_days), 0)).where(t.case_id == case_id))
        check_extension(
            agreement,
            due_on=case.due_on,
            today=ctx.today(),
            extended_days=int(before or 0),
            max_days=ctx.max_extension_days,
        )
        previous = case.due_on
        due = extended_due_on(previous, agreement.extra_days, ctx.calendar)
        case.extend_period(
            extra_days=agreement.extra_days, new_due_on=due, agreed_on=agreement.agreed_on, note=agreement.note
        )
        await uow.session.execute(
            insert(mediation_extensions).values(
                extension_id=str(uuid.uuid4()),
                case_id=case_id,
                extra_days=agreement.extra_days,
                previous_due_on=previous,
                due_on=due,
                agreed_on=agreement.agreed_on,
                worker_agrees=agreement.worker_agrees,
                employer_agrees=agreement.employer_agrees,
                note=agreement.note,
                recorded_by=principal.subject,
                recorded_at=utcnow(),
            )
        )
        await commit_case(uow, case)


async def extensions_of(uow: UnitOfWork, case_id: str) -> list[dict[str, Any]]:
    t = mediation_extensions
    query = select(t).where(t.c.case_id == case_id).order_by(t.c.recorded_at, t.c.extension_id)
    return [dict(r._mapping) for r in (await uow.session.execute(query)).all()]


async def clock_details(ctx: MediationContext, uow: UnitOfWork, case: dict[str, Any]) -> dict[str, Any]:
    """The extensions agreed, the centre's kind and, at an enterprise committee, the last day
    to decide on acceptance (人社部令17号: 3 working days)."""
    centre = ctx.directory.centre(case["centre_id"]) if case.get("centre_id") else None
    kind = centre.kind if centre else None
    return {
        "extensions": await extensions_of(uow, case["case_id"]),
        "centre_kind": kind,
        "acceptance_due_on": acceptance_due_on(case["received_on"], ctx.calendar) if kind == ENTERPRISE else None,
    }
