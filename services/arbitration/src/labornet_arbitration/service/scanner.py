"""The clock scanner: overdue acceptance and award clocks, and non-final awards (and partial
awards) taking effect.

Runs as a periodic job of the service (``clock_scan_interval_s``; 0: off) and can be called directly with a
given ``today``. Each application is changed in its own transaction under the optimistic lock,
and each clock carries its own "already reported" date, so two scanners racing, or one scanning
twice, report a clock exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from labornet_arbitration.adapters import procedure_queries, repository
from labornet_arbitration.domain import outcomes, procedures
from labornet_common.platform.clock import china_today
from labornet_common.platform.uow import UnitOfWork

log = logging.getLogger(__name__)


async def scan(*, uow_factory: Callable[[], UnitOfWork], today: date) -> int:
    """Apply every clock that ran out by ``today``; returns how many applications changed."""
    async with uow_factory() as uow:
        candidates = await repository.due_for_scan(session=uow.session, today=today)
        partial = await procedure_queries.with_served_partial_awards(session=uow.session)
    changed = 0
    for application_id in sorted(set(candidates) | set(partial)):
        changed += await _scan_one(uow_factory(), application_id, today)
    return changed


async def _scan_one(uow: UnitOfWork, application_id: str, today: date) -> int:
    async with uow:
        case = await repository.get(session=uow.session, application_id=application_id)
        if case is None:
            return 0
        fired = [
            outcomes.acceptance_overdue(case, today=today),
            outcomes.award_overdue(case, today=today),
            outcomes.nonfinal_takes_effect(case, today=today),
            procedures.partial_awards_take_effect(case, today=today),  # LDA Art. 43 ¶2, Art. 50
        ]
        if not any(fired):
            return 0
        try:
            await repository.save(session=uow.session, case=case)
        except repository.StaleCase:
            return 0  # someone else changed it first; the next scan looks again
        await uow.commit()
    return 1


async def run(_ctx: object, uow_factory: Callable[[], UnitOfWork]) -> None:
    """One pass of the periodic job main.py declares, on today's date in China."""
    await scan(uow_factory=uow_factory, today=china_today())
