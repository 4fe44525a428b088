"""Consumer lag per topic: how far a consumer group is behind what the broker holds."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer

from labornet_common.platform import metrics
from labornet_common.platform.pace import IdlePace


class LagReporter:
    """Sets ``labornet_consumer_lag_events{group, topic}`` from the consumer's own view: the
    partition's high watermark (learnt with each fetch) minus the position it has reached,
    summed over the partitions it holds. At most once per ``interval_s`` while records come,
    backing off to ``idle_max_s`` while none do (an idle consumer's lag does not change)."""

    def __init__(self, group: str, interval_s: float = 1.0, idle_max_s: float | None = None) -> None:
        self.group = group
        self.pace = IdlePace(interval_s, idle_max_s)

    async def report(self, consumer: AIOKafkaConsumer, *, fetched: bool = False) -> dict[str, int] | None:
        if fetched:
            self.pace.busy()
        if not self.pace.due():
            return None
        lag: dict[str, int] = {}
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is None:  # no fetch answered for it yet
                continue
            position = await consumer.position(tp)
            lag[tp.topic] = lag.get(tp.topic, 0) + max(high - position, 0)
        metrics.replace(metrics.CONSUMER_LAG, {(self.group, t): n for t, n in lag.items()}, within=(self.group,))
        return lag
