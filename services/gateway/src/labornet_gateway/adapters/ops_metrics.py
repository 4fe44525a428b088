"""The gateway's business metrics (``labornet_common.platform.metrics``): open disputes across the
network per passport stage (its case index, folded from every service's events) and webhook
deliveries and endpoints by status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from labornet_common.contracts.passport import PENDING
from labornet_common.platform import metrics
from labornet_gateway.adapters.case_index import cases
from labornet_gateway.webhooks.tables import deliveries, endpoints


async def collect(runtime: Any) -> None:
    async with runtime.engine.connect() as conn:
        stages = (
            await conn.execute(
                select(cases.c.stage, func.count())
                .where(cases.c.stage.in_(sorted(PENDING)), cases.c.moved_to.is_(None))
                .group_by(cases.c.stage)
            )
        ).all()
        by_status = (
            await conn.execute(
                select(deliveries.c.status, func.count())
                .where(deliveries.c.status.in_(("pending", "failed")))
                .group_by(deliveries.c.status)
            )
        ).all()
        endpoint_states = (
            await conn.execute(select(endpoints.c.status, func.count()).group_by(endpoints.c.status))
        ).all()
    metrics.replace(metrics.OPEN_CASES, {("network", s): n for s, n in stages}, within=("network",))
    metrics.replace(metrics.WEBHOOK_DELIVERIES, {("pending",): 0, ("failed",): 0, **{(s,): n for s, n in by_status}})
    metrics.replace(metrics.WEBHOOK_ENDPOINTS, {(s,): n for s, n in endpoint_states})
