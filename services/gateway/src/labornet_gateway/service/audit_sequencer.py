"""The sequencer: drains the gateway's local audit journal into the hash-chained trail, in order.

Requests only append to the local journal (no database, no chain lock); this one task per
gateway takes the chain-head lock once per batch, chains the journal's new lines and moves the
journal's cursor in the same transaction, so each line is chained exactly once even if the
process dies between commit and bookkeeping. A database that is down only delays the drain.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from labornet_common.contracts.events import utcnow
from labornet_common.platform.uow import UnitOfWork
from labornet_gateway.adapters import audit_store
from labornet_gateway.adapters.audit_journal import AuditJournal
from labornet_gateway.domain.audit_journal import JournalLine, backlog

log = logging.getLogger(__name__)
BATCH = 500
# After a wake-up, the sequencer waits this long for more requests before it drains: under load
# one transaction chains the lines of many requests instead of one each. Nothing waits on it
# (the answer left once its line was synced to the journal); only the trail is this much later.
GATHER_S = 0.05
STUCK_AFTER_S = 5.0  # a drain that has not finished for this long with entries waiting: not ready


class AuditSequencer:
    def __init__(self, *, journal: AuditJournal, uow_factory: Callable[[], UnitOfWork]) -> None:
        self.journal = journal
        self._uow_factory = uow_factory
        self._offset = 0
        self.drained_through: int | None = None  # unknown until the trail has answered once
        self.caught_up = False  # everything journaled before the last drain is in the trail
        self.last_error: str | None = None
        self._drained_at = 0.0
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._cursor: _Cursor | None = None  # the journal's cursor as stored, once read

    def notify(self) -> None:
        self._wake.set()

    def backlog(self) -> int:
        """Answered requests this gateway journaled that are not (known to be) in the trail."""
        drained = self.drained_through if self.drained_through is not None else 0
        return backlog(written_through=self.journal.written_through, drained_through=drained)

    def ready(self) -> bool:
        """Caught up since the start, the last drain succeeded, and none is stuck with a backlog."""
        if not self.caught_up or self.last_error is not None:
            return False
        return self.backlog() == 0 or time.monotonic() - self._drained_at < STUCK_AFTER_S

    async def drain(self) -> None:
        """Chain everything journaled so far; raises if the database refuses."""
        async with self._lock:
            try:
                while await self._drain_batch():
                    pass
            except Exception as exc:
                self.last_error, self.caught_up = type(exc).__name__, False
                raise
            self.last_error, self.caught_up, self._drained_at = None, True, time.monotonic()
            if self.drained_through is not None and await asyncio.to_thread(
                self.journal.compact, drained_through=self.drained_through
            ):
                self._offset = 0

    async def _drain_batch(self) -> bool:
        lines, offset = await asyncio.to_thread(self.journal.read_from, self._offset, BATCH)
        if not lines and self.drained_through is not None:
            return False
        now = utcnow()
        self._cursor, cursor = None, self._cursor  # unknown again unless this drain ends well
        async with self._uow_factory() as uow:
            locked = await audit_store.lock_chain(session=uow.session, now=now)
            if cursor is None:
                # Read once: the journal is locked to this process, so its cursor moves only
                # here. After a failed drain (a commit that may or may not have landed) it is
                # read again, so no line is chained twice.
                row = await audit_store.journal_cursor(session=uow.session, journal_id=self.journal.journal_id)
                cursor = _Cursor(row.drained_through, row.lost, stored=True) if row else _Cursor(0, 0, stored=False)
            fresh = [line for line in lines if line.n > cursor.drained]
            if fresh:
                lost = cursor.lost + _skipped(cursor.drained, fresh)
                await audit_store.append_many(
                    session=uow.session, entries=[x.entry for x in fresh], now=now, locked_head=locked
                )
                await audit_store.move_cursor(
                    session=uow.session,
                    journal_id=self.journal.journal_id,
                    drained_through=fresh[-1].n,
                    lost=lost,
                    now=now,
                    exists=cursor.stored,
                )
                await uow.commit()
                cursor = _Cursor(fresh[-1].n, lost, stored=True)
        self._cursor = cursor
        self._offset, self.drained_through = offset, cursor.drained
        return bool(lines)

    async def run(
        self,
        stop: asyncio.Event,
        *,
        idle_s: float = 5.0,
        retry_s: float = 0.5,
        max_backoff_s: float = 5.0,
        gather_s: float = GATHER_S,
    ) -> None:
        """Drain whenever a request is journaled (``notify``), ``gather_s`` after it; otherwise
        every ``idle_s``, or after a failure in waits from ``retry_s`` doubling up to
        ``max_backoff_s``."""
        backoff = retry_s
        while not stop.is_set():
            if self._wake.is_set() and gather_s > 0:
                await _wait_any(stop, seconds=gather_s)
            self._wake.clear()  # before draining: an append during the drain wakes the next wait
            try:
                await self.drain()
                backoff, wait = retry_s, idle_s
            except Exception as exc:
                log.warning("audit journal not drained yet (%d waiting): %s", self.backlog(), exc)
                wait = backoff
                backoff = min(max_backoff_s, backoff * 2)
            await _wait_any(stop, self._wake, seconds=wait)
        await self._final_drain()

    async def _final_drain(self) -> None:
        try:
            await self.drain()
        except Exception:
            log.warning("audit journal left with %d entries; they are chained at the next start", self.backlog())
        self.journal.close()


@dataclass(frozen=True)
class _Cursor:
    drained: int  # the last journal line in the trail
    lost: int  # journal lines found missing
    stored: bool  # the cursor's row exists


def _skipped(drained: int, fresh: list[JournalLine]) -> int:
    """Journal lines missing between the cursor and the fresh lines, and within them."""
    skipped, expected = 0, drained + 1
    for line in fresh:
        skipped += max(0, line.n - expected)
        expected = line.n + 1
    return skipped


async def _wait_any(*events: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
