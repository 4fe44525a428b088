"""Alert lifecycle, clocks and escalation, and one alert per pattern (pure domain)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from labornet_common.contracts.wage_arrears import AlertRaised, AlertStateChanged, AlertUpdated
from labornet_common.testing.wage_arrears_support import T0, complaint, wages
from labornet_wage_arrears.domain.alerts import Alert, TransitionRefused
from labornet_wage_arrears.domain.config import RuleConfig
from labornet_wage_arrears.domain.engine import MemoryEngine

CONFIG = RuleConfig()


def repeated_alert() -> Alert:
    engine = MemoryEngine()
    for i in range(3):
        engine.handle(f"c{i}", complaint(f"c{i}", at=T0 + timedelta(days=i)), T0)
    alert = engine.alerts[next(k for k in engine.alerts if k.startswith("repeated_complaints"))]
    alert.pull_events()
    return alert


def test_open_acknowledged_dispatched_resolved() -> None:
    alert = repeated_alert()
    assert (alert.state, alert.clock, alert.due_at) == ("open", "acknowledge", T0 + timedelta(hours=72))
    alert.acknowledge(by="demo:inspector.luoyang", now=T0 + timedelta(hours=1), config=CONFIG)
    assert alert.owner == "demo:inspector.luoyang" and alert.clock == "dispatch"
    assert alert.due_at == T0 + timedelta(hours=1 + 168)
    alert.dispatch(by="demo:inspector.luoyang", to="inspection_brigade", now=T0 + timedelta(hours=2))
    assert (alert.state, alert.due_at, alert.dispatched_to) == ("dispatched", None, "inspection_brigade")
    alert.resolve(by="demo:inspector.luoyang", reason="已足额支付", now=T0 + timedelta(days=3))
    states = [e.data.state for e in alert.pull_events()]
    assert states == ["acknowledged", "dispatched", "resolved"] and alert.reason == "已足额支付"
    assert [h["state"] for h in alert.history] == ["open", "acknowledged", "dispatched", "resolved"]


@pytest.mark.parametrize("done", ["resolved", "closed"])
def test_a_finished_alert_accepts_no_further_step(done: str) -> None:
    alert = repeated_alert()
    alert.acknowledge(by="i", now=T0, config=CONFIG)
    finish = alert.resolve if done == "resolved" else alert.close
    finish(by="i", reason="x", now=T0)
    for step in (
        lambda: alert.acknowledge(by="i", now=T0, config=CONFIG),
        lambda: alert.dispatch(by="i", to="police", now=T0),
        lambda: alert.close(by="i", reason="x", now=T0),
    ):
        with pytest.raises(TransitionRefused):
            step()


def test_an_open_alert_cannot_be_resolved_unseen() -> None:
    with pytest.raises(TransitionRefused):
        repeated_alert().resolve(by="i", reason="x", now=T0)


def test_escalation_when_the_clock_runs_out() -> None:
    alert = repeated_alert()  # yellow: 72 hours to acknowledge
    assert not alert.overdue(T0 + timedelta(hours=72) - timedelta(seconds=1))
    assert alert.overdue(T0 + timedelta(hours=72))
    at = T0 + timedelta(hours=72)
    alert.escalate(now=at, config=CONFIG)
    assert (alert.severity, alert.escalation_level, alert.state) == ("orange", 1, "open")
    assert alert.due_at == at + timedelta(hours=24)  # the orange acknowledgement clock
    alert.escalate(now=alert.due_at, config=CONFIG)
    alert.escalate(now=alert.due_at, config=CONFIG)
    assert (alert.severity, alert.escalation_level) == ("red", 3)  # red stays red, the level climbs
    events = alert.pull_events()
    assert all(isinstance(e.data, AlertStateChanged) and e.data.state == "escalated" for e in events)
    assert [e.data.escalation_level for e in events] == [1, 2, 3]


def test_an_acknowledged_alert_escalates_on_the_dispatch_clock() -> None:
    alert = repeated_alert()
    alert.acknowledge(by="i", now=T0, config=CONFIG)
    alert.escalate(now=T0 + timedelta(hours=168), config=CONFIG)
    assert alert.clock == "dispatch" and alert.due_at == T0 + timedelta(hours=168 + 72)


def test_the_same_pattern_updates_its_alert_instead_of_raising_another() -> None:
    engine = MemoryEngine()
    raised = engine.handle("c1", complaint("c1", workers=10, claims=[wages(100_000)]), T0).raised
    assert [a.rule for a in raised] == ["collective_arrears"]
    second = complaint("c2", workers=12, claims=[wages(200_000)])
    outcome = engine.handle("c2", second, T0 + timedelta(hours=1))
    assert not any(a.rule == "collective_arrears" for a in outcome.raised)
    alert = next(a for a in outcome.updated if a.rule == "collective_arrears")
    assert alert.case_ids == ["c1", "c2"] and alert.worker_count == 22
    kinds = [type(e.data) for e in alert.pull_events()]
    assert kinds == [AlertRaised, AlertUpdated]


def test_a_pattern_back_after_resolution_is_a_new_occurrence() -> None:
    engine = MemoryEngine()
    engine.handle("c1", complaint("c1", police=True), T0)
    first = next(iter(engine.alerts.values()))
    first.acknowledge(by="i", now=T0, config=CONFIG)
    first.resolve(by="i", reason="处置完毕", now=T0)
    assert not engine.handle("c1", complaint("c1", police=True), T0).raised  # nothing new: stays resolved
    again = engine.handle("c2", complaint("c2", police=True), T0 + timedelta(days=1)).raised
    assert [(a.occurrence, a.alert_key) for a in again] == [(2, first.alert_key)]
    assert again[0].alert_id != first.alert_id


def test_a_finding_raises_the_same_alert_id_in_any_engine() -> None:
    ids = []
    for _ in range(2):
        engine = MemoryEngine()
        engine.handle("c1", complaint("c1", police=True), T0)
        ids.append(sorted(a.alert_id for a in engine.alerts.values()))
    assert ids[0] == ids[1]
