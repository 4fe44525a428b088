"""The business-metric helpers: gauges that forget emptied stages, clock states on China's
dates, and a scrape that survives a database that does not answer."""

from __future__ import annotations

import asyncio
from datetime import date
from types import SimpleNamespace

from prometheus_client import REGISTRY, Gauge

from labornet_common.platform import metrics

TODAY = date(2026, 9, 30)  # the last working day before the National Day holiday


def _value(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def test_a_stage_that_empties_reads_zero_not_its_last_count() -> None:
    gauge = Gauge("labornet_test_open_cases", "test", ["service", "stage"])
    metrics.replace(gauge, {("svc", "RECEIVED"): 3, ("svc", "MEDIATING"): 1, ("other", "X"): 5})
    metrics.replace(gauge, {("svc", "MEDIATING"): 2}, within=("svc",))
    assert _value("labornet_test_open_cases", service="svc", stage="RECEIVED") == 0
    assert _value("labornet_test_open_cases", service="svc", stage="MEDIATING") == 2
    assert _value("labornet_test_open_cases", service="other", stage="X") == 5  # another service's


def test_clock_states_count_calendar_days_to_the_due_date() -> None:
    assert metrics.clock_state(date(2026, 9, 29), TODAY) == "past"
    assert metrics.clock_state(TODAY, TODAY) == "today"
    assert metrics.clock_state(date(2026, 10, 3), TODAY) == "near"  # 3 days left: CLOCK_NEAR_DAYS
    assert metrics.clock_state(date(2026, 10, 4), TODAY) is None
    metrics.count_clocks(
        "unit",
        [("award", date(2026, 9, 1)), ("award", date(2026, 9, 2)), ("award", date(2026, 12, 1)), ("acceptance", None)],
        TODAY,
    )
    assert _value("labornet_clocks", service="unit", clock="award", state="past") == 2
    assert _value("labornet_clocks", service="unit", clock="award", state="near") is None
    metrics.count_clocks("unit", [], TODAY)  # the overdue clocks stopped
    assert _value("labornet_clocks", service="unit", clock="award", state="past") == 0


async def test_a_scrape_whose_database_hangs_counts_the_failure_and_answers() -> None:
    async def hangs(_runtime: object) -> None:
        await asyncio.sleep(60)

    runtime = SimpleNamespace(spec=SimpleNamespace(name="unit-hang", business_metrics=hangs), relay=None)
    before = _value("labornet_metrics_collect_failures_total", service="unit-hang") or 0
    metrics.COLLECT_TIMEOUT_S, saved = 0.05, metrics.COLLECT_TIMEOUT_S
    try:
        await metrics.collect(runtime)
    finally:
        metrics.COLLECT_TIMEOUT_S = saved
    assert _value("labornet_metrics_collect_failures_total", service="unit-hang") == before + 1


async def test_the_service_reader_runs_on_every_scrape() -> None:
    seen: list[str] = []

    async def reads(runtime: SimpleNamespace) -> None:
        seen.append(runtime.spec.name)
        metrics.replace(metrics.OPEN_CASES, {("unit-read", "RECEIVED"): 7}, within=("unit-read",))

    runtime = SimpleNamespace(spec=SimpleNamespace(name="unit-read", business_metrics=reads), relay=None)
    await metrics.collect(runtime)
    assert seen == ["unit-read"]
    assert _value("labornet_open_cases", service="unit-read", stage="RECEIVED") == 7
