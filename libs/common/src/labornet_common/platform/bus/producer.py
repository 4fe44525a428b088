"""The one Kafka producer configuration used by relays and dead-letter publishing."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer
from aiokafka.structs import RecordMetadata

from labornet_common.contracts.events import KafkaRecord


@dataclass(frozen=True)
class OutgoingRecord:
    topic: str
    record: KafkaRecord


def make_producer(bootstrap_servers: str, *, client_id: str, enable_idempotence: bool = False) -> AIOKafkaProducer:
    # acks=all: a record counts as sent only when every in-sync replica has it. aiokafka keeps
    # one batch in flight per partition, so records of one case (one key) arrive in send order.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=enable_idempotence,
        linger_ms=2,
        request_timeout_ms=15000,
        retry_backoff_ms=200,
    )


async def send_all(
    producer: AIOKafkaProducer, records: Sequence[OutgoingRecord]
) -> list[BaseException | RecordMetadata]:
    """Send records in order; returns, per record, where the broker put it or the error."""
    futures: list[asyncio.Future[RecordMetadata] | BaseException] = []
    for out in records:
        try:
            fut = await producer.send(out.topic, value=out.record.value, key=out.record.key, headers=out.record.headers)
            futures.append(fut)
        except Exception as exc:  # the record never left the client
            futures.append(exc)
    results: list[BaseException | RecordMetadata] = []
    for fut in futures:
        if isinstance(fut, BaseException):
            results.append(fut)
            continue
        try:
            results.append(await fut)
        except Exception as exc:
            results.append(exc)
    return results
