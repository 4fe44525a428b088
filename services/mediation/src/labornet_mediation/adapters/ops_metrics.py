"""Mediation's business metrics (``labornet_common.platform.metrics``): open cases per status and the
15-day mediation clock (LDA Art. 14) of the cases where it runs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from labornet_common.platform import clock, metrics
from labornet_mediation.adapters.orm import mediation_cases
from labornet_mediation.domain.model import ACTIVE

# A case in one of these is finished for the centre: refused, performed, withdrawn, failed
# (the parties go to arbitration themselves), transferred to arbitration or closed.
FINISHED = ("DECLINED", "PERFORMED", "WITHDRAWN", "FAILED", "TRANSFERRED", "CLOSED")


async def collect(runtime: Any) -> None:
    c = mediation_cases.c
    async with runtime.engine.connect() as conn:
        open_cases = (
            await conn.execute(select(c.status, func.count()).where(c.status.not_in(FINISHED)).group_by(c.status))
        ).all()
        running = (await conn.execute(select(c.due_on).where(c.status.in_(sorted(ACTIVE))))).scalars().all()
    metrics.replace(metrics.OPEN_CASES, {("mediation", s): n for s, n in open_cases}, within=("mediation",))
    metrics.count_clocks("mediation", (("mediation_period", due) for due in running), clock.china_today())
