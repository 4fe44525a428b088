"""The Grafana dashboard (deploy/grafana/labornet-operations.json) asks only for metrics the
services export, with their own label names, and shows every business metric. Offline: the
PromQL is checked against labornet_common.platform.metrics, not a running Prometheus."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.metrics import MetricWrapperBase

from labornet_common.platform import metrics

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "labornet-operations.json"
SUFFIXES = {"counter": ("_total",), "gauge": ("",), "histogram": ("_bucket", "_sum", "_count")}
# What the operators asked to see (issue: business metrics and the backbone's health).
MUST_SHOW = (
    metrics.OPEN_CASES,
    metrics.CLOCKS,
    metrics.CONSUMER_LAG,
    metrics.OUTBOX_PENDING,
    metrics.OUTBOX_OLDEST_PENDING,
    metrics.WEBHOOK_DELIVERIES,
    metrics.WEBHOOK_ATTEMPT_FAILURES,
    metrics.CONSUMER_DEAD_LETTERS,
    metrics.WAGE_ARREARS_ALERTS,
    metrics.HTTP_REQUESTS,
)


def exported() -> dict[str, MetricWrapperBase]:
    """Sample name -> metric, for every metric LaborNet defines."""
    found: dict[str, MetricWrapperBase] = {}
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            for suffix in SUFFIXES[value._type]:
                found[value._name + suffix] = value
    return found


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def expressions(dashboard: dict[str, Any]) -> list[str]:
    return [t["expr"] for p in dashboard["panels"] for t in p["targets"]]


def test_every_expression_names_exported_metrics_and_their_labels(dashboard: dict[str, Any]) -> None:
    known = exported()
    for expr in expressions(dashboard):
        names = re.findall(r"\blabornet_[a-z_]+\b", expr)
        assert names, expr
        unknown = [n for n in names if n not in known]
        assert not unknown, f"{expr}: {unknown} is not exported"
        labels = {label for n in names for label in known[n]._labelnames}
        if any(known[n]._type == "histogram" for n in names):
            labels.add("le")
        used = {x.strip() for group in re.findall(r"by \(([^)]*)\)", expr) for x in group.split(",") if x.strip()}
        used |= {m for group in re.findall(r"\{([^}]*)\}", expr) for m in re.findall(r"(\w+)\s*[!=]~?", group)}
        assert used <= labels, f"{expr}: labels {used - labels} are not the metric's"


def test_the_dashboard_shows_every_business_and_backbone_metric(dashboard: dict[str, Any]) -> None:
    text = " ".join(expressions(dashboard))
    for metric in MUST_SHOW:
        assert any(metric._name + s in text for s in SUFFIXES[metric._type]), metric._name


def test_the_dashboard_is_well_formed(dashboard: dict[str, Any]) -> None:
    assert dashboard["uid"] == "labornet-operations" and dashboard["panels"]
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    (variable,) = dashboard["templating"]["list"]
    assert variable == {"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Prometheus"}
    cells: set[tuple[int, int]] = set()
    for panel in dashboard["panels"]:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        refs = [t["refId"] for t in panel["targets"]]
        assert len(refs) == len(set(refs)), panel["title"]
        pos = panel["gridPos"]
        assert 0 <= pos["x"] and pos["x"] + pos["w"] <= 24, panel["title"]  # Grafana's 24 columns
        mine = {(x, y) for x in range(pos["x"], pos["x"] + pos["w"]) for y in range(pos["y"], pos["y"] + pos["h"])}
        assert not cells & mine, f"{panel['title']} overlaps another panel"
        cells |= mine
