"""How relays and consumers judge that the broker lost what they knew (no broker needed)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from aiokafka import TopicPartition
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.structs import RecordMetadata
from sqlalchemy import update

from labornet_common.platform.app import _lost_events
from labornet_common.platform.bus.probe import BrokerView, partition_of
from labornet_common.platform.bus.rewind import BrokerReplaced, Rewinder
from labornet_common.platform.outbox.relay import _settle
from labornet_common.platform.outbox.watch import BrokerWatch, Loss
from labornet_common.testing.messaging import TEST_TOPIC, case_ids, engine_for, tables, write_pings

T = "intake.complaints.v1"


class FakeProbe:
    def __init__(self, cluster: str = "c1", partitions: dict[str, int] | None = None) -> None:
        self.cluster = cluster
        self.partitions = partitions if partitions is not None else {T: 6}
        self.ends: dict[TopicPartition, int] = {}

    async def cluster_id(self, *, max_age_s: float = 0.0) -> str:
        return self.cluster

    async def view(self) -> BrokerView:
        return BrokerView(self.cluster, dict(self.partitions))

    async def log_ends(self, around: dict[TopicPartition, int]) -> dict[TopicPartition, int]:
        return {tp: self.ends.get(tp, 0) for tp in around}


def _meta(topic: str, partition: int, offset: int) -> RecordMetadata:
    return RecordMetadata(topic, partition, TopicPartition(topic, partition), offset, 0, 0, 0)


def test_partition_of_is_the_producers_default_partitioner() -> None:
    for key in ("case-1", "9f1c2d3e-0000-4000-8000-000000000001", "calendar-2027", "工资"):
        for count in (1, 3, 4, 6):
            assert partition_of(key, count) == DefaultPartitioner()(key.encode(), list(range(count)), [])


def test_a_loss_covers_everything_a_topic_or_the_keys_of_a_partition() -> None:
    key = "case-7"
    home = TopicPartition(T, partition_of(key, 6))
    other = TopicPartition(T, (home.partition + 1) % 6)
    assert Loss("x", everything=True).covers("any.topic", key)
    assert Loss("x", topics={T}).covers(T, key) and not Loss("x", topics={T}).covers("other", key)
    assert Loss("x", partitions={home}, partition_counts={T: 6}).covers(T, key)
    assert not Loss("x", partitions={other}, partition_counts={T: 6}).covers(T, key)


def test_an_acknowledgement_counts_as_sent() -> None:
    rows = [SimpleNamespace(id=1, partition_key="a"), SimpleNamespace(id=2, partition_key="a")]
    assert _settle(rows, [_meta(T, 0, 0), _meta(T, 0, 1)]) == ([1, 2], [])


async def test_the_watch_compares_cluster_topics_and_high_watermarks(tmp_path: Path) -> None:
    probe = FakeProbe()
    async with engine_for(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}") as engine:
        watch = BrokerWatch(probe=probe, engine=engine, tables=tables)  # type: ignore[arg-type]
        assert await watch.check() is None  # nothing written yet
        watch.acknowledged([_meta(T, 2, 9), _meta(T, 2, 4), _meta(T, 5, 0), ValueError("not sent")])
        assert watch.expected == {TopicPartition(T, 2): 10, TopicPartition(T, 5): 1}
        probe.ends = {TopicPartition(T, 2): 10, TopicPartition(T, 5): 3}  # duplicates are fine
        assert await watch.check() is None

        probe.ends[TopicPartition(T, 2)] = 7  # below what the broker acknowledged
        loss = await watch.check()
        assert loss is not None and loss.partitions == {TopicPartition(T, 2)} and "ends at 7 < 10" in loss.reason
        assert await watch.check() == loss  # until the relay has marked it, it is reported again
        watch.accept(loss)
        assert TopicPartition(T, 2) not in watch.expected  # sent again: only new acks count
        assert await watch.check() is None

        probe.partitions = {T: 4}  # re-created smaller: partition 5 is gone
        loss = await watch.check()
        assert loss is not None and loss.topics == {T} and not loss.everything
        watch.accept(loss)

        watch.acknowledged([_meta(T, 1, 0)])
        probe.cluster = "c2"
        loss = await watch.check()
        assert loss is not None and loss.everything and "new cluster id 'c2'" in loss.reason
        assert watch.cluster_id == "c1" and await watch.check() == loss
        watch.accept(loss)
        assert watch.expected == {} and watch.cluster_id == "c2"
        assert await watch.check() is None


async def test_a_new_watch_knows_from_the_outbox_what_was_published(tmp_path: Path) -> None:
    cases = case_ids(3)
    async with engine_for(f"sqlite+aiosqlite:///{tmp_path / 's.db'}") as engine:
        await write_pings(engine, cases, per_case=4)
        async with engine.begin() as conn:  # 12 rows published, then the broker lost them
            await conn.execute(update(tables.outbox).values(published_at=tables.outbox.c.created_at))
        probe = FakeProbe(partitions={TEST_TOPIC: 3})
        watch = BrokerWatch(probe=probe, engine=engine, tables=tables)  # type: ignore[arg-type]
        loss = await watch.check()
    assert loss is not None and not loss.everything
    expected: dict[int, int] = {}
    for case in cases:
        expected[partition_of(case, 3)] = expected.get(partition_of(case, 3), 0) + 4
    assert loss.partitions == {TopicPartition(TEST_TOPIC, p) for p in expected}
    assert all(f"ends at 0 < {n}" in loss.reason for n in expected.values())


class FakeConsumer:
    def __init__(self, positions: dict[TopicPartition, int], highwater: dict[TopicPartition, int]) -> None:
        self.positions, self.highwaters, self.rewound = positions, highwater, []

    def assignment(self) -> set[TopicPartition]:
        return set(self.positions)

    def highwater(self, tp: TopicPartition) -> int | None:
        return self.highwaters.get(tp)

    async def position(self, tp: TopicPartition) -> int:
        return self.positions[tp]

    async def seek_to_beginning(self, *tps: TopicPartition) -> None:
        self.rewound.extend(tps)
        for tp in tps:
            self.positions[tp] = 0


async def test_a_consumer_reads_again_what_a_new_or_truncated_broker_holds() -> None:
    a, b = TopicPartition(T, 0), TopicPartition(T, 1)
    probe = FakeProbe()
    rewinder = Rewinder(name="c", probe=probe, interval_s=0)  # type: ignore[arg-type]
    await rewinder.start()
    consumer = FakeConsumer({a: 5, b: 8}, {a: 5, b: 3})
    assert await rewinder.check(consumer) == [b]  # position 8 past the end 3: read it again
    assert await rewinder.check(consumer) == []

    probe.cluster = "c2"  # another broker: the consumer is started afresh, whatever it holds
    for holding in (consumer, FakeConsumer({}, {})):
        with pytest.raises(BrokerReplaced, match="c1 -> c2"):
            await rewinder.check(holding)
    assert consumer.rewound == [b]  # no seek on the old consumer: a fresh one reads from the start


class AwayProbe(FakeProbe):
    """A broker that does not answer the first ``away`` identity checks."""

    def __init__(self, away: int) -> None:
        super().__init__()
        self.away, self.asked = away, 0

    async def cluster_id(self, *, max_age_s: float = 0.0) -> str:
        self.asked += 1
        if self.asked <= self.away:
            raise ConnectionError("broker away")
        return self.cluster


async def test_a_consumer_joins_knowing_which_broker_it_joins() -> None:
    """Asked until the broker answers: a consumer that joined not knowing could not tell, at the
    first answer, a broker replaced meanwhile from the one it joined."""
    probe = AwayProbe(away=3)
    rewinder = Rewinder(name="c", probe=probe, interval_s=0)  # type: ignore[arg-type]
    await rewinder.start(retry_s=0)
    assert (probe.asked, rewinder.cluster_id) == (4, "c1")
    assert await rewinder.check(FakeConsumer({}, {})) == []

    unknown = Rewinder(name="c", probe=FakeProbe(), interval_s=0)  # type: ignore[arg-type]
    with pytest.raises(BrokerReplaced, match="None -> c1"):  # never taken for the one joined
        await unknown.check(FakeConsumer({}, {}))


async def test_readiness_names_events_still_to_be_sent_again() -> None:
    async def lost(n: int) -> int:
        return n

    async def broken() -> int:
        raise ConnectionError("db")

    def runtime(fn):
        return SimpleNamespace(relay=SimpleNamespace(lost_backlog=fn))

    assert await _lost_events(runtime(lambda: lost(0))) == "ok"
    assert await _lost_events(runtime(lambda: lost(3))) == "resending 3 events the broker lost"
    assert await _lost_events(runtime(broken)) == "unknown: ConnectionError"


async def _no_op() -> None:
    return None


class CountingProbe(FakeProbe):
    """Counts the full views asked for and the cheap identity checks."""

    views = 0
    identities = 0

    async def cluster_id(self, *, max_age_s: float = 0.0) -> str:
        self.identities += 1
        return await super().cluster_id()

    async def view(self) -> BrokerView:
        self.views += 1
        return await super().view()


async def test_an_idle_relay_checks_only_the_cluster_id_between_full_checks(tmp_path: Path) -> None:
    from labornet_common.platform.outbox.relay import OutboxRelay

    probe = CountingProbe()
    async with engine_for(f"sqlite+aiosqlite:///{tmp_path / 'i.db'}") as engine:
        watch = BrokerWatch(probe=probe, engine=engine, tables=tables)  # type: ignore[arg-type]
        relay = OutboxRelay(
            engine=engine,
            tables=tables,
            producer=SimpleNamespace(client=SimpleNamespace(force_metadata_update=_no_op)),  # type: ignore[arg-type]
            service="t",
            watch=watch,
            watch_interval_s=0.0,
            watch_full_interval_s=3600.0,
        )
        assert await relay.watch_broker() is None and probe.views == 1  # the first check is full
        for _ in range(5):  # idle: nothing acknowledged since, same cluster
            assert await relay.watch_broker() is None
        assert probe.views == 1 and probe.identities == 5

        watch.acknowledged([_meta(T, 0, 0)])  # something was published: the next check is full
        probe.ends = {TopicPartition(T, 0): 1}
        assert await relay.watch_broker() is None and probe.views == 2

        probe.cluster = "c2"  # a broker restarted empty: the cheap check sees it, the full one says so
        loss = await relay.watch_broker()
        assert probe.views == 3 and loss is not None and loss.everything and relay.lost_total == 0

        relay._next_full_watch = 0.0  # the full check is due at the latest now
        assert await relay.watch_broker() is None and probe.views == 4
