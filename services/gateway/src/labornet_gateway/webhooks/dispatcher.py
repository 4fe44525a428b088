"""Delivers pending webhooks: signed (Standard Webhooks), in order per endpoint and case,
retried on the published schedule, with every attempt logged.

One dispatcher per gateway database holds the "webhooks" lease. A delivery is taken only when
no earlier delivery of the same case to the same endpoint is still pending, so a receiver that
was down gets everything afterwards in the order it happened.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import and_, exists, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import aliased

from labornet_common.contracts.events import utcnow
from labornet_common.platform import metrics, tracing
from labornet_common.platform.outbox.lease import Lease
from labornet_common.platform.outbox.signal import WorkSignal, wait_for_work
from labornet_common.platform.outbox.tables import MessagingTables
from labornet_common.security.crypto import PiiCipher
from labornet_common.security.webhooks import build_headers
from labornet_gateway.webhooks import store
from labornet_gateway.webhooks.settings import WebhookSettings
from labornet_gateway.webhooks.ssrf import UnsafeTarget, check_target
from labornet_gateway.webhooks.tables import deliveries, endpoints

log = logging.getLogger(__name__)
SECRET_CONTEXT = "gateway.webhook.secret"  # noqa: S105 - an AAD label, not a secret
LEASE_TTL_S = 30.0
# Deliveries queued in this process (a fan-out's commit, a replay) wake the dispatcher at once.
DELIVERIES_QUEUED = WorkSignal()


class WebhookDispatcher:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        tables: MessagingTables,
        settings: WebhookSettings,
        cipher: PiiCipher,
        client: httpx.AsyncClient,
        batch_size: int = 100,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.cipher = cipher
        self.client = client
        self.batch_size = batch_size
        self.lease = Lease(engine=engine, table=tables.leases, name="webhooks", ttl_s=LEASE_TTL_S)
        self._renew_at = 0.0  # monotonic time the lease is next renewed; 0: at the next pass
        self._limit = asyncio.Semaphore(settings.webhook_concurrency)

    async def due(self, now: datetime) -> list[Any]:
        earlier = aliased(deliveries)
        blocked = exists().where(
            and_(
                earlier.c.endpoint_id == deliveries.c.endpoint_id,
                earlier.c.case_id == deliveries.c.case_id,
                earlier.c.status == "pending",
                earlier.c.id < deliveries.c.id,
            )
        )
        query = (
            select(deliveries, endpoints.c.url, endpoints.c.secrets)
            .join(endpoints, endpoints.c.id == deliveries.c.endpoint_id)
            .where(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now)
            .where(endpoints.c.status == "active", ~blocked)
            .order_by(deliveries.c.id)
            .limit(self.batch_size)
        )
        async with self.engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def dispatch_due(self) -> int:
        rows = await self.due(utcnow())
        await asyncio.gather(*(self._attempt(row) for row in rows))
        return len(rows)

    async def _attempt(self, row: Any) -> None:
        async with self._limit:
            started = time.perf_counter()
            status, error = await self._send(row)
            elapsed_ms = int((time.perf_counter() - started) * 1000)
        metrics.WEBHOOK_ATTEMPTS.inc()
        if status is None or not 200 <= status < 300:
            metrics.WEBHOOK_ATTEMPT_FAILURES.labels("unreachable" if status is None else "refused").inc()
        async with self.engine.begin() as conn:
            await store.settle_attempt(
                conn,
                row=row,
                status_code=status,
                error=error,
                duration_ms=elapsed_ms,
                disable_after_s=self.settings.webhook_disable_after_s,
            )

    async def _send(self, row: Any) -> tuple[int | None, str | None]:
        try:
            await check_target(row.url, self.settings.allowed_hosts())
        except UnsafeTarget as exc:
            return None, f"unsafe target: {exc.reason}"
        payload = json.dumps(row.body, ensure_ascii=False, separators=(",", ":")).encode()
        secrets = [self.cipher.decrypt(s, context=SECRET_CONTEXT) for s in row.secrets]
        headers = build_headers(msg_id=row.event_id, timestamp=int(time.time()), payload=payload, secrets=secrets)
        headers["content-type"] = "application/json"
        try:
            with tracing.delivering(
                endpoint_id=row.endpoint_id,
                event_id=row.event_id,
                event_type=row.event_type,
                subject=row.case_id,
                traceparent=row.body.get("traceparent"),
            ):
                response = await self.client.post(
                    row.url,
                    content=payload,
                    headers=headers,
                    timeout=self.settings.webhook_timeout_s,
                    follow_redirects=False,
                )
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"[:500]
        return response.status_code, None if response.is_success else response.text[:500]

    async def _hold_lease(self) -> bool:
        """The lease, renewed once a third of its time has passed (not on every pass)."""
        if time.monotonic() < self._renew_at:
            return True
        if not await self.lease.acquire():
            self._renew_at = 0.0
            return False
        self._renew_at = time.monotonic() + LEASE_TTL_S / 3
        return True

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop``. With nothing due the wait doubles from the poll interval up
        to ``webhook_idle_max_s``; deliveries queued in this process (fan-out, replay) end it."""
        poll = self.settings.webhook_poll_interval_s
        idle = poll
        while not stop.is_set():
            try:
                sent = await self.dispatch_due() if await self._hold_lease() else 0
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("webhook dispatch failed; retrying")
                self._renew_at = 0.0
                sent = 0
            if sent:
                idle = poll
                continue
            woken = await wait_for_work(stop, DELIVERIES_QUEUED, idle)
            idle = poll if woken else min(idle * 2, max(poll, self.settings.webhook_idle_max_s))
        await self.lease.release()


async def replay(engine: AsyncEngine, delivery_id: int) -> bool:
    """Queue a delivery again (any status) for an immediate attempt; its log is kept."""
    async with engine.begin() as conn:
        result = await conn.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id)
            .values(status="pending", next_attempt_at=utcnow(), completed_at=None)
        )
    DELIVERIES_QUEUED.notify()
    return bool(result.rowcount)
