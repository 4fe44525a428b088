"""The reporting read model's folds and figures, with the law's own numbers: 15 days of
mediation (LDA Art. 14) and 45 (+15) days to the award (LDA Art. 43) on the legal calendar,
where a last day in the National Day holiday rolls to the next working day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from labornet_common.reference.calendar import Period, default_calendar
from labornet_gateway.domain.reports import AlertFacts, CaseFacts, NamedEnterprise, figures, fold_alert, fold_case

CAL = default_calendar()
M, A, N, W = "cn.labornet.mediation.", "cn.labornet.arbitration.", "cn.labornet.intake.", "cn.labornet.wage_arrears."
TODAY = date(2026, 12, 5)
USCC = "91350100M000100Y43"


def _case(case_id: str, *events: tuple[str, dict[str, Any]]) -> CaseFacts:
    facts = CaseFacts(case_id=case_id)
    for event_type, data in events:
        fold_case(facts, event_type, {"case_id": case_id, **data})
    return facts


def _filed(channel: str = "online", street: str = "410311007", at: str = "2026-09-19T17:00:00+00:00", **more: Any):
    data = {"channel": channel, "workplace_division": street, "region_code": "4103", "received_at": at}
    return N + "complaint.received.v1", {"employer_name": "洛阳某建筑公司", **data, **more}


def _mediation(received: date, centre: str = "med-410311007") -> tuple[str, dict[str, Any]]:
    due = CAL.deadline(Period.MEDIATION_15D, received).due  # LDA Art. 14
    return M + "case.opened.v1", {
        "centre_id": centre,
        "division_code": "410311",
        "received_on": received.isoformat(),
        "due_on": due.isoformat(),
    }


def test_the_15_days_roll_past_national_day_and_a_day_later_is_late() -> None:
    received = date(2026, 9, 20)
    assert CAL.deadline(Period.MEDIATION_15D, received).due == date(2026, 10, 8)  # 10-05 is a holiday
    on_time = _case("c1", _filed(), _mediation(received), (M + "case.failed.v1", {"failed_on": "2026-10-08"}))
    late = _case("c2", _filed(), _mediation(received), (M + "agreement.reached.v1", {"effective_on": "2026-10-09"}))
    got = figures([on_time, late], [], [], today=TODAY)
    rate = got["mediation_on_time"]["med-410311007"]
    assert (rate.numerator, rate.denominator, rate.percent) == (1, 2, 50.0)
    success = got["mediation_success"]
    assert (success.numerator, success.denominator) == (1, 2)


def test_an_agreed_extension_moves_the_mediation_limit() -> None:
    received = date(2026, 9, 20)
    extended = (M + "period.extended.v1", {"previous_due_on": "2026-10-08", "due_on": "2026-10-18"})
    case = _case("c1", _filed(), _mediation(received), extended, (M + "case.failed.v1", {"failed_on": "2026-10-15"}))
    assert figures([case], [], [], today=TODAY)["mediation_on_time"]["med-410311007"].numerator == 1


def test_award_within_45_days_plus_the_chairs_15_is_on_time() -> None:
    accepted = date(2026, 8, 20)
    due = CAL.deadline(Period.AWARD_45D, accepted).due
    assert due == date(2026, 10, 8)  # 45 days end on 10-04, in the holiday
    extended_to = CAL.roll_forward(accepted + timedelta(days=60))  # LDA Art. 43: at most 15 more
    opened = (
        A + "application.accepted.v1",
        {"commission_id": "arb-4103", "accepted_on": "2026-08-20", "award_due_on": due.isoformat()},
    )
    award = (A + "award.issued.v1", {"issued_on": "2026-10-15"})
    plain = _case("a1", _filed(), opened, award)
    extended = _case("a2", _filed(), opened, (A + "clock.extended.v1", {"new_due_on": extended_to.isoformat()}), award)
    rate = figures([plain, extended], [], [], today=TODAY)["arbitration_on_time"]["arb-4103"]
    assert (rate.numerator, rate.denominator) == (1, 2)


def test_events_in_any_order_give_the_same_sheet() -> None:
    events = [_filed(), _mediation(date(2026, 9, 20)), (M + "case.failed.v1", {"failed_on": "2026-10-09"})]
    assert _case("c", *events) == _case("c", *reversed(events))


def test_filings_by_channel_street_and_local_month() -> None:
    # 2026-09-30 17:00 UTC is 10-01 01:00 in Beijing: an October filing.
    cases = [
        _case("c1", _filed("online", at="2026-09-30T17:00:00+00:00")),
        _case("c2", _filed("window", street="410311008", at="2026-09-30T15:00:00+00:00")),
        _case("c3", _filed("window", street="410311")),
    ]
    got = figures(cases, [], [], today=TODAY)
    assert got["by_channel"] == {"online": 1, "window": 2}
    assert got["by_street"] == {"": 1, "410311007": 1, "410311008": 1}
    assert got["by_month"] == {"2026-09": 2, "2026-10": 1}


def test_open_and_overdue_clocks() -> None:
    open_late = _case("c1", _filed(), _mediation(date(2026, 11, 1)))
    open_in_time = _case("c2", _filed(), _mediation(date(2026, 12, 1)))
    clocks = figures([open_late, open_in_time], [], [], today=TODAY)["open_clocks"]
    assert clocks["mediation_open"] == 2 and clocks["mediation_overdue"] == 1


def test_alerts_keep_the_latest_amount_and_state() -> None:
    alert = AlertFacts(alert_id="al1")
    raised = {
        "alert_id": "al1",
        "region_code": "410311",
        "rule": "R",
        "employer_name": "甲",
        "raised_at": "2026-12-01T02:00:00+00:00",
        "amount_fen": 100,
        "worker_count": 3,
    }
    updated = {**raised, "updated_at": "2026-12-02T02:00:00+00:00", "amount_fen": 250}
    resolved = {**raised, "state": "resolved", "changed_at": "2026-12-03T02:00:00+00:00"}
    for event_type, data in (
        (W + "alert.state_changed.v1", resolved),
        (W + "alert.updated.v1", updated),
        (W + "alert.raised.v1", raised),
    ):
        fold_alert(alert, event_type, data)
    assert (alert.amount_fen, alert.state, alert.raised_on) == (250, "resolved", date(2026, 12, 1))
    got = figures([], [alert], [], today=TODAY)["alerts"]
    assert got == {"raised": 1, "open": 0, "amount_fen": 250, "open_amount_fen": 0}


def test_a_named_enterprise_with_a_collective_case_is_flagged_for_checking() -> None:
    named = NamedEnterprise(name="洛阳和谐机械有限公司", uscc=USCC, level="市级")
    quiet = NamedEnterprise(name="洛阳安宁公司", uscc="", level="县级")
    case = _case(
        "c1", _filed(employer_uscc=USCC, employer_name="洛阳和谐机械（改名）", collective=True, worker_count=12)
    )
    rows = figures([case], [], [named, quiet], today=TODAY)["enterprise_check"]
    assert rows[0]["name"] == "洛阳和谐机械有限公司" and rows[0]["check"] and rows[0]["collective"] == 1
    assert rows[1]["name"] == "洛阳安宁公司" and not rows[1]["check"]
