"""A consumer reads a partition again from its start when the broker no longer holds the log
it was reading: the cluster id changed (a broker that restarted empty; every embedded broker
start has its own id), or its position is past the log's end (an offset, committed or held in
memory, that outlived the records). The consumer group itself vanishing leaves no committed
offset, and ``auto_offset_reset="earliest"`` starts over. The inbox absorbs what is read twice.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiokafka import AIOKafkaConsumer, TopicPartition

from labornet_common.platform import metrics
from labornet_common.platform.bus.probe import BrokerProbe

log = logging.getLogger(__name__)


class Rewinder:
    def __init__(self, *, name: str, probe: BrokerProbe, interval_s: float) -> None:
        self.name = name
        self.probe = probe
        self.interval_s = interval_s
        self.cluster_id: str | None = None
        self._next = 0.0

    async def start(self) -> None:
        try:
            self.cluster_id = await self.probe.cluster_id()
        except Exception as exc:  # the first successful check records it
            log.info("consumer %s: broker identity unknown yet: %s", self.name, exc)

    async def check(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        """When due, rewind the partitions whose log the broker lost; returns them."""
        if time.monotonic() < self._next:
            return []
        self._next = time.monotonic() + self.interval_s
        try:
            rewind = await asyncio.wait_for(self._lost(consumer), 5.0)
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
        cluster = await self.probe.cluster_id(max_age_s=self.interval_s)
        assigned = sorted(consumer.assignment())
        if self.cluster_id is not None and cluster != self.cluster_id:
            if assigned:  # with nothing assigned yet, the next check rewinds what is
                self.cluster_id = cluster
            return assigned
        self.cluster_id = cluster
        past_end = []
        for tp in assigned:
            # The end as the last fetch reported it (Tansu's ListOffsets answers below the end).
            end = consumer.highwater(tp)
            if end is not None and await asyncio.wait_for(consumer.position(tp), 2.0) > end:
                past_end.append(tp)
        return past_end
