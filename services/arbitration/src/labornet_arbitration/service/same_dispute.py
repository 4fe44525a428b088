"""One dispute, one docket: when an application arrives, or is about to be accepted, against an
employer with an application pending at another commission, the rule of jurisdiction.py says
which stays; the other is referred (移送) into it with notice to the parties.

``settle`` takes the employer's lock row (repository.hold_employer) first, so two arrivals or two
acceptances of one dispute take turns and the second sees what the first committed.
"""

from __future__ import annotations

from datetime import date

from labornet_arbitration.adapters import repository
from labornet_arbitration.domain import admission, jurisdiction
from labornet_arbitration.domain.model import ArbitrationCase, CaseRuleError
from labornet_arbitration.messages import NOTICES
from labornet_arbitration.service.context import ArbitrationContext
from labornet_common.platform.problems import Conflict
from labornet_common.platform.uow import UnitOfWork


def _lodged(ctx: ArbitrationContext, case: ArbitrationCase) -> jurisdiction.Lodged:
    commission = ctx.directory.commission(case.commission_id)
    return jurisdiction.Lodged.of(case, commission.service_areas if commission else ())


def _name(ctx: ArbitrationContext, commission_id: str) -> str:
    return ctx.directory.name_of(commission_id) or commission_id


def _notice(ctx: ArbitrationContext, loser: ArbitrationCase, keeper: ArbitrationCase) -> str:
    return NOTICES["same_dispute_referred"].format(
        keeper=_name(ctx, keeper.commission_id), here=_name(ctx, loser.commission_id), applicant=loser.applicant
    )


async def twin_of(*, uow: UnitOfWork, ctx: ArbitrationContext, case: ArbitrationCase) -> ArbitrationCase | None:
    """The application of the same dispute pending at another commission, if any."""
    here = _lodged(ctx, case)
    others = await repository.pending_against(
        session=uow.session, employer_key=case.employer_key, statuses=jurisdiction.PENDING
    )
    return next(
        (
            o
            for o in others
            if o.application_id != case.application_id and jurisdiction.same_dispute(here, _lodged(ctx, o))
        ),
        None,
    )


async def settle(
    *, uow: UnitOfWork, ctx: ArbitrationContext, case: ArbitrationCase, on: date, accepting: bool = False
) -> bool:
    """Refer whichever of ``case`` and its twin gives way; True when there was a twin. Saves
    the twin; the caller saves ``case``. While accepting, ``case`` never moves: giving way is
    refused with 409."""
    if not (case.employer_key and case.worker_keys):
        return False  # nobody identified: nothing to match (same_dispute needs a common worker)
    await repository.hold_employer(session=uow.session, employer_key=case.employer_key)
    twin = await twin_of(uow=uow, ctx=ctx, case=case)
    if twin is None:
        return False
    keep = jurisdiction.keeper(_lodged(ctx, case), _lodged(ctx, twin))
    loser, keeper = (twin, case) if keep.application_id == case.application_id else (case, twin)
    if accepting and loser is case:
        raise CaseRuleError(
            "arbitration.held_elsewhere", detail=f"{keeper.commission_id} holds application {keeper.application_id}"
        )
    day = max(on, case.received_on, twin.received_on)
    admission.refer_to_keeper(loser, keeper, on=day, notice_zh=_notice(ctx, loser, keeper), calendar=ctx.calendar)
    try:
        await repository.save(session=uow.session, case=twin)
    except repository.StaleCase:
        raise Conflict(detail="the other application of this dispute changed meanwhile; retry") from None
    return True
