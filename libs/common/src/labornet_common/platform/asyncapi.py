"""AsyncAPI 3.0 document for LaborNet's topics, generated from the event contracts.

``labornet asyncapi > docs/asyncapi.yaml`` regenerates it; a test fails when the committed
document and the contracts in code disagree.
"""

from __future__ import annotations

from typing import Any

import yaml

import labornet_common.contracts  # noqa: F401  (registers every contract)
from labornet_common.contracts.events import EventData
from labornet_common.contracts.topics import CALENDAR, CASE_TOPICS, ORGANISATIONS, REFERENCE_TOPICS

CONTRACTS_PACKAGE = "labornet_common.contracts"


def contract_types() -> dict[str, type[EventData]]:
    return {t: cls for t, cls in sorted(EventData.registry.items()) if cls.__module__.startswith(CONTRACTS_PACKAGE)}


def _message_name(event_type: str) -> str:
    return event_type.removeprefix("cn.labornet.").replace(".", "_")


def _payload(cls: type[EventData], shared: dict[str, Any]) -> dict[str, Any]:
    # Nested models become shared component schemas: a "#/$defs/…" reference inside a message
    # would resolve against the document root in AsyncAPI, not against the payload.
    schema = cls.model_json_schema(ref_template="#/components/schemas/{model}")
    shared.update(schema.pop("$defs", {}))
    schema["$id"] = cls.json_schema()["$id"]
    return schema


def _message(event_type: str, cls: type[EventData], shared: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": event_type,
        "title": cls.__name__,
        "summary": (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else event_type,
        "contentType": "application/json",
        "headers": {"$ref": "#/components/schemas/CloudEventHeaders"},
        "bindings": {"kafka": {"key": {"type": "string", "description": "case id"}}},
        "payload": _payload(cls, shared),
    }


def _headers_schema() -> dict[str, Any]:
    required = ["ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject", "ce_partitionkey", "ce_sequence"]
    props = {name: {"type": "string"} for name in [*required, "ce_time", "ce_traceparent", "ce_dataschema"]}
    props["ce_specversion"] = {"const": "1.0"}
    props["ce_sequence"]["description"] = (
        "position of the event in its case stream (1, 2, …), zero-padded to 19 digits so that lexical order "
        "is numeric order (0000000000000000001); readers also accept unpadded values"
    )
    props["content-type"] = {"const": "application/json"}
    return {"type": "object", "required": required, "properties": props}


def build() -> dict[str, Any]:
    types = contract_types()
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic in (*CASE_TOPICS, *REFERENCE_TOPICS):
        names = [_message_name(t) for t, cls in types.items() if cls.topic == topic]
        channel_id = topic.replace(".", "_").replace("-", "_")
        keyed = {
            CALENDAR: "one stream per year (calendar-2027)",
            ORGANISATIONS: "one stream per body (a centre, 派出庭 or mediator id, a named enterprise)",
        }.get(topic, "case events keyed by case id")
        channels[channel_id] = {
            "address": topic,
            "description": f"{keyed}; dead letters in {topic}.dlq",
            "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in names},
        }
        if names:
            operations[f"publish_{channel_id}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{channel_id}"},
                "messages": [{"$ref": f"#/channels/{channel_id}/messages/{n}"} for n in names],
            }
    schemas: dict[str, Any] = {"CloudEventHeaders": _headers_schema()}
    for t, cls in types.items():
        messages[_message_name(t)] = _message(t, cls, schemas)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "LaborNet case events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 in Kafka binary mode; one key (the case id) per case.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def render() -> str:
    text: str = yaml.safe_dump(build(), allow_unicode=True, sort_keys=False, width=100)
    return text
