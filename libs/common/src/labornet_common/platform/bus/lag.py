"""Consumer lag per topic: how far a consumer group is behind what the broker holds."""

from __future__ import annotations

import time

from aiokafka import AIOKafkaConsumer

from labornet_common.platform import metrics


class LagReporter:
    """Sets ``labornet_consumer_lag_events{group, topic}`` from the consumer's own view: the
    partition's high watermark (learnt with each fetch) minus the position it has reached,
    summed over the partitions it holds. At most once per ``interval_s``."""

    def __init__(self, group: str, interval_s: float = 1.0) -> None:
        self.group = group
        self.interval_s = interval_s
        self._next = 0.0

    async def report(self, consumer: AIOKafkaConsumer) -> dict[str, int] | None:
        if time.monotonic() < self._next:
            return None
        self._next = time.monotonic() + self.interval_s
        lag: dict[str, int] = {}
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is None:  # no fetch answered for it yet
                continue
            position = await consumer.position(tp)
            lag[tp.topic] = lag.get(tp.topic, 0) + max(high - position, 0)
        metrics.replace(metrics.CONSUMER_LAG, {(self.group, t): n for t, n in lag.items()}, within=(self.group,))
        return lag
