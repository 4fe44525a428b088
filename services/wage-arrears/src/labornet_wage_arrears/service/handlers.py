"""Consumer handlers: every case event becomes case facts, then the employer's picture is
refreshed. Types the desk does not use are ignored (the consumer records them as such)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from labornet_common.bus.consumer import Handler, handles
from labornet_common.events import Envelope, EventData, utcnow
from labornet_common.uow import UnitOfWork
from labornet_wage_arrears.adapters import repository
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.domain.facts import CaseFacts
from labornet_wage_arrears.domain.projection import APPLIERS, apply
from labornet_wage_arrears.service.engine import refresh

Clock = Callable[[], datetime]


async def apply_case_event(
    *, uow: UnitOfWork, case_id: str, event: EventData, now: datetime, book: RuleBook
) -> None:
    session = uow.session
    facts = await repository.get_case(session=session, case_id=case_id)
    new = facts is None
    facts = facts or CaseFacts(case_id=case_id)
    before = (facts.employer_key, facts.region)
    if not apply(facts, event):
        return
    await repository.save_case(session=session, facts=facts, now=now, new=new)
    # A case that learns its USCC moves from the name-keyed picture to the code-keyed one.
    for employer_key, region in sorted({before, (facts.employer_key, facts.region)}):
        if employer_key and region:
            await refresh(uow=uow, employer_key=employer_key, region=region, now=now, book=book)


def make_handlers(book: RuleBook, clock: Clock = utcnow) -> dict[str, Handler]:
    async def handle(uow: UnitOfWork, envelope: Envelope, event: Any) -> None:
        case_id = getattr(event, "case_id", None) or envelope.subject
        await apply_case_event(uow=uow, case_id=case_id, event=event, now=clock(), book=book)

    return {handles(cls): handle for cls in APPLIERS}
