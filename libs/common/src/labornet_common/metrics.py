"""Prometheus metrics shared by every service (exposed at ``/metrics``)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Histogram(
    "labornet_http_request_seconds",
    "HTTP request latency",
    ["service", "method", "route", "status"],
)
OUTBOX_OLDEST_PENDING = Gauge(
    "labornet_outbox_oldest_pending_seconds",
    "Age of the oldest event not yet published by the relay (0 when none)",
    ["service"],
)
OUTBOX_PENDING = Gauge("labornet_outbox_pending_events", "Events waiting in the outbox", ["service"])
OUTBOX_PUBLISHED = Counter("labornet_outbox_published_total", "Events published by the relay", ["service"])
OUTBOX_FAILURES = Counter("labornet_outbox_publish_failures_total", "Events the relay failed to publish", ["service"])
OUTBOX_REPUBLISHED = Counter(
    "labornet_outbox_republished_total",
    "Published events sent again because the broker no longer held them",
    ["service"],
)
CONSUMER_REWINDS = Counter(
    "labornet_consumer_rewinds_total",
    "Partitions a consumer read again from the start after the broker lost its log",
    ["consumer"],
)
CONSUMER_EVENTS = Counter(
    "labornet_consumer_events_total",
    "Events seen by a consumer, by outcome",
    ["consumer", "outcome"],
)
CONSUMER_DEAD_LETTERS = Counter(
    "labornet_consumer_dead_letters_total", "Events sent to a dead-letter topic", ["consumer"]
)
