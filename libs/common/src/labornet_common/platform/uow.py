"""Unit of work: the only place that commits, and the place where events enter the outbox.

Aggregates record events (``pull_events()``); handlers may also record events directly with
``uow.record``. On ``commit()`` the events are numbered and written to the outbox in the same
database transaction as the state change, so a state change never exists without its event.

Nobody tracks aggregates by hand: a repository calls ``register(session, aggregate)`` for every
aggregate it loads or adds, and the unit of work that owns the session collects its events.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from labornet_common.contracts.events import EventData
from labornet_common.platform.context import traceparent_var
from labornet_common.platform.outbox import MessagingTables, PendingEvent, append_events
from labornet_common.platform.outbox.signal import outbox_signal


class RecordsEvents(Protocol):
    def pull_events(self) -> list[PendingEvent]: ...


_OWNER = "labornet.unit_of_work"  # the key of the owning unit of work in ``AsyncSession.info``
_TRANSACTION_STATE = "labornet.transaction_state"


def transaction_state(session: AsyncSession, name: str) -> dict[Any, Any]:
    """A dict named ``name`` that lives as long as the session's transaction: what a repository
    remembers of what this transaction read or wrote (the rows as stored, see ``stored``). A
    rollback forgets it, so nothing remembered outlives the state it describes."""
    states: dict[str, dict[Any, Any]] = session.info.setdefault(_TRANSACTION_STATE, {})
    return states.setdefault(name, {})


def commit_state(session: AsyncSession, name: str) -> dict[Any, Any]:
    """A ``transaction_state`` forgotten when the transaction commits too: what holds for this
    transaction only (the rows it locked, the instances it holds, work queued for its commit),
    where the rows remembered as stored (``stored``) outlive a commit they were written in."""
    state = transaction_state(session, name)
    if not state:
        after_commit(session, state.clear)
    return state


def register(session: AsyncSession, aggregate: RecordsEvents) -> None:
    """Repositories call this for every aggregate they load or add: the unit of work that owns
    ``session`` collects the aggregate's events when it commits. A session no unit of work owns
    (a read outside one) keeps nothing."""
    owner = session.info.get(_OWNER)
    if isinstance(owner, UnitOfWork):
        owner.track(aggregate)


def after_commit(session: AsyncSession, action: Callable[[], None]) -> None:
    """The unit of work that owns ``session`` runs ``action`` once it has committed (never if it
    rolls back): for code that holds the session only, like a store queueing work for a job
    (``job_signal``). A session no unit of work owns runs nothing."""
    owner = session.info.get(_OWNER)
    if isinstance(owner, UnitOfWork):
        owner.after_commit(action)


class UnitOfWork:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        *,
        source: str,
    ) -> None:
        self._factory = session_factory
        self.tables = tables
        self.source = source
        self._pending: list[PendingEvent] = []
        self._tracked: dict[int, RecordsEvents] = {}  # by identity, in the order first seen
        self._after_commit: list[Callable[[], None]] = []
        # key -> (action, the trace it was asked for in)
        self._before_commit: dict[tuple[str, ...], tuple[Callable[[], Awaitable[None]], str | None]] = {}
        self._session: AsyncSession | None = None
        self.committed_event_ids: list[str] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside 'async with'")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._factory()
        self._session.info[_OWNER] = self
        await self._session.begin()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        assert self._session is not None
        try:
            if self._session.in_transaction():
                await self._session.rollback()
        finally:
            self._session.info.pop(_OWNER, None)
            await self._session.close()
            self._session = None
            self._pending.clear()
            self._tracked.clear()
            self._after_commit.clear()
            self._before_commit.clear()

    def track(self, aggregate: RecordsEvents) -> None:
        """Collect the aggregate's recorded events when the unit of work commits (repositories
        do this through ``register``; an aggregate kept outside a repository may use it)."""
        self._tracked.setdefault(id(aggregate), aggregate)

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the transaction has committed (never if it rolls back): for
        in-memory state that must follow the database, like the process's legal calendar."""
        self._after_commit.append(action)

    def before_commit(self, key: tuple[str, ...], action: Callable[[], Awaitable[None]]) -> None:
        """Run ``action`` once, just before the transaction commits, however often it is asked
        for under ``key`` (the last one asked runs, in the trace it was asked in): work that
        several changes of one transaction need once, like the picture of an employer whose
        cases a consumer batch changed. Actions run in the order of their keys, so transactions
        that lock what they touch lock it in one order."""
        self._before_commit.pop(key, None)
        self._before_commit[key] = (action, traceparent_var.get())

    async def _run_before_commit(self) -> None:
        while self._before_commit:
            key = min(self._before_commit)
            action, trace = self._before_commit.pop(key)
            token = traceparent_var.set(trace)
            try:
                await action()
                self.collect()  # its events, in its trace
            finally:
                traceparent_var.reset(token)

    def record(self, stream_id: str, data: EventData) -> None:
        self._pending.append(PendingEvent(stream_id, data, traceparent_var.get()))

    def collect(self) -> None:
        """Take the tracked aggregates' events now, under the current trace context: a unit of
        work that spans several consumed events keeps each new event in the trace of the one
        that caused it (``commit`` would give them all the trace current at commit)."""
        # A consumer batch collects after each event, over every case it holds: most have
        # nothing new, and those cost a call and no more.
        trace = traceparent_var.get()
        for aggregate in self._tracked.values():
            if events := aggregate.pull_events():
                self._pending.extend(
                    ev if ev.traceparent else PendingEvent(ev.stream_id, ev.data, trace) for ev in events
                )

    async def commit(self) -> None:
        await self._run_before_commit()
        self.collect()
        events = list(self._pending)
        self._pending.clear()
        self.committed_event_ids = await append_events(self.session, self.tables, source=self.source, events=events)
        await self.session.commit()
        if self.committed_event_ids:
            outbox_signal(self.tables.outbox).notify()  # the relay in this process publishes now
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()

    async def rollback(self) -> None:
        self._pending.clear()
        self._after_commit.clear()
        self._before_commit.clear()
        self.session.info.pop(_TRANSACTION_STATE, None)
        await self.session.rollback()
