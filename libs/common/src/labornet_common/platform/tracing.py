"""OpenTelemetry tracing: one trace per filing, across the gateway, the services and Kafka.

Off by default. The standard variables choose the exporter, read once per process:

- ``OTEL_TRACES_EXPORTER``: ``none`` (default), ``otlp`` (OTLP over HTTP, protobuf; the
  endpoint from ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_ENDPOINT``) or
  ``console``; ``OTEL_SDK_DISABLED=true`` turns it off whatever else is set.
- ``OTEL_SERVICE_NAME`` (default ``labornet-<service>``, ``-worker`` for a worker process),
  ``OTEL_RESOURCE_ATTRIBUTES``, and the batch processor's ``OTEL_BSP_*``.

Where spans come from, all wired here and in the platform (never in a service's own code):
FastAPI answers (server spans, the parent taken from the request's ``traceparent``), httpx
calls (the gateway's proxy and webhook deliveries; the client span's context goes out as
``traceparent``), SQLAlchemy statements, the relay's publication of each outbox row (a
producer span whose context becomes the event's CloudEvents ``traceparent``) and a consumer's
handling of each event (a consumer span, child of the publication). So the POST of a filing,
intake's insert, the publication, mediation's handling and its own events share one trace id.

With tracing off nothing is instrumented and the hand-carried ``traceparent`` (a new span id
under the caller's trace, see ``context.child_traceparent``) still links logs and events.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Span, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from labornet_common.platform.context import child_traceparent, valid_traceparent

log = logging.getLogger(__name__)

TRACER_NAME = "labornet"
# Ops paths are polled every few hundred milliseconds by probes and the gateway: no spans.
EXCLUDED_URLS = "/healthz,/readyz,/metrics"
_propagator = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None
_instrumented_httpx = False


class TracingConfigError(ValueError):
    """An ``OTEL_*`` variable names an exporter or protocol LaborNet does not ship."""


def exporter_from_env(environ: Mapping[str, str] | None = None) -> SpanExporter | None:
    """The span exporter the standard ``OTEL_*`` variables ask for (None: tracing off)."""
    env = os.environ if environ is None else environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    names = [n.strip().lower() for n in env.get("OTEL_TRACES_EXPORTER", "none").split(",") if n.strip()]
    names = [n for n in names if n != "none"]
    if not names:
        return None
    if len(names) > 1:
        raise TracingConfigError(f"OTEL_TRACES_EXPORTER: one exporter at a time, not {names}")
    if names[0] == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    if names[0] != "otlp":
        raise TracingConfigError(f"OTEL_TRACES_EXPORTER={names[0]!r}: LaborNet ships 'otlp', 'console' and 'none'")
    protocol = (
        env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or env.get("OTEL_EXPORTER_OTLP_PROTOCOL") or "http/protobuf"
    )
    if protocol != "http/protobuf":
        raise TracingConfigError(f"OTLP protocol {protocol!r}: LaborNet exports OTLP over HTTP (http/protobuf)")
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()  # endpoint, headers, timeout and compression from OTEL_EXPORTER_OTLP_*


def configure(service: str, *, exporter: SpanExporter | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Install this process's tracer provider (once; later calls keep the first). Returns
    whether spans are recorded. ``exporter`` overrides the environment (tests pass an
    in-memory one, exported synchronously)."""
    global _provider, _instrumented_httpx
    if _provider is not None:
        return True
    env = os.environ if environ is None else environ
    chosen = exporter if exporter is not None else exporter_from_env(env)
    if chosen is None:
        return False
    name = env.get("OTEL_SERVICE_NAME") or f"labornet-{service}"
    resource = Resource.create({"service.name": name, "service.namespace": "labornet", "labornet.service": service})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(SimpleSpanProcessor(chosen) if exporter is not None else BatchSpanProcessor(chosen))
    _provider = provider
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    # The gateway's readiness asks every backend's /readyz each time it is probed: no spans
    # for those calls either (the variable is httpx instrumentation's own; a set value wins).
    os.environ.setdefault("OTEL_PYTHON_HTTPX_EXCLUDED_URLS", EXCLUDED_URLS)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    _instrumented_httpx = True
    log.info("tracing on: spans of %s exported by %s", name, type(chosen).__name__)
    return True


def enabled() -> bool:
    return _provider is not None


def reset() -> None:
    """Flush and forget the provider (tests switch tracing on and off within one process)."""
    global _provider, _instrumented_httpx
    if _instrumented_httpx:
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        HTTPXClientInstrumentor().uninstrument()
        _instrumented_httpx = False
    if _provider is not None:
        _provider.shutdown()
    _provider = None


def flush(timeout_ms: int = 5000) -> None:
    """Export what is buffered (a process about to stop)."""
    if _provider is not None:
        _provider.force_flush(timeout_ms)


