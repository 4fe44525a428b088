"""Extending a case's mediation period by the parties' agreement (rules in domain/extension.py):
the extension is stored with who agreed, the case's clock moves, and the event tells the worker's
status page and every service that follows the clock."""

from __future__ import annotations

import uuid
from typing import Any

from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_mediation.adapters import case_details
from labornet_mediation.domain.enterprise import ENTERPRISE, acceptance_due_on
from labornet_mediation.domain.extension import ExtensionAgreement, check_extension, extended_due_on
from labornet_mediation.service.action import commit_case, load_for_action
from labornet_mediation.service.context import MediationContext


async def extended_days(uow: UnitOfWork, case_id: str) -> list[int]:
    """The days added by each extension of the case, in the order agreed."""
    return await case_details.extension_days(uow.session, case_id)


async def extend(
    *, ctx: MediationContext, uow: UnitOfWork, principal: Principal, case_id: str, agreement: ExtensionAgreement
) -> None:
    async with uow:
        case = await load_for_action(uow, principal, case_id)
        before = await case_details.extended_total(uow.session, case_id)
        check_extension(
            agreement,
            due_on=case.due_on,
            today=ctx.today(),
            extended_days=before,
            max_days=ctx.max_extension_days,
        )
        previous = case.due_on
        due = extended_due_on(previous, agreement.extra_days, ctx.calendar)
        case.extend_period(
            extra_days=agreement.extra_days, new_due_on=due, agreed_on=agreement.agreed_on, note=agreement.note
        )
        await case_details.add_extension(
            uow.session,
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
        )
        await commit_case(uow, case)


async def extensions_of(uow: UnitOfWork, case_id: str) -> list[dict[str, Any]]:
    return await case_details.extensions(uow.session, case_id)


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
