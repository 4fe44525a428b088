"""Consumer batches on SQLite and PostgreSQL: the records of one fetch are applied in one
transaction, in order, once each, with fewer statements than one transaction per event; a
batch that fails commits nothing and its records are then settled one by one. Readers sharing
one consumer group apply each record in the same transaction, each from its own inbox."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from labornet_common.contracts.events import Envelope, PendingEvent, to_kafka, utcnow
from labornet_common.platform import inbox
from labornet_common.platform.bus.consumer import EventConsumer, Reader, batch_subjects, handles, lanes_of
from labornet_common.platform.db import session_factory
from labornet_common.testing.messaging import (
    TEST_TOPIC,
    Ping,
    case_ids,
    count,
    effects,
    engine_for,
    record_effect,
    tables,
)

TRACE = "00-{:032x}-00f067aa0ba902b7-01"


def _record(case: str, seq: int, *, trace: int = 1, topic: str = TEST_TOPIC) -> SimpleNamespace:
    env = Envelope(
        id=str(uuid.uuid4()),
        type=Ping.event_type,
        source=f"/labornet/producer/{topic}",
        subject=case,
        data={"case_id": case, "n": seq},
        sequence=seq,
        traceparent=TRACE.format(trace),
    )
    rec = to_kafka(env)
    return SimpleNamespace(topic=topic, key=rec.key, value=rec.value, headers=rec.headers)


class _Echo:
    """A tracked aggregate whose event carries no trace context of its own."""

    def __init__(self, ping: Ping) -> None:
        self.events = [PendingEvent(f"echo-{ping.case_id}", Ping(case_id=f"echo-{ping.case_id}", n=ping.n))]

    def pull_events(self) -> list[PendingEvent]:
        events, self.events = self.events, []
        return events


def _handlers(name: str, fail_on: int | None = None) -> dict:
    async def apply(uow, _env, ping: Ping) -> None:
        if ping.n == fail_on:
            raise RuntimeError("this one cannot be applied")
        await record_effect(uow, name, ping)
        uow.track(_Echo(ping))

    return {handles(Ping): apply}


def _consumer(
    engine, name: str, *, fail_on: int | None = None, batch_size: int = 100, also: tuple[Reader, ...] = ()
) -> EventConsumer:
    return EventConsumer(
        name=name,
        topics=[TEST_TOPIC],
        handlers=_handlers(name, fail_on),
        also=also,
        session_factory=session_factory(engine),
        tables=tables,
        source="/labornet/test",
        max_attempts=1,
        retry_backoff_s=0.01,
        batch_size=batch_size,
    )


async def _applied(engine, consumer: str, case: str) -> list[int]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(effects.c.n).where(effects.c.consumer == consumer, effects.c.case_id == case).order_by(effects.c.id)
        )
        return [r.n for r in rows]


async def _refused(engine, ledger: inbox.Ledger) -> None:
    """Writing ``ledger`` raises StreamMoved, and its transaction is rolled back."""
    async with session_factory(engine)() as session:
        with pytest.raises(inbox.StreamMoved):
            await ledger.write(session, tables)
        await session.rollback()


def _statements(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


async def test_a_batch_applies_each_event_once_in_its_case_order(database_url: str) -> None:
    a, b = case_ids(2)
    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "batch-1")
        # Interleaved cases, a redelivered event, and a gap (b's 4 before its 3).
        records = [_record(a, 1), _record(b, 1), _record(a, 2), _record(a, 2), _record(b, 2), _record(b, 4)]
        settled = await consumer.process_batch(records)
        assert settled is not None
        assert [s.outcome for s in settled] == ["applied", "applied", "applied", "duplicate", "applied", "early"]
        assert await _applied(engine, "batch-1", a) == [1, 2]
        assert await _applied(engine, "batch-1", b) == [1, 2]
        assert await count(engine, tables.inbox, tables.inbox.c.consumer == "batch-1") == 4
        # The next batch continues each stream where the last one left it.
        again = await consumer.process_batch([_record(b, 3), _record(b, 4), _record(a, 1)])
        assert again is not None and [s.outcome for s in again] == ["applied", "applied", "duplicate"]
        assert await _applied(engine, "batch-1", b) == [1, 2, 3, 4]


async def test_events_a_batch_causes_keep_the_trace_of_the_event_that_caused_them(database_url: str) -> None:
    a, b = case_ids(2)
    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "batch-2")
        assert await consumer.process_batch([_record(a, 1, trace=0xA), _record(b, 1, trace=0xB)]) is not None
        async with engine.connect() as conn:
            rows = (await conn.execute(select(tables.outbox.c.partition_key, tables.outbox.c.traceparent))).all()
        traces = {key: tp.split("-")[1] for key, tp in rows}
        assert traces == {f"echo-{a}": f"{0xA:032x}", f"echo-{b}": f"{0xB:032x}"}


async def test_a_batch_takes_fewer_statements_than_one_transaction_per_event(database_url: str) -> None:
    cases = case_ids(2)
    async with engine_for(database_url) as engine:
        one_by_one, batched = _consumer(engine, "single", batch_size=1), _consumer(engine, "batched")
        records = [_record(case, seq) for seq in range(1, 11) for case in cases]
        seen = _statements(engine)
        for rec in records:
            assert (await one_by_one.process(**vars(rec))).outcome == "applied"
        singles, seen[:] = len(seen), []
        settled = await batched.process_batch(records)
        assert settled is not None and {s.outcome for s in settled} == {"applied"}
        assert len(seen) < singles * 0.7, (len(seen), singles)
        for case in cases:
            assert (
                await _applied(engine, "batched", case) == await _applied(engine, "single", case) == list(range(1, 11))
            )


async def test_a_failing_batch_commits_nothing_and_its_records_settle_one_by_one(database_url: str) -> None:
    (a,) = case_ids(1)
    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "batch-3", fail_on=3)
        records = [_record(a, n) for n in range(1, 6)]
        assert await consumer.process_batch(records) is None
        assert await _applied(engine, "batch-3", a) == []
        assert await count(engine, tables.inbox, tables.inbox.c.consumer == "batch-3") == 0
        # What the Kafka loop does next: each on its own; 3 is dead-lettered, the stream moves on.
        outcomes = [(await consumer.process(**vars(r))).outcome for r in records]
        assert outcomes == ["applied", "applied", "dead_lettered", "applied", "applied"]
        assert await _applied(engine, "batch-3", a) == [1, 2, 4, 5]


async def test_readers_of_one_group_each_apply_a_record_once_from_their_own_inbox(database_url: str) -> None:
    a, b = case_ids(2)
    async with engine_for(database_url) as engine:
        # "late" has already applied a's first two events on its own (as a group of its own did).
        assert await _consumer(engine, "late").process_batch([_record(a, 1), _record(a, 2)]) is not None
        shared = _consumer(engine, "first", also=(Reader("late", _handlers("late")),), batch_size=100)
        assert shared.group == "first"
        records = [_record(a, 1), _record(b, 1), _record(a, 2), _record(a, 3), _record(b, 2)]
        seen = _statements(engine)
        settled = await shared.process_batch(records)
        assert settled is not None and [s.outcome for s in settled] == ["applied"] * 5  # the first reader's
        stream_reads = [sql for sql in seen if sql.lstrip().startswith("SELECT") and "inbox_streams" in sql]
        assert len(stream_reads) == 1  # one for the batch: every case, both readers
        assert await _applied(engine, "first", a) == [1, 2, 3] and await _applied(engine, "first", b) == [1, 2]
        assert await _applied(engine, "late", a) == [1, 2, 3] and await _applied(engine, "late", b) == [1, 2]
        assert await count(engine, tables.inbox, tables.inbox.c.consumer == "late") == 2 + 3


async def test_each_reader_of_a_group_applies_only_the_topics_it_reads(database_url: str) -> None:
    (a,) = case_ids(1)
    other = f"{TEST_TOPIC}.other"
    async with engine_for(database_url) as engine:
        shared = _consumer(engine, "own", also=(Reader("others", _handlers("others"), frozenset({other})),))
        assert shared.topics == [TEST_TOPIC, other]  # the group reads both
        mixed = [_record(a, 1), _record(a, 1, topic=other), _record(a, 2), _record(a, 2, topic=other)]
        settled = await shared.process_batch(mixed)
        # The own reader's outcomes, one per record: the other topic is not its to apply.
        assert settled is not None and [s.outcome for s in settled] == ["applied", "ignored", "applied", "ignored"]
        assert await _applied(engine, "own", a) == [1, 2] and await _applied(engine, "others", a) == [1, 2]
        own_rows = select(tables.inbox.c.source).where(tables.inbox.c.consumer == "own").distinct()
        async with engine.connect() as conn:
            assert list((await conn.execute(own_rows)).scalars()) == [f"/labornet/producer/{TEST_TOPIC}"]
        # One by one (the fallback path) the same rule holds.
        assert (await shared.process(**vars(_record(a, 3, topic=other)))).outcome == "ignored"
        assert (await shared.process(**vars(_record(a, 3)))).outcome == "applied"
        assert await _applied(engine, "own", a) == [1, 2, 3] and await _applied(engine, "others", a) == [1, 2, 3]
        assert await count(engine, tables.inbox, tables.inbox.c.consumer == "others") == 3


async def test_a_reader_that_fails_does_not_hold_back_the_others_of_its_group(database_url: str) -> None:
    (a,) = case_ids(1)
    async with engine_for(database_url) as engine:
        shared = _consumer(engine, "steady", also=(Reader("fragile", _handlers("fragile", fail_on=2)),))
        records = [_record(a, n) for n in range(1, 4)]
        assert await shared.process_batch(records) is None  # nothing of the batch committed
        assert await _applied(engine, "steady", a) == [] and await _applied(engine, "fragile", a) == []
        # One by one, each reader in a transaction of its own: only the fragile reader's 2 is
        # dead-lettered, and both streams move on.
        assert [(await shared.process(**vars(r))).outcome for r in records] == ["applied"] * 3
        assert await _applied(engine, "steady", a) == [1, 2, 3]
        assert await _applied(engine, "fragile", a) == [1, 3]
        outcomes = select(tables.inbox.c.outcome).where(tables.inbox.c.consumer == "fragile")
        async with engine.connect() as conn:
            assert list((await conn.execute(outcomes.order_by(tables.inbox.c.sequence))).scalars()) == [
                "applied",
                "dead_lettered",
                "applied",
            ]


async def test_a_batch_writes_each_stream_once_and_its_inbox_rows_together(database_url: str) -> None:
    (a,) = case_ids(1)
    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "ledger-1")
        assert await consumer.process_batch([_record(a, n) for n in range(1, 4)]) is not None
        seen = _statements(engine)
        assert await consumer.process_batch([_record(a, n) for n in range(4, 14)]) is not None
        writes = [
            " ".join(sql.split()[0:3]) for sql in seen if "inbox" in sql and not sql.lstrip().startswith("SELECT")
        ]
        if database_url.startswith("postgresql"):
            # The stream's guarded update and the inbox rows' insert: one statement.
            assert writes == ["WITH advanced AS"], writes
            (statement,) = (sql for sql in seen if sql.lstrip().startswith("WITH advanced"))
            assert "UPDATE inbox_streams" in statement and "INSERT INTO inbox " in statement
        else:
            assert (
                len(writes) == 2 and writes[0].startswith("UPDATE inbox_streams ") and writes[1] == "INSERT INTO inbox"
            ), writes
        assert await _applied(engine, "ledger-1", a) == list(range(1, 14))
        assert await count(engine, tables.inbox, tables.inbox.c.consumer == "ledger-1") == 13


async def test_a_batch_of_many_cases_reads_and_advances_their_streams_and_numbers_its_events_in_one_statement_each(
    database_url: str,
) -> None:
    cases = case_ids(30)
    async with engine_for(database_url) as engine:
        assert await _consumer(engine, "ledger-3").process_batch([_record(c, 1) for c in cases]) is not None
        seen = _statements(engine)
        consumer = _consumer(engine, "ledger-3")  # another process: the streams exist, it knows none
        records = [_record(c, n) for n in (2, 3) for c in cases]
        settled = await consumer.process_batch(records)
        assert settled is not None and {s.outcome for s in settled} == {"applied"}

        def led(start: str) -> list[str]:
            return [sql for sql in seen if " ".join(sql.split()).startswith(start)]

        assert len(led("SELECT inbox_streams.consumer")) == 1
        # PostgreSQL: the streams' update, the new streams' and the inbox rows' inserts in one.
        writing = "WITH advanced AS" if database_url.startswith("postgresql") else "UPDATE inbox_streams"
        assert len(led(writing)) == 1
        # The echoes' sequences, 30 streams: reserved in one statement (PostgreSQL: with their
        # outbox rows' insert).
        if database_url.startswith("postgresql"):
            (numbering,) = led("WITH reserved AS")
            assert "INSERT INTO event_streams" in numbering and "INSERT INTO outbox" in numbering
            assert not led("INSERT INTO outbox")
        else:
            assert len(led("INSERT INTO event_streams")) == 1 and len(led("INSERT INTO outbox")) == 1
        for c in cases:
            assert await _applied(engine, "ledger-3", c) == [1, 2, 3]
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(tables.outbox.c.partition_key, tables.outbox.c.sequence).where(
                        tables.outbox.c.partition_key.in_([f"echo-{c}" for c in cases])
                    )
                )
            ).all()
        numbered: dict[str, list[int]] = {}
        for key, seq in rows:
            numbered.setdefault(key, []).append(seq)
        assert {k: sorted(v) for k, v in numbered.items()} == {f"echo-{c}": [1, 2, 3] for c in cases}


async def test_one_stream_of_many_advanced_by_another_worker_moves_none_of_them(database_url: str) -> None:
    a, b, c = case_ids(3)
    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "ledger-4")
        assert await consumer.process_batch([_record(x, 1) for x in (a, b, c)]) is not None
        # This transaction read every stream at 1 and applied 2; another worker took b to 2.
        keys = [("ledger-4", f"/labornet/producer/{TEST_TOPIC}", x) for x in (a, b, c)]
        async with engine.begin() as conn:
            await conn.execute(
                tables.inbox_streams.update()
                .where(tables.inbox_streams.c.consumer == "ledger-4", tables.inbox_streams.c.stream_id == b)
                .values(last_sequence=2)
            )
        ledger = inbox.Ledger(read=dict.fromkeys(keys, 1), last=dict.fromkeys(keys, 2))
        await _refused(engine, ledger)
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(tables.inbox_streams.c.stream_id, tables.inbox_streams.c.last_sequence).where(
                    tables.inbox_streams.c.consumer == "ledger-4"
                )
            )
            assert dict(rows.all()) == {a: 1, b: 2, c: 1}


async def test_a_stream_another_worker_advanced_meanwhile_is_not_written_over(database_url: str) -> None:
    (a,) = case_ids(1)
    async with engine_for(database_url) as engine:
        assert await _consumer(engine, "ledger-2").process_batch([_record(a, 1), _record(a, 2)]) is not None
        # This transaction read the stream at 1 and applied 2 and 3; another worker took it to 2.
        key = ("ledger-2", "/labornet/producer", a)
        ledger = inbox.Ledger(read={key: 1}, last={key: 3})
        await _refused(engine, ledger)
        async with engine.connect() as conn:
            last = await conn.scalar(
                select(tables.inbox_streams.c.last_sequence).where(tables.inbox_streams.c.consumer == "ledger-2")
            )
        assert last == 2


async def test_a_new_stream_another_worker_inserted_first_fails_the_write_and_keeps_nothing(database_url: str) -> None:
    (a,) = case_ids(1)
    key = ("ledger-5", "/labornet/producer", a)
    envelope = Envelope(
        id=str(uuid.uuid4()), type=Ping.event_type, source=key[1], subject=a, data={"case_id": a, "n": 1}, sequence=1
    )

    def ledger() -> inbox.Ledger:
        ledger = inbox.Ledger(read={key: 0}, last={key: 0})  # both read the stream as new
        ledger.settle(consumer="ledger-5", envelope=envelope, outcome="applied", error="kept as written")
        return ledger

    first, second = ledger(), ledger()
    async with engine_for(database_url) as engine:
        async with session_factory(engine)() as session:
            await first.write(session, tables)
            await session.commit()
        async with session_factory(engine)() as session:
            with pytest.raises(IntegrityError):
                await second.write(session, tables)
            await session.rollback()
        async with engine.connect() as conn:
            rows = (await conn.execute(select(tables.inbox).where(tables.inbox.c.consumer == "ledger-5"))).all()
            last = await conn.scalar(
                select(tables.inbox_streams.c.last_sequence).where(tables.inbox_streams.c.consumer == "ledger-5")
            )
    assert last == 1
    (row,) = rows  # the first worker's row, as it wrote it
    assert (row.event_id, row.event_type, row.source, row.stream_id, row.sequence, row.outcome, row.error) == (
        envelope.id,
        Ping.event_type,
        key[1],
        a,
        1,
        "applied",
        "kept as written",
    )
    assert abs((_aware(row.processed_at) - utcnow()).total_seconds()) < 60
    assert first.rows == []  # a ledger that wrote its rows keeps none for the next write


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


async def test_a_consumer_reads_a_stream_once_then_knows_where_its_commits_left_it(database_url: str) -> None:
    (a,) = case_ids(1)
    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "known-1")
        seen = _statements(engine)
        assert await consumer.process_batch([_record(a, 1)]) is not None
        assert len([sql for sql in seen if "FROM inbox_streams" in sql]) == 1  # new to this process
        seen.clear()
        assert [s.outcome for s in await consumer.process_batch([_record(a, 2)]) or []] == ["applied"]
        record = _record(a, 3)
        single = await consumer.process(topic=record.topic, key=record.key, value=record.value, headers=record.headers)
        again = _record(a, 2)  # redelivered: a duplicate by what the process knows
        assert [s.outcome for s in await consumer.process_batch([again]) or []] == ["duplicate"]
        assert single.outcome == "applied" and [sql for sql in seen if "FROM inbox_streams" in sql] == []
        assert await _applied(engine, "known-1", a) == [1, 2, 3]


async def test_a_stream_another_instance_moved_is_read_again_and_nothing_applies_twice(database_url: str) -> None:
    (a,) = case_ids(1)
    async with engine_for(database_url) as engine:
        first, second = _consumer(engine, "known-2"), _consumer(engine, "known-2")  # two instances
        assert await first.process_batch([_record(a, 1), _record(a, 2)]) is not None  # first knows 2
        assert await second.process_batch([_record(a, 3), _record(a, 4)]) is not None  # the stream is at 4
        # 3 again at the first instance: applied on its word, refused by the write's guard, rolled
        # back; one by one it is read from the database and is a duplicate.
        assert await first.process_batch([_record(a, 3)]) is None
        record = _record(a, 3)
        redelivered = await first.process(
            topic=record.topic, key=record.key, value=record.value, headers=record.headers
        )
        assert redelivered.outcome == "duplicate"
        assert [s.outcome for s in await first.process_batch([_record(a, 5)]) or []] == ["applied"]
        # The second instance applies 6 and 7; 8 looks early to the first (it knows 5) until the
        # database says 7.
        assert await second.process_batch([_record(a, 6), _record(a, 7)]) is not None
        assert [s.outcome for s in await first.process_batch([_record(a, 8)]) or []] == ["applied"]
        assert [s.outcome for s in await first.process_batch([_record(a, 10)]) or []] == ["early"]  # a real gap
        assert await _applied(engine, "known-2", a) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_known_streams_keep_the_most_recently_used_and_never_a_stream_without_a_row() -> None:
    known = inbox.KnownStreams(limit=2)
    a, b, c = (("r", "/s", x) for x in "abc")
    known.learn({a: 3, b: 0})
    assert known.get(a) == 3 and known.get(b) is None  # 0: nothing stored, so nothing known
    known.learn({b: 1, c: 7})
    assert known.get(a) is None and known.get(b) == 1 and known.get(c) == 7  # a was used least recently
    known.forget([c])
    assert known.get(c) is None


class _Offsets:
    """The Kafka consumer as ``_settle_fetch`` uses it: the offsets it is told to commit."""

    def __init__(self) -> None:
        self.committed: list[dict] = []

    async def commit(self, offsets: dict) -> None:
        self.committed.append(offsets)


async def test_a_lone_record_is_applied_by_every_reader_in_one_transaction(database_url: str) -> None:
    (a,) = case_ids(1)
    async with engine_for(database_url) as engine:
        shared = _consumer(engine, "lone", also=(Reader("lone-too", _handlers("lone-too")),))
        commits = 0

        def counted(*_args) -> None:
            nonlocal commits
            commits += 1

        event.listen(engine.sync_engine, "commit", counted)
        kafka = _Offsets()
        for n in (1, 2):  # each fetch brings one record
            await shared._settle_fetch(kafka, {"tp": [SimpleNamespace(**vars(_record(a, n)), offset=n)]})  # type: ignore[arg-type]
        assert commits == 2  # one per record for both readers, not one per reader
        assert await _applied(engine, "lone", a) == [1, 2] and await _applied(engine, "lone-too", a) == [1, 2]
        assert kafka.committed == [{"tp": 2}, {"tp": 3}]
        # A lone record its batch cannot apply is settled one reader at a time, as a batch's are.
        fragile = _consumer(engine, "lone-2", also=(Reader("lone-2-fragile", _handlers("lone-2-fragile", fail_on=1)),))
        await fragile._settle_fetch(kafka, {"tp": [SimpleNamespace(**vars(_record(a, 1)), offset=9)]})  # type: ignore[arg-type]
        assert await _applied(engine, "lone-2", a) == [1] and await _applied(engine, "lone-2-fragile", a) == []


async def test_a_handler_knows_the_cases_of_its_batch_and_of_nothing_else(database_url: str) -> None:
    a, b, c = case_ids(3)
    seen: list[list[str]] = []

    async def note(uow, _env, _ping: Ping) -> None:
        seen.append(batch_subjects(uow))

    async with engine_for(database_url) as engine:
        consumer = EventConsumer(
            name="subjects",
            topics=[TEST_TOPIC],
            handlers={handles(Ping): note},
            session_factory=session_factory(engine),
            tables=tables,
            source="/labornet/consumer",
        )
        records = [_record(a, 1), _record(b, 1), _record(a, 2), _record(c, 1)]
        assert await consumer.process_batch(records) is not None
        assert seen == [[a, b, c]] * 4  # each case once, in the order the batch first names it
        seen.clear()
        record = _record(c, 2)  # a record settled on its own: no batch
        await consumer.process(topic=record.topic, key=record.key, value=record.value, headers=record.headers)
        assert seen == [[]]


def test_lanes_keep_each_case_in_one_lane_in_its_order() -> None:
    cases = case_ids(9)
    fetched = [_record(c, n, topic=t) for n in (1, 2, 3) for t in ("t.a", "t.b") for c in cases]
    lanes = lanes_of(fetched, 2)
    assert len(lanes) == 2 and sorted(map(id, (r for lane in lanes for r in lane))) == sorted(map(id, fetched))
    for case in cases:
        key = fetched[cases.index(case)].key
        holding = [lane for lane in lanes if any(r.key == key for r in lane)]
        assert len(holding) == 1  # one lane per case, whatever the topic
        assert [r for r in holding[0] if r.key == key] == [r for r in fetched if r.key == key]  # in fetch order
    assert lanes_of(fetched, 1) == [fetched] and lanes_of(fetched[:1], 4) == [fetched[:1]]
    # A lane per 16 records: a fetch of a few events is one transaction, not several.
    assert lanes_of(fetched[:31], 2) == [fetched[:31]] and len(lanes_of(fetched[:32], 2)) == 2
    assert len(lanes_of(fetched, 8)) == 54 // 16
    # The subject decides, not the key: a stream's events keyed apart still share a lane.
    rekeyed = [SimpleNamespace(**{**vars(r), "key": f"other-{i}".encode()}) for i, r in enumerate(fetched)]
    assert [[r.headers for r in lane] for lane in lanes_of(rekeyed, 2)] == [[r.headers for r in lane] for lane in lanes]


async def test_a_fetch_in_two_lanes_applies_them_side_by_side_each_case_in_order(database_url: str) -> None:
    """Two lanes, two transactions open at once (each lane's handler waits until the other's has
    begun), every event applied once in its case's order, the offsets committed once both are done."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite admits one writer at a time: the service runs one lane there (runtime.event_consumer)")
    cases = case_ids(16)
    started: dict[int, asyncio.Event] = {0: asyncio.Event(), 1: asyncio.Event()}
    fetched = [
        SimpleNamespace(**vars(_record(c, n)), offset=i)
        for i, (n, c) in enumerate((n, c) for n in (1, 2) for c in cases)
    ]
    lane_of = {r.key: lane for lane, records in enumerate(lanes_of(fetched, 2)) for r in records}
    assert set(lane_of.values()) == {0, 1}

    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "lanes")
        consumer.lanes = 2

        async def apply(uow, env, ping: Ping) -> None:
            mine = lane_of[env.subject.encode()]
            started[mine].set()
            await asyncio.wait_for(started[1 - mine].wait(), 10)  # the other lane's transaction is open too
            await record_effect(uow, "lanes", ping)

        consumer.handlers[handles(Ping)] = apply
        kafka = _Offsets()
        await consumer._settle_fetch(kafka, {"p0": fetched[:16], "p1": fetched[16:]})  # type: ignore[arg-type]
        assert kafka.committed == [{"p0": 16, "p1": 32}]
        for case in cases:
            assert await _applied(engine, "lanes", case) == [1, 2]
