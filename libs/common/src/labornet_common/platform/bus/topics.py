"""Topic creation on the broker; the names live in ``labornet_common.contracts.topics`` (re-exported here)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from labornet_common.contracts.topics import (
    ARBITRATION,
    CALENDAR,
    CASE_TOPICS,
    COURT,
    DLQ_SUFFIX,
    INTAKE,
    MEDIATION,
    ORGANISATIONS,
    REFERENCE_TOPICS,
    WAGE_ARREARS,
    all_topics,
    dead_letter_topic,
)

__all__ = [
    "ARBITRATION",
    "CALENDAR",
    "CASE_TOPICS",
    "COURT",
    "DLQ_SUFFIX",
    "INTAKE",
    "MEDIATION",
    "ORGANISATIONS",
    "REFERENCE_TOPICS",
    "WAGE_ARREARS",
    "all_topics",
    "dead_letter_topic",
    "ensure_topics",
]

log = logging.getLogger(__name__)


async def ensure_topics(
    bootstrap_servers: str,
    topics: Iterable[str] = (),
    *,
    partitions: int = 6,
    replication: int = 1,
) -> None:
    """Create missing topics (idempotent). Production clusters may pre-create them instead."""
    wanted = list(topics) or all_topics()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="labornet-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if not missing:
            return
        new = [NewTopic(t, num_partitions=partitions, replication_factor=replication) for t in missing]
        try:
            await admin.create_topics(new)
        except TopicAlreadyExistsError:
            log.info("topics created concurrently by another process")
    finally:
        await admin.close()
