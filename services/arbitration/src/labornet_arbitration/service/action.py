"""One change to one application: load in scope, check the role, apply, save, commit.

A read outside the caller's scope answers 404 like a missing application; a caller who may
read but not act gets 403; a concurrent change to the same application (optimistic lock)
answers 409 and rolls everything back, docket number too. A rule's refusal (the domain's
CaseRuleError) rolls back too, and the platform's one handler of domain errors answers it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from labornet_arbitration.adapters import repository
from labornet_arbitration.domain import documents as drafts
from labornet_arbitration.domain import policy
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.service import documents, worker_prompts
from labornet_common.platform.problems import Conflict, Forbidden, NotFound
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference import organisation_directory
from labornet_common.security.auth import Principal, Role

T = TypeVar("T")


def readable(principal: Principal, case: ArbitrationCase) -> bool:
    return policy.can_read(principal, case_id=case.case_id, divisions=case.divisions)


def actionable(principal: Principal, roles: frozenset[Role], case: ArbitrationCase) -> bool:
    """In region, and for the commission holding it (or one of its 派出仲裁庭)."""
    bodies = organisation_directory().bodies_of_commission(case.commission_id)
    return policy.can_act(principal, roles, divisions=case.divisions, bodies=bodies)


async def change(
    *,
    uow: UnitOfWork,
    principal: Principal,
    application_id: str,
    roles: frozenset[Role],
    apply: Callable[[ArbitrationCase], Awaitable[T]],
) -> tuple[ArbitrationCase, T]:
    async with uow:
        case = await repository.get(session=uow.session, application_id=application_id)
        if case is None or not readable(principal, case):
            raise NotFound()
        if not actionable(principal, roles, case):
            raise Forbidden()
        before = drafts.snapshot(case)
        result = await apply(case)
        # The documents the change calls for (notices, award), in the same transaction.
        await documents.issue_called_for(
            session=uow.session, before=before, case=case, served_by=principal.name or principal.subject
        )
        await worker_prompts.queue(session=uow.session, before=before, case=case, now=datetime.now(UTC))
        try:
            await repository.save(session=uow.session, case=case)
        except repository.StaleCase:
            raise Conflict(detail="the application changed meanwhile; reload and retry") from None
        await uow.commit()
    return case, result
