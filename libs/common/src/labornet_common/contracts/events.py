"""CloudEvents 1.0 envelope for LaborNet case events, in Kafka binary content mode.

Every event names the case it belongs to in ``subject`` and in the ``partitionkey`` extension
(which is also the Kafka key, so one case's events share a partition and keep their order), and
carries ``sequence``: its position in the producing service's stream for that case (1, 2, 3…).
The W3C ``traceparent`` of the request that caused the event travels as an extension too.

``sequence`` travels zero-padded to ``SEQUENCE_DIGITS`` digits, so that its lexical order is its
numeric order (the CloudEvents sequence extension compares values as strings); readers take
the number, so events written before the padding (``"7"``) still read as 7.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent
from pydantic import BaseModel, ConfigDict

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
SCHEMA_BASE = "urn:labornet:schema:"
SEQUENCE_DIGITS = 19  # every non-negative BIGINT (the outbox's sequence column) fits


def format_sequence(sequence: int) -> str:
    """The ``sequence`` attribute: zero-padded decimal, lexically ordered like the numbers."""
    if sequence < 0:
        raise ValueError("an event sequence is never negative")
    return str(sequence).zfill(SEQUENCE_DIGITS)


def parse_sequence(value: Any) -> int:
    """The number of a ``sequence`` attribute, padded or not ("0000000000000000007" or "7")."""
    text = value.decode() if isinstance(value, bytes) else str(value)
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"sequence {text!r} is not a decimal number")
    return int(text)


class EventData(BaseModel):
    """Base class of every event payload (the CloudEvent ``data``).

    Subclasses declare their CloudEvent type and Kafka topic as class keywords::

        class ComplaintReceived(EventData, type="cn.labornet.intake.complaint.received.v1",
                                topic="intake.complaints.v1"):
            ...

    Payloads are tolerant readers: unknown fields from a newer producer are ignored.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    topic: ClassVar[str]
    registry: ClassVar[dict[str, type[EventData]]] = {}

    def __init_subclass__(cls, *, type: str = "", topic: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not type:
            return
        if type in EventData.registry and EventData.registry[type] is not cls:
            raise ValueError(f"event type {type} registered twice")
        cls.event_type = type
        cls.topic = topic
        EventData.registry[type] = cls

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        schema = cls.model_json_schema()
        schema["$id"] = SCHEMA_BASE + cls.event_type
        return schema


@dataclass(frozen=True)
class PendingEvent:
    """An event recorded by the domain, not yet numbered or stored (the outbox numbers it)."""

    stream_id: str  # the case id
    data: EventData
    traceparent: str | None = None


def new_event_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Envelope:
    """One event as it travels: CloudEvents attributes plus the JSON data."""

    id: str
    type: str
    source: str
    subject: str
    data: dict[str, Any]
    sequence: int
    time: datetime = field(default_factory=utcnow)
    traceparent: str | None = None

    @property
    def case_id(self) -> str:
        return self.subject

    @property
    def stream(self) -> tuple[str, str]:
        return (self.source, self.subject)

    def payload(self) -> EventData:
        """Parse ``data`` into its registered payload class (raises on an unknown type)."""
        model = EventData.registry.get(self.type)
        if model is None:
            raise UnknownEventType(self.type)
        return model.model_validate(self.data)

    def attributes(self) -> dict[str, Any]:
        attrs: dict[str, Any] = {
            "specversion": SPEC_VERSION,
            "id": self.id,
            "type": self.type,
            "source": self.source,
            "subject": self.subject,
            "time": self.time,
            "datacontenttype": CONTENT_TYPE,
            "dataschema": SCHEMA_BASE + self.type,
            "partitionkey": self.subject,
            "sequence": format_sequence(self.sequence),
        }
        if self.traceparent:
            attrs["traceparent"] = self.traceparent
        return attrs


class UnknownEventType(LookupError):
    pass


class MalformedEvent(ValueError):
    pass


@dataclass(frozen=True)
class KafkaRecord:
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


def to_kafka(envelope: Envelope) -> KafkaRecord:
    message = ce_kafka.to_binary_event(CloudEvent(envelope.attributes(), envelope.data))
    key = message.key.encode() if isinstance(message.key, str) else (message.key or b"")
    return KafkaRecord(key=key, value=message.value, headers=list(message.headers.items()))


def from_kafka(*, key: bytes | None, value: bytes | None, headers: Any) -> Envelope:
    """Decode a Kafka record in binary mode; raises MalformedEvent on anything off-spec."""
    try:
        message = ce_kafka.KafkaMessage(headers=dict(headers or ()), key=key, value=value or b"")
        event = ce_kafka.from_binary_event(message)
        attrs = event.get_attributes()
        data = event.get_data()
        if isinstance(data, bytes | str):
            data = json.loads(data)
        if not isinstance(data, dict):
            raise MalformedEvent("event data must be a JSON object")
        return Envelope(
            id=attrs["id"],
            type=attrs["type"],
            source=attrs["source"],
            subject=attrs["subject"],
            data=data,
            sequence=parse_sequence(attrs["sequence"]),
            time=attrs.get("time") or utcnow(),
            traceparent=attrs.get("traceparent"),
        )
    except MalformedEvent:
        raise
    except Exception as exc:  # any decoding failure makes the record a poison message
        raise MalformedEvent(f"{type(exc).__name__}: {exc}") from exc
