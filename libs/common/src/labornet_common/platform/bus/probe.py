"""What the broker holds now: its cluster id, its topics with their partition counts, log ends.

Relays and consumers compare this with what they knew, to notice a broker that restarted
empty or lost part of a log (see ``outbox/watch.py`` and ``bus/consumer.py``). Only reads:
no request here creates a topic (a metadata request naming a missing topic would, on Tansu).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.partitioner import murmur2

# How long a consumer's background fetch routine sleeps when nothing wakes it (a fetch
# answered, records taken, a seek, a new assignment or a resume each do). aiokafka's 200 ms
# had an idle consumer run that routine five times a second between its long polls, and the
# probe's paused offsets client as often for nothing (bench/idle.py).
FETCHER_IDLE_WAKE_MS = 1_000


@dataclass(frozen=True)
class BrokerView:
    cluster_id: str
    partitions: dict[str, int]  # topic -> number of partitions


def partition_of(key: str, partitions: int) -> int:
    """The partition the producer's default partitioner puts a keyed record on."""
    return int(murmur2(key.encode()) & 0x7FFFFFFF) % partitions


class BrokerProbe:
    """Long-lived admin and offset clients on one cluster (reconnecting by themselves). One per
    process: the relay's and the consumers' broker checks share it, and its last cluster id."""

    def __init__(self, *, bootstrap_servers: str, client_id: str) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.client_id = f"{client_id}-probe"
        self._admin: AIOKafkaAdminClient | None = None
        self._offsets: AIOKafkaConsumer | None = None
        self._starting = asyncio.Lock()  # callers sharing the probe start one admin client
        self._cluster: tuple[str, float] | None = None  # last cluster id asked, and when (monotonic)

    async def _admin_client(self) -> AIOKafkaAdminClient:
        async with self._starting:
            if self._admin is None:
                admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers, client_id=self.client_id)
                await admin.start()
                self._admin = admin
        return self._admin

    async def _offsets_client(self) -> AIOKafkaConsumer:
        if self._offsets is None:
            offsets = AIOKafkaConsumer(
                bootstrap_servers=self.bootstrap_servers,
                client_id=self.client_id,
                group_id=None,
                enable_auto_commit=False,
                consumer_timeout_ms=FETCHER_IDLE_WAKE_MS,
            )
            await offsets.start()
            self._offsets = offsets
        return self._offsets

    async def cluster_id(self, *, max_age_s: float = 0.0) -> str:
        """The cluster id alone: a metadata request naming no topic (``describe_cluster`` asks
        for every topic and converts the answer to dicts, milliseconds of CPU each time).

        An answer the broker gave at most ``max_age_s`` ago (to any caller of this probe, the
        full ``view`` included) is given again: the relay and the consumers of a process that
        check every second ask the broker about once a second between them, not once each."""
        if self._cluster is not None and time.monotonic() - self._cluster[1] <= max_age_s:
            return self._cluster[0]
        admin = await self._admin_client()
        asked = time.monotonic()
        metadata = await admin._get_cluster_metadata(topics=[])
        self._cluster = (str(metadata.cluster_id), asked)
        return self._cluster[0]

    async def view(self) -> BrokerView:
        """Cluster id and partition counts, from one metadata request for every topic (no name
        asked, nothing created), read from the decoded answer as it is."""
        admin = await self._admin_client()
        asked = time.monotonic()
        metadata = await admin._get_cluster_metadata(topics=None)
        # A topic entry is (error_code, topic, [is_internal,] partitions) in every version asked.
        counts = {str(t[1]): len(t[-1]) for t in metadata.topics if not t[0]}
        self._cluster = (str(metadata.cluster_id), asked)
        return BrokerView(cluster_id=self._cluster[0], partitions=counts)

    async def log_ends(self, around: Mapping[TopicPartition, int], timeout_s: float = 3.0) -> dict[TopicPartition, int]:
        """The high watermark (next offset to be written) of each partition, as a fetch at the
        given offset reports it; partitions that did not answer in time are left out.

        Not ListOffsets: Tansu answers it with the last batch's base offset + 1, below the end."""
        if not around:
            return {}
        offsets = await self._offsets_client()
        offsets.assign(list(around))  # fresh positions and no high watermark yet
        for tp, offset in around.items():
            offsets.seek(tp, max(offset, 0))
        deadline = time.monotonic() + timeout_s
        ends: dict[TopicPartition, int] = {}
        try:
            while len(ends) < len(around) and time.monotonic() < deadline:
                await offsets.getmany(timeout_ms=100)
                ends = {tp: int(hw) for tp in around if (hw := offsets.highwater(tp)) is not None}
        finally:
            # Paused, its fetcher stops asking for these partitions (it would go on for nothing,
            # every fetch wait, until the next check assigns them afresh).
            offsets.pause(*around)
        return ends

    async def close(self) -> None:
        if self._admin is not None:
            await self._admin.close()
        if self._offsets is not None:
            await self._offsets.stop()
        self._admin = self._offsets = None
        self._cluster = None
