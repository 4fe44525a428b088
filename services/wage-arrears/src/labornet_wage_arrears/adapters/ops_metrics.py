"""Wage arrears' business metrics (``labornet_common.platform.metrics``): alerts being worked by state and
severity, and their acknowledge and dispatch clocks near or past their limit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from labornet_common.contracts.events import utcnow
from labornet_common.platform import metrics
from labornet_common.platform.clock import CHINA, china_today
from labornet_wage_arrears.adapters.orm import wa_alerts
from labornet_wage_arrears.domain.alerts import ACTIVE


async def collect(runtime: Any) -> None:
    c = wa_alerts.c
    async with runtime.engine.connect() as conn:
        by_state = (
            await conn.execute(
                select(c.state, c.severity, func.count()).where(c.state.in_(ACTIVE)).group_by(c.state, c.severity)
            )
        ).all()
        clocks = (await conn.execute(select(c.clock, c.due_at).where(c.state.in_(ACTIVE), c.due_at.is_not(None)))).all()
    metrics.replace(metrics.WAGE_ARREARS_ALERTS, {(state, severity): n for state, severity, n in by_state})
    today = china_today()
    now = utcnow()
    dues = []
    for clock, due_at in clocks:
        due_at = due_at if due_at.tzinfo else due_at.replace(tzinfo=now.tzinfo)  # SQLite: naive UTC
        dues.append((f"alert_{clock or 'response'}", due_at.astimezone(CHINA).date()))
    metrics.count_clocks("wage-arrears", dues, today)
