"""Webhook bookkeeping: an attempt's outcome (the delivery, its endpoint's health, the attempt log),
and the delivery log and admin notices as administrators read them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from labornet_common.contracts.events import utcnow
from labornet_gateway.webhooks.schedule import next_delay
from labornet_gateway.webhooks.tables import attempts, deliveries, endpoints, notices


async def settle_attempt(
    conn: AsyncConnection,
    *,
    row: Any,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
    disable_after_s: float,
) -> None:
    now = utcnow()
    await conn.execute(
        insert(attempts).values(
            delivery_id=row.id,
            attempted_at=now,
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
        )
    )
    tries = row.attempts + 1
    values: dict[str, Any] = {"attempts": tries, "last_status_code": status_code, "last_error": error}
    if status_code is not None and 200 <= status_code < 300:
        values.update(status="succeeded", completed_at=now)
        await conn.execute(update(endpoints).where(endpoints.c.id == row.endpoint_id).values(failing_since=None))
    elif status_code == 410:
        # Standard Webhooks: 410 Gone means the receiver wants no more deliveries.
        values.update(status="cancelled", completed_at=now)
        await disable_endpoint(conn, endpoint_id=row.endpoint_id, reason="receiver answered 410 Gone")
    else:
        delay = next_delay(tries)
        if delay is None:
            values.update(status="failed", completed_at=now)
        else:
            values["next_attempt_at"] = now + delay
        await _note_failure(conn, endpoint_id=row.endpoint_id, disable_after_s=disable_after_s)
    await conn.execute(update(deliveries).where(deliveries.c.id == row.id).values(**values))


async def _note_failure(conn: AsyncConnection, *, endpoint_id: str, disable_after_s: float) -> None:
    since = await conn.scalar(select(endpoints.c.failing_since).where(endpoints.c.id == endpoint_id))
    now = utcnow()
    if since is None:
        await conn.execute(update(endpoints).where(endpoints.c.id == endpoint_id).values(failing_since=now))
        return
    if since.tzinfo is None:
        since = since.replace(tzinfo=now.tzinfo)
    if now - since >= timedelta(seconds=disable_after_s):
        await disable_endpoint(
            conn, endpoint_id=endpoint_id, reason=f"no successful delivery since {since.isoformat()}"
        )


async def disable_endpoint(conn: AsyncConnection, *, endpoint_id: str, reason: str) -> None:
    now = utcnow()
    await conn.execute(
        update(endpoints)
        .where(endpoints.c.id == endpoint_id, endpoints.c.status == "active")
        .values(status="disabled", disabled_reason=reason)
    )
    await conn.execute(
        update(deliveries)
        .where(deliveries.c.endpoint_id == endpoint_id, deliveries.c.status == "pending")
        .values(status="cancelled", completed_at=now, last_error="endpoint disabled")
    )
    await conn.execute(
        insert(notices).values(
            kind="webhook_endpoint_disabled",
            subject=endpoint_id,
            message_zh=f"推送地址已停用：{reason}",
            message_en=f"Webhook endpoint disabled: {reason}",
            created_at=now,
        )
    )


async def delivery_log(
    conn: AsyncConnection, *, endpoint_id: str, status: str | None, limit: int
) -> list[dict[str, Any]]:
    """An endpoint's latest deliveries (without their bodies), each with every attempt."""
    query = select(deliveries).where(deliveries.c.endpoint_id == endpoint_id)
    if status:
        query = query.where(deliveries.c.status == status)
    rows = (await conn.execute(query.order_by(deliveries.c.id.desc()).limit(limit))).all()
    tries = (
        await conn.execute(
            select(attempts).where(attempts.c.delivery_id.in_([r.id for r in rows])).order_by(attempts.c.id)
        )
    ).all()
    by_delivery: dict[int, list[dict[str, Any]]] = {}
    for t in tries:
        by_delivery.setdefault(t.delivery_id, []).append(
            {"at": t.attempted_at, "status_code": t.status_code, "error": t.error, "duration_ms": t.duration_ms}
        )
    return [
        {k: v for k, v in r._mapping.items() if k != "body"} | {"attempt_log": by_delivery.get(r.id, [])} for r in rows
    ]


async def recent_notices(
    conn: AsyncConnection, *, limit: int, subjects: list[str] | None = None
) -> list[dict[str, Any]]:
    """The latest notices; only those about ``subjects`` when given."""
    query = select(notices)
    if subjects is not None:
        query = query.where(notices.c.subject.in_(subjects))
    rows = (await conn.execute(query.order_by(notices.c.id.desc()).limit(limit))).all()
    return [dict(r._mapping) for r in rows]
