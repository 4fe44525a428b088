"""One change to one case: load in scope, check the role, apply the rule, save, commit.

A case outside the caller's reach answers 404 like a missing one; a caller who may read but not
act gets 403; a concurrent change (optimistic lock) 409. A broken rule (the domain's
RuleBroken) is answered by the platform's one handler of domain errors.
"""

from __future__ import annotations

from labornet_common.platform.problems import Conflict, Forbidden, NotFound
from labornet_common.platform.uow import UnitOfWork, transaction_state
from labornet_common.security.auth import Principal
from labornet_mediation.adapters import repository
from labornet_mediation.domain import policy
from labornet_mediation.domain.model import MediationCase


async def load_for_action(uow: UnitOfWork, principal: Principal, case_id: str) -> MediationCase:
    """The case, when the caller may work it; otherwise 404 (out of reach reads as missing)."""
    case = await repository.load(session=uow.session, case_id=case_id)
    if case is None or not policy.can_read(
        principal, case_id=case.case_id, division_code=case.division_code, assigned_to=case.assigned_to
    ):
        raise NotFound()
    if not policy.can_act(
        principal,
        case_id=case.case_id,
        division_code=case.division_code,
        assigned_to=case.assigned_to,
        centre_id=case.centre_id,
    ):
        raise Forbidden()
    return case


async def commit_case(uow: UnitOfWork, case: MediationCase) -> None:
    """Save with the version check; the case's events enter the outbox in the same commit."""
    try:
        await repository.save(session=uow.session, case=case)
    except repository.StaleCase:
        raise Conflict("mediation.stale", detail="the case changed meanwhile") from None
    await uow.commit()


_UNSAVED = "mediation.unsaved"  # per transaction: the cases to save before it commits


def save_at_commit(uow: UnitOfWork, case: MediationCase) -> None:
    """Save the case once, just before the transaction commits, however many of a consumer
    batch's events changed it, with every other case the transaction changed
    (``repository.save_all``): they share the instance ``repository.load`` holds for the
    transaction, and each save checks the version it was read at (a conflict fails the batch,
    which is then applied one event at a time)."""
    unsaved: dict[str, MediationCase] = transaction_state(uow.session, _UNSAVED)
    unsaved[case.case_id] = case

    async def write() -> None:
        due = list(unsaved.values())
        unsaved.clear()
        await repository.save_all(session=uow.session, cases=due)

    uow.before_commit(("mediation.cases",), write)
