"""Prometheus metrics shared by every service (exposed at ``/metrics``, workers included).

Backbone metrics (HTTP latency, outbox backlog, consumer outcomes and lag, dead letters) are
counted where they happen. Business metrics (open cases per stage, statutory clocks near or
past their limit, webhook deliveries) are read from the service's own tables when ``/metrics``
is scraped: each service names its reader in ``ServiceSpec.business_metrics``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

log = logging.getLogger(__name__)

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
# Round trips to the database: statements sent, and connections checked out of the pool (on
# PostgreSQL each checkout is also a pre-ping). The filing benchmark divides them per request.
DB_STATEMENTS = Counter("labornet_db_statements_total", "SQL statements sent to the database")
DB_CHECKOUTS = Counter("labornet_db_checkouts_total", "Connections taken from the pool")
CONSUMER_EVENTS = Counter(
    "labornet_consumer_events_total",
    "Events seen by a consumer, by outcome",
    ["consumer", "outcome"],
)
CONSUMER_DEAD_LETTERS = Counter(
    "labornet_consumer_dead_letters_total", "Events sent to a dead-letter topic", ["consumer"]
)
CONSUMER_LAG = Gauge(
    "labornet_consumer_lag_events",
    "Events on the broker a consumer group has not read yet (high watermark minus position, summed over partitions)",
    ["group", "topic"],
)

# -- business metrics: set from each service's own tables when /metrics is scraped --------
OPEN_CASES = Gauge(
    "labornet_open_cases",
    "Cases not yet closed that this service holds, by stage (the service's own status)",
    ["service", "stage"],
)
CLOCKS = Gauge(
    "labornet_clocks",
    "Running statutory clocks near their limit (at most CLOCK_NEAR_DAYS left), due today, or past it",
    ["service", "clock", "state"],
)
WEBHOOK_DELIVERIES = Gauge(
    "labornet_webhook_deliveries",
    "Webhook deliveries by status (pending: still retrying; failed: retries exhausted)",
    ["status"],
)
WEBHOOK_ENDPOINTS = Gauge("labornet_webhook_endpoints", "Webhook endpoints by status", ["status"])
WEBHOOK_ATTEMPT_FAILURES = Counter(
    "labornet_webhook_delivery_failures_total",
    "Webhook delivery attempts that failed (refused: the receiver answered non-2xx; unreachable: no answer)",
    ["reason"],
)
WEBHOOK_ATTEMPTS = Counter("labornet_webhook_delivery_attempts_total", "Webhook delivery attempts")
COLLECT_FAILURES = Counter(
    "labornet_metrics_collect_failures_total",
    "Scrapes whose business metrics could not be read (the database did not answer in time)",
    ["service"],
)

CLOCK_NEAR_DAYS = 3  # operators' early warning, not a legal period: the console's "due soon" too
COLLECT_TIMEOUT_S = 5.0
_seen: dict[Gauge, set[tuple[str, ...]]] = {}


def clock_state(due: date, today: date) -> str | None:
    """``past``, ``today`` or ``near`` for a clock worth watching, None for one with time left."""
    left = (due - today).days
    if left < 0:
        return "past"
    if left == 0:
        return "today"
    return "near" if left <= CLOCK_NEAR_DAYS else None


def replace(gauge: Gauge, values: Mapping[tuple[str, ...], float], *, within: tuple[str, ...] = ()) -> None:
    """Set ``gauge`` to exactly ``values``: label sets set before (starting with ``within``)
    and now absent go to 0, so a stage that emptied reads 0 rather than its last count."""
    seen = _seen.setdefault(gauge, set())
    for labels in seen - set(values):
        if labels[: len(within)] == within:
            gauge.labels(*labels).set(0)
    for labels, value in values.items():
        gauge.labels(*labels).set(value)
    seen.update(values)


def count_clocks(service: str, clocks: Iterable[tuple[str, date | None]], today: date) -> None:
    """``clocks``: (clock name, due date) of every running clock of the service."""
    counts: dict[tuple[str, ...], float] = {}
    for clock, due in clocks:
        state = clock_state(due, today) if due is not None else None
        if state is not None:
            counts[(service, clock, state)] = counts.get((service, clock, state), 0) + 1
    replace(CLOCKS, counts, within=(service,))


async def collect(runtime: Any) -> None:
    """Bring the scraped gauges up to date: the outbox backlog and the service's own metrics."""
    service = runtime.spec.name
    try:
        async with asyncio.timeout(COLLECT_TIMEOUT_S):
            if runtime.relay is not None:
                await runtime.relay.backlog()
            if runtime.spec.business_metrics is not None:
                await runtime.spec.business_metrics(runtime)
    except Exception as exc:  # a scrape never fails: stale gauges and a counted failure instead
        COLLECT_FAILURES.labels(service).inc()
        log.warning("metrics: business metrics of %s not read: %s", service, type(exc).__name__)


WAGE_ARREARS_ALERTS = Gauge(
    "labornet_wage_arrears_alerts",
    "Wage-arrears alerts still being worked (open, acknowledged, dispatched), by state and severity",
    ["state", "severity"],
)
