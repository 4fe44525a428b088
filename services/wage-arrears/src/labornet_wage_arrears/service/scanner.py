"""The alert scanner, one pass of the periodic job main.py declares (the platform runs it every
``alert_scan_interval_s``): refresh the pictures of employers whose orders to pay went unpaid past
their limit, then escalate overdue alerts. Nothing else marks those days: only the calendar."""

from __future__ import annotations

import logging
from collections.abc import Callable

from labornet_common.contracts.events import utcnow
from labornet_common.platform.uow import UnitOfWork
from labornet_wage_arrears.service.commands import escalate_overdue, refresh_lapsed_orders
from labornet_wage_arrears.service.context import WageArrearsContext

log = logging.getLogger(__name__)


async def run(ctx: WageArrearsContext, uow_factory: Callable[[], UnitOfWork]) -> None:
    now = utcnow()
    lapsed = await refresh_lapsed_orders(uow_factory=uow_factory, now=now, book=ctx.book)
    if lapsed:
        log.info("refreshed %d employers with orders to pay past their limit", len(lapsed))
    escalated = await escalate_overdue(uow_factory=uow_factory, now=now, book=ctx.book)
    if escalated:
        log.info("escalated %d overdue alerts", len(escalated))
