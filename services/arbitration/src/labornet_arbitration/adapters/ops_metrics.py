"""Arbitration's business metrics (``labornet_common.platform.metrics``): open applications per status
and the clocks most watched: the decision to accept (5 days, LDA Art. 29) and the award
(45 days from acceptance, LDA Art. 43; a suspended case's clock is paused, so not counted)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from labornet_arbitration.adapters.orm import applications
from labornet_arbitration.domain.model import ACTIVE
from labornet_common.platform import clock, metrics

# Finished for the commission: refused, referred elsewhere, withdrawn (or deemed so), in effect,
# before the court, or set aside.
FINISHED = ("NOT_ACCEPTED", "REFERRED", "WITHDRAWN", "DEEMED_WITHDRAWN", "EFFECTIVE", "IN_COURT", "SET_ASIDE")


async def collect(runtime: Any) -> None:
    c = applications.c
    async with runtime.engine.connect() as conn:
        open_cases = (
            await conn.execute(select(c.status, func.count()).where(c.status.not_in(FINISHED)).group_by(c.status))
        ).all()
        to_accept = (await conn.execute(select(c.acceptance_due_on).where(c.status == "SUBMITTED"))).scalars().all()
        to_award = (await conn.execute(select(c.award_due_on).where(c.status.in_(sorted(ACTIVE))))).scalars().all()
    metrics.replace(metrics.OPEN_CASES, {("arbitration", s): n for s, n in open_cases}, within=("arbitration",))
    clocks = [("acceptance", due) for due in to_accept] + [("award", due) for due in to_award]
    metrics.count_clocks("arbitration", clocks, clock.china_today())
