"""Topic names and their creation. Every topic is keyed by case id."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

INTAKE = "intake.complaints.v1"
MEDIATION = "mediation.cases.v1"
ARBITRATION = "arbitration.cases.v1"
WAGE_ARREARS = "wage-arrears.alerts.v1"
COURT = "court.events.v1"
CASE_TOPICS = (INTAKE, MEDIATION, ARBITRATION, WAGE_ARREARS, COURT)
# Reference data, keyed by its own stream ("calendar-2027"): every service that counts deadlines
# reads it (the State Council's holiday schedule for a year, entered at the gateway).
CALENDAR = "reference.calendar.v1"
# The organisations register as administrators change it (centres, 派出庭, mediators), keyed by
# the body's id ("med-410311007", "mediator:med-410311007-02"): read by every service that routes.
ORGANISATIONS = "reference.organisations.v1"
REFERENCE_TOPICS = (CALENDAR, ORGANISATIONS)
DLQ_SUFFIX = ".dlq"

log = logging.getLogger(__name__)


def dead_letter_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


def all_topics() -> list[str]:
    return [*CASE_TOPICS, *REFERENCE_TOPICS, *(dead_letter_topic(t) for t in (*CASE_TOPICS, *REFERENCE_TOPICS))]


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
