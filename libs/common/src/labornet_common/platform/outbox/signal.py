"""Wake-ups for the outbox relay and for periodic jobs: a transaction that committed their
work says so in-process.

The relay sleeps while its outbox is empty, with a wait that doubles up to a cap, instead of
polling at a fixed short interval; a unit of work that commits events in the same process
wakes it at once. A relay in another process (``labornet worker``) finds the work at its next
poll, within ``relay_idle_max_s``. A job that backs off when idle (``JobSpec.idle_max_s``)
waits on ``job_signal(name)`` the same way.

A notification is never lost: one that arrives while the relay is busy (not waiting) is kept
and ends its next wait at once. Any event loop may wait and any thread may notify.
"""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import Table


class WorkSignal:
    def __init__(self) -> None:
        self._pending = False
        self._waiters: set[asyncio.Future[None]] = set()
        self._guard = threading.Lock()

    def notify(self) -> None:
        with self._guard:
            self._pending = True
            waiters = list(self._waiters)
        for waiter in waiters:
            try:
                waiter.get_loop().call_soon_threadsafe(_wake, waiter)
            except RuntimeError:  # that loop is closed: its waiter waits no more
                pass

    async def wait(self, timeout_s: float) -> bool:
        """True when notified (now or since the last wait), False after ``timeout_s``."""
        with self._guard:
            if self._pending:
                self._pending = False
                return True
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, timeout_s)
            return True
        except TimeoutError:
            return False
        finally:
            with self._guard:
                self._waiters.discard(waiter)
                self._pending = False


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


_signals: dict[int, tuple[Table, WorkSignal]] = {}
_signals_guard = threading.Lock()


def outbox_signal(outbox: Table) -> WorkSignal:
    """The signal of one outbox table (one per service, shared by its writers and its relay)."""
    with _signals_guard:
        entry = _signals.get(id(outbox))
        if entry is None or entry[0] is not outbox:
            entry = _signals[id(outbox)] = (outbox, WorkSignal())
        return entry[1]


_jobs: dict[str, WorkSignal] = {}


def job_signal(name: str) -> WorkSignal:
    """The signal of the periodic job ``name`` in this process: a commit that queued work for it
    notifies it (``uow.after_commit``), and the job's wait ends at once."""
    with _signals_guard:
        return _jobs.setdefault(name, WorkSignal())


async def wait_for_work(stop: asyncio.Event, signal: WorkSignal, seconds: float) -> bool:
    """True when a commit signalled work; False after ``seconds`` or when stopping."""
    if stop.is_set():
        return False
    stopping = asyncio.ensure_future(stop.wait())
    working = asyncio.ensure_future(signal.wait(seconds))
    try:
        await asyncio.wait((stopping, working), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not working.done():
            working.cancel()
    return working.done() and not working.cancelled() and working.result()
