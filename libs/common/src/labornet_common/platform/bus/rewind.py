"""A consumer reads a partition again from its start when the broker no longer holds the log
it was reading. A broker with another cluster id (one that restarted empty; every embedded
broker start has its own id) is another broker: the consumer is started afresh (``BrokerReplaced``),
since what it knew of the old one (the topics' partitions, which the new one may have created
with another count; its group generation; its positions) does not hold there, and the new
group has no committed offset, so ``auto_offset_reset="earliest"`` reads every partition from
its start. A position past a log's end (an offset, committed or held in memory, that outlived
the records of a topic deleted and created again) is moved to the start. The inbox absorbs what
is read twice.
"""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaConsumer, TopicPartition

from labornet_common.platform import metrics
from labornet_common.platform.bus.probe import BrokerProbe
from labornet_common.platform.pace import IdlePace

log = logging.getLogger(__name__)


class BrokerReplaced(Exception):
    """The broker the consumer joined is not the one it knew (another cluster id)."""


class Rewinder:
    def __init__(self, *, name: str, probe: BrokerProbe, interval_s: float, idle_max_s: float | None = None) -> None:
        self.name = name
        self.probe = probe
        # Every interval_s while records come; backing off to idle_max_s while none do.
        self.pace = IdlePace(interval_s, idle_max_s)
        self.cluster_id: str | None = None

    async def start(self, *, retry_s: float = 1.0) -> None:
        """Before the consumer joins: the broker it is about to join, asked until it answers.
        A consumer that joined not knowing it could not tell, at its first answer, whether the
        broker it reads from is the one it joined: one replaced meanwhile (restarted empty) would
        be taken for it, and the positions held from the old log kept on the new one, skipping
        what the new one holds below them. A consumer cannot read from a broker that does not
        answer this, so the wait costs it nothing."""
        while True:
            try:
                self.cluster_id = await asyncio.wait_for(self.probe.cluster_id(), 5.0)
                return
            except Exception as exc:
                log.info("consumer %s: broker identity unknown yet, asking again: %s", self.name, exc)
            await asyncio.sleep(retry_s)

    async def check(self, consumer: AIOKafkaConsumer, *, fetched: bool = False) -> list[TopicPartition]:
        """When due, rewind the partitions whose log the broker lost; returns them. Raises
        ``BrokerReplaced`` when the broker is another one. ``fetched``: the consumer has just
        been given records (checks return to every ``interval_s``)."""
        if fetched:
            self.pace.busy()
        if not self.pace.due():
            return []
        try:
            rewind = await asyncio.wait_for(self._lost(consumer), 5.0)
        except BrokerReplaced:
            raise
        except Exception as exc:  # the broker is away: the next check asks again
            log.debug("consumer %s: broker check failed: %s", self.name, exc)
            return []
        if rewind:
            log.warning("consumer %s: the broker lost the log of %s; reading it from the start", self.name, rewind)
            metrics.CONSUMER_REWINDS.labels(self.name).inc(len(rewind))
            await consumer.seek_to_beginning(*rewind)
        return rewind

    async def _lost(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        # The probe's answer to the relay of this process, if it is this recent, serves here too.
        cluster = await self.probe.cluster_id(max_age_s=self.pace.period_s)
        if cluster != self.cluster_id:  # None too: ``start`` did not learn which broker was joined
            raise BrokerReplaced(f"the broker is another one (cluster id {self.cluster_id} -> {cluster})")
        assigned = sorted(consumer.assignment())
        past_end = []
        for tp in assigned:
            # The end as the last fetch reported it (Tansu's ListOffsets answers below the end).
            end = consumer.highwater(tp)
            if end is not None and await asyncio.wait_for(consumer.position(tp), 2.0) > end:
                past_end.append(tp)
        return past_end
