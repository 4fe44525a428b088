"""Does the broker still hold what the relay published? A broker that restarted empty (the
embedded Tansu keeps topics in memory) or a Kafka cluster that lost part of a log shows one of:

- a new cluster id (every embedded broker start has its own);
- a topic the relay wrote to that is gone, or has fewer partitions than it wrote to;
- a partition whose high watermark is below what the relay knows it wrote there: the offsets
  the broker acknowledged since the relay started, and, from the outbox (rows are kept after
  publishing), at least one record per published row of the partition's keys.

The relay then marks those rows unpublished and sends them again in id order, which within a
case is sequence order; consumers' inboxes absorb the repeats.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from aiokafka import TopicPartition
from aiokafka.structs import RecordMetadata
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common.platform.bus.probe import BrokerProbe, BrokerView, partition_of
from labornet_common.platform.outbox.tables import MessagingTables


@dataclass
class Loss:
    """What the broker no longer holds: everything, whole topics, or single partitions."""

    reason: str
    everything: bool = False
    topics: set[str] = field(default_factory=set)
    partitions: set[TopicPartition] = field(default_factory=set)
    partition_counts: dict[str, int] = field(default_factory=dict)

    def covers(self, topic: str, key: str) -> bool:
        if self.everything or topic in self.topics:
            return True
        count = self.partition_counts.get(topic)
        if not count:
            return False
        return TopicPartition(topic, partition_of(key, count)) in self.partitions


class BrokerWatch:
    def __init__(self, *, probe: BrokerProbe, engine: AsyncEngine, tables: MessagingTables) -> None:
        self.probe = probe
        self.engine = engine
        self.tables = tables
        self.cluster_id: str | None = None
        self.expected: dict[TopicPartition, int] = {}  # lowest high watermark the broker must show
        self.seeded = False
        self._sent_since_check = False
        self._view = BrokerView(cluster_id="", partitions={})

    def acknowledged(self, results: Iterable[object]) -> None:
        for meta in results:
            if isinstance(meta, RecordMetadata):
                tp = TopicPartition(meta.topic, meta.partition)
                self.expected[tp] = max(self.expected.get(tp, 0), meta.offset + 1)
                self.sent_since_check = True

    @property
    def sent_since_check(self) -> bool:
        """Something was acknowledged since the last full check began (or none was made yet)."""
        return self._sent_since_check or not self.seeded

    @sent_since_check.setter
    def sent_since_check(self, value: bool) -> None:
        self._sent_since_check = value

    async def same_cluster(self, *, max_age_s: float = 0.0) -> bool:
        """The cheap check: is the broker still the cluster the last full check saw? (A broker
        that restarted empty has a new id.) One metadata request naming no topic, or none when
        the probe was answered at most ``max_age_s`` ago (see ``BrokerProbe.cluster_id``)."""
        if self.cluster_id is None:
            return False
        return await self.probe.cluster_id(max_age_s=max_age_s) == self.cluster_id

    async def check(self) -> Loss | None:
        """What the broker lost; call ``accept`` once it is marked for sending again (until
        then, every check reports it again, so a failure in between loses nothing)."""
        self.sent_since_check = False  # what is acknowledged from here on, the next check covers
        view = await self.probe.view()
        if not self.seeded:
            await self._seed(view)
        loss = await self._compare(view)
        if loss is None:
            self.cluster_id = view.cluster_id
        self._view = view
        return loss

    def accept(self, loss: Loss) -> None:
        """The loss is marked for sending again: expect only what new acknowledgements show."""
        self.cluster_id = self._view.cluster_id
        self.expected = {
            tp: n
            for tp, n in self.expected.items()
            if not (loss.everything or tp.topic in loss.topics or tp in loss.partitions)
        }

    async def _compare(self, view: BrokerView) -> Loss | None:
        if self.cluster_id is not None and view.cluster_id != self.cluster_id:
            return Loss(f"new cluster id {view.cluster_id!r} (was {self.cluster_id!r})", everything=True)
        gone = {tp.topic for tp in self.expected if tp.partition >= view.partitions.get(tp.topic, 0)}
        # Fetch at the last record known there: one batch at most, and the end it reports.
        ends = await self.probe.log_ends({tp: n - 1 for tp, n in self.expected.items() if tp.topic not in gone})
        short = {tp for tp, end in ends.items() if end < self.expected[tp]}
        if not gone and not short:
            return None
        reason = f"topics gone: {sorted(gone)}; " if gone else ""
        reason += ", ".join(
            f"{tp.topic}[{tp.partition}] ends at {ends.get(tp, 0)} < {self.expected[tp]}" for tp in short
        )
        return Loss(reason, topics=gone, partitions=short, partition_counts=dict(view.partitions))

    async def _seed(self, view: BrokerView) -> None:
        """What the outbox says was published: one record at least per row, per partition."""
        outbox = self.tables.outbox
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(outbox.c.topic, outbox.c.partition_key, func.count())
                .where(outbox.c.published_at.is_not(None))
                .group_by(outbox.c.topic, outbox.c.partition_key)
            )
            counts: Counter[TopicPartition] = Counter()
            for topic, key, n in rows:
                # A topic missing now counts as written on partition 0, so it shows as gone.
                partitions = view.partitions.get(topic)
                counts[TopicPartition(topic, partition_of(key, partitions) if partitions else 0)] += int(n)
        for tp, n in counts.items():
            self.expected[tp] = max(self.expected.get(tp, 0), n)
        self.seeded = True
