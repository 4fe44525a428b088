"""Tracing in one process with an in-memory exporter: the server span of a request, the relay's
publication of the event it wrote and a consumer's handling form one trace, parent to child."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from labornet_common.platform import tracing
from labornet_common.platform.app import RequestContextMiddleware
from labornet_common.platform.context import traceparent_var

CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    tracing.reset()
    exporter = InMemorySpanExporter()
    assert tracing.configure("unit", exporter=exporter)
    try:
        yield exporter
    finally:
        tracing.reset()


def _app() -> FastAPI:
    app = FastAPI()

    @app.post("/things")
    async def things() -> dict[str, str | None]:
        return {"traceparent": traceparent_var.get()}

    app.add_middleware(RequestContextMiddleware, service="unit")
    tracing.instrument_app(app)
    return app


async def test_request_publication_and_handling_share_one_trace(spans: InMemorySpanExporter) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://t") as client:
        answer = await client.post("/things", headers={"traceparent": CALLER})
    written = answer.json()["traceparent"]  # what the request's events would carry (uow)
    assert written == answer.headers["traceparent"]
    _, trace_id, server_span_id, _ = written.split("-")
    assert trace_id == CALLER.split("-")[1]  # the caller's trace goes on

    publish = tracing.start_publish(
        topic="intake.complaints.v1", event_id="e1", event_type="t", subject="case-1", sequence=1, traceparent=written
    )
    assert publish is not None
    carried = tracing.traceparent_of(publish)  # the event's CloudEvents traceparent
    tracing.end_publish(publish, None)
    with tracing.consuming(
        consumer="mediation.intake",
        topic="intake.complaints.v1",
        event_id="e1",
        event_type="t",
        subject="case-1",
        sequence=1,
        traceparent=carried,
    ) as handling:
        tracing.annotate(**{"labornet.outcome": "applied"})
    finished = {s.name: s for s in spans.get_finished_spans()}
    server = next(s for s in finished.values() if s.kind is SpanKind.SERVER)
    produced, consumed = finished["publish intake.complaints.v1"], finished["process intake.complaints.v1"]
    assert {f"{s.context.trace_id:032x}" for s in (server, produced, consumed)} == {trace_id}
    assert f"{server.context.span_id:016x}" == server_span_id
    assert server.parent is not None and f"{server.parent.span_id:016x}" == CALLER.split("-")[2]
    assert produced.kind is SpanKind.PRODUCER and produced.parent.span_id == server.context.span_id
    assert consumed.kind is SpanKind.CONSUMER and consumed.parent.span_id == produced.context.span_id
    assert handling == tracing.traceparent_of_context(consumed.context)
    assert consumed.attributes["messaging.consumer.group.name"] == "mediation.intake"
    assert consumed.attributes["labornet.outcome"] == "applied"
    assert produced.attributes["cloudevents.event_subject"] == "case-1"
    assert produced.resource.attributes["service.name"] == "labornet-unit"


async def test_a_failed_publication_is_an_error_span(spans: InMemorySpanExporter) -> None:
    span = tracing.start_publish(topic="x", event_id="e", event_type="t", subject="c", sequence=3, traceparent=None)
    tracing.end_publish(span, ConnectionError("broker gone"))
    (done,) = spans.get_finished_spans()
    assert not done.status.is_ok and done.events[0].name == "exception"


def test_tracing_off_keeps_the_hand_carried_trace() -> None:
    tracing.reset()
    assert not tracing.configure("unit", environ={})
    assert (
        tracing.start_publish(topic="x", event_id="e", event_type="t", subject="c", sequence=1, traceparent=CALLER)
        is None
    )
    with tracing.consuming(
        consumer="c", topic="x", event_id="e", event_type="t", subject="c", sequence=1, traceparent=CALLER
    ) as child:
        assert child.split("-")[1] == CALLER.split("-")[1] and child != CALLER
    assert tracing.current_traceparent() is None


@pytest.mark.parametrize(
    "env, exporter",
    [
        ({}, None),
        ({"OTEL_TRACES_EXPORTER": "none"}, None),
        ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "true"}, None),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, "OTLPSpanExporter"),
        ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"}, "OTLPSpanExporter"),
        ({"OTEL_TRACES_EXPORTER": "console"}, "ConsoleSpanExporter"),
    ],
)
def test_the_standard_variables_choose_the_exporter(env: dict[str, str], exporter: str | None) -> None:
    chosen = tracing.exporter_from_env(env)
    assert (type(chosen).__name__ if chosen is not None else None) == exporter


@pytest.mark.parametrize(
    "env, named",
    [
        ({"OTEL_TRACES_EXPORTER": "zipkin"}, "zipkin"),
        ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "grpc"),
        ({"OTEL_TRACES_EXPORTER": "otlp,console"}, "one exporter"),
    ],
)
def test_an_exporter_not_shipped_is_refused_by_name(env: dict[str, str], named: str) -> None:
    with pytest.raises(tracing.TracingConfigError, match=named):
        tracing.exporter_from_env(env)


async def test_a_webhook_delivery_joins_the_trace_of_its_event(spans: InMemorySpanExporter) -> None:
    with tracing.delivering(endpoint_id="ep-1", event_id="e1", event_type="t", subject="case-1", traceparent=CALLER):
        inside = tracing.current_traceparent()  # what the HTTP call's client span descends from
    delivery = next(s for s in spans.get_finished_spans() if s.name == "webhook deliver")
    assert f"{delivery.context.trace_id:032x}" == CALLER.split("-")[1]
    assert f"{delivery.parent.span_id:016x}" == CALLER.split("-")[2]
    assert inside == tracing.traceparent_of_context(delivery.context)
    assert delivery.attributes["labornet.webhook.endpoint_id"] == "ep-1"


async def test_probes_and_scrapes_make_no_spans(spans: InMemorySpanExporter) -> None:
    app = _app()

    @app.get("/readyz")
    async def readyz() -> dict[str, bool]:
        return {"ready": True}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/readyz")).status_code == 200
        await client.post("/things")
    assert [s.name for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER] == ["POST /things"]
