"""Periodic checks back off while nothing moves and return to their interval with work."""

from __future__ import annotations

from labornet_common.platform.pace import IdlePace


def _due_times(pace: IdlePace, until: float, step: float = 0.05) -> list[float]:
    times, t = [], 0.0
    while t <= until + 1e-9:
        if pace.due(t):
            times.append(round(t, 2))
        t = round(t + step, 2)
    return times


def test_idle_checks_double_up_to_the_cap() -> None:
    pace = IdlePace(1.0, 5.0)
    # 1, 2, 4, then 5 s apart; a fixed 1 s interval would have checked 21 times.
    assert _due_times(pace, 20.0) == [0.0, 1.0, 3.0, 7.0, 12.0, 17.0]


def test_work_brings_the_next_check_within_the_interval_and_the_interval_back() -> None:
    pace = IdlePace(1.0, 8.0)
    for t in (0.0, 1.0, 3.0, 7.0):
        assert pace.due(t)
    assert pace.next_at == 15.0 and pace.remaining(7.5) == 7.5
    pace.busy(7.5)  # records fetched, a batch published
    assert pace.next_at == 8.5 and not pace.due(8.4) and pace.due(8.5)
    assert pace.period_s == 1.0 and pace.next_at == 9.5
    pace.busy(9.0)  # still busy: checks stay 1 s apart
    assert pace.due(9.5) and pace.next_at == 10.5
    assert pace.due(10.5) and pace.next_at == 12.5  # quiet again: backing off


def test_busy_never_postpones_a_check_already_due_sooner() -> None:
    pace = IdlePace(2.0, 8.0)
    assert pace.due(0.0) and pace.next_at == 2.0
    pace.busy(1.5)
    assert pace.next_at == 2.0
    pace.force()
    pace.busy(1.6)
    assert pace.forced and pace.due(1.6)


def test_force_and_defer() -> None:
    pace = IdlePace(1.0, 4.0)
    assert pace.forced and pace.due(10.0)  # a new pace checks at once
    pace.force()  # after a failure
    assert pace.forced and pace.remaining(10.1) == 0.0 and pace.due(10.1)
    assert pace.period_s == 2.0  # a forced check does not reset the backoff
    pace.defer(12.0)  # a check that took until 12.0 answered: the next one a period after
    assert pace.next_at == 14.0


def test_without_a_cap_the_interval_is_fixed() -> None:
    assert _due_times(IdlePace(1.0), 4.0) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert _due_times(IdlePace(1.0, 0.5), 2.0) == [0.0, 1.0, 2.0]  # a cap below the interval is the interval
