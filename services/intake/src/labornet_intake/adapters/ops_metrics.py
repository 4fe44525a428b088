"""Intake's business metrics (``labornet_common.platform.metrics``): open complaints per status and the
answer clocks of joint acceptances waiting on another region."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from labornet_common.platform import clock, metrics
from labornet_intake.adapters.orm import complaints, joint_forwards
from labornet_intake.domain.matching import OPEN_STATUSES


async def collect(runtime: Any) -> None:
    async with runtime.engine.connect() as conn:
        open_cases = (
            await conn.execute(
                select(complaints.c.status, func.count())
                .where(complaints.c.status.in_(OPEN_STATUSES))
                .group_by(complaints.c.status)
            )
        ).all()
        answers_due = (
            (await conn.execute(select(joint_forwards.c.answer_due_on).where(joint_forwards.c.status == "pending")))
            .scalars()
            .all()
        )
    metrics.replace(metrics.OPEN_CASES, {("intake", s): n for s, n in open_cases}, within=("intake",))
    metrics.count_clocks("intake", (("joint_acceptance_answer", due) for due in answers_due), clock.china_today())