def instrument_app(app: Any) -> None:
    """Server spans around the app's whole middleware stack (wrappers a service installs, such
    as the gateway's audit recorder, included); ``name_server_span`` names them by route."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    provider = _provider
    build_stack = app.build_middleware_stack

    def build_traced_stack() -> Any:
        return OpenTelemetryMiddleware(
            build_stack(),
            excluded_urls=EXCLUDED_URLS,
            default_span_details=_span_details,
            tracer_provider=provider,
            exclude_spans=["receive", "send"],
        )

    app.build_middleware_stack = build_traced_stack


def _span_details(scope: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    # Named by the method until routing has matched (a path holds case ids: too many names).
    return str(scope.get("method") or "HTTP"), {}


def name_server_span(method: str, route: str | None) -> None:
    """Name the request's server span after its route template (``POST /api/v1/complaints``)."""
    span = trace.get_current_span()
    if route and span.is_recording():
        span.update_name(f"{method} {route}")
        span.set_attribute("http.route", route)


def instrument_engine(engine: Any) -> None:
    """Spans for the statements of one (async) SQLAlchemy engine."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    SQLAlchemyInstrumentor().instrument(
        engine=getattr(engine, "sync_engine", engine), tracer_provider=_provider, skip_dep_check=True
    )


def _tracer() -> trace.Tracer:
    assert _provider is not None
    return _provider.get_tracer(TRACER_NAME)


def traceparent_of(span: trace.Span) -> str | None:
    return traceparent_of_context(span.get_span_context())


def traceparent_of_context(ctx: trace.SpanContext | None) -> str | None:
    """W3C ``traceparent`` of a span context (None for an invalid one)."""
    if ctx is None or not ctx.is_valid:
        return None
    return f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-{int(ctx.trace_flags):02x}"


def current_traceparent() -> str | None:
    """The traceparent of the span in progress (None when no span records)."""
    span = trace.get_current_span()
    return traceparent_of(span) if span.is_recording() else None


def _parent(traceparent: str | None) -> otel_context.Context | None:
    return _propagator.extract({"traceparent": traceparent}) if valid_traceparent(traceparent) else None


def _event_attributes(topic: str, event_id: str, event_type: str, subject: str, sequence: int) -> dict[str, Any]:
    return {
        "messaging.system": "kafka",
        "messaging.destination.name": topic,
        "messaging.message.id": event_id,
        "messaging.kafka.message.key": subject,
        "cloudevents.event_id": event_id,
        "cloudevents.event_type": event_type,
        "cloudevents.event_subject": subject,
        "labornet.sequence": sequence,
    }


def start_publish(
    *, topic: str, event_id: str, event_type: str, subject: str, sequence: int, traceparent: str | None
) -> Span | None:
    """A producer span for one outbox row, child of the request that wrote it (None when
    tracing is off). Its context is the traceparent the event carries; end it with
    ``end_publish`` once the broker answered."""
    if _provider is None:
        return None
    span = _tracer().start_span(
        f"publish {topic}",
        context=_parent(traceparent),
        kind=SpanKind.PRODUCER,
        attributes={
            **_event_attributes(topic, event_id, event_type, subject, sequence),
            "messaging.operation": "publish",
        },
    )
    return span if isinstance(span, Span) else None


def end_publish(span: Span | None, error: BaseException | None) -> None:
    if span is None:
        return
    if error is not None:
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.end()


@contextmanager
def consuming(
    *, consumer: str, topic: str, event_id: str, event_type: str, subject: str, sequence: int, traceparent: str | None
) -> Iterator[str]:
    """Handle one event inside a consumer span, child of its publication; yields the
    traceparent for what the handling writes (its events, its logs)."""
    if _provider is None:
        yield child_traceparent(traceparent)
        return
    attributes = {
        **_event_attributes(topic, event_id, event_type, subject, sequence),
        "messaging.operation": "process",
        "messaging.consumer.group.name": consumer,
    }
    with _tracer().start_as_current_span(
        f"process {topic}", context=_parent(traceparent), kind=SpanKind.CONSUMER, attributes=attributes
    ) as span:
        yield traceparent_of(span) or child_traceparent(traceparent)


def annotate(**attributes: Any) -> None:
    """Attributes on the span in progress (e.g. a consumer's outcome)."""
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attributes({k: v for k, v in attributes.items() if v is not None})


@contextmanager
def delivering(
    *, endpoint_id: str, event_id: str, event_type: str, subject: str, traceparent: str | None
) -> Iterator[None]:
    """A webhook delivery attempt inside the trace of the event it carries (the CloudEvent's
    ``traceparent``); the HTTP call's client span is its child."""
    if _provider is None:
        yield
        return
    attributes = {
        "labornet.webhook.endpoint_id": endpoint_id,
        "cloudevents.event_id": event_id,
        "cloudevents.event_type": event_type,
        "cloudevents.event_subject": subject,
    }
    with _tracer().start_as_current_span(
        "webhook deliver", context=_parent(traceparent), kind=SpanKind.PRODUCER, attributes=attributes
    ):
        yield
