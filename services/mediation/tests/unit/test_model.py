"""The mediation case's transitions, each with the event it records (pure, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from labornet_common.contracts.mediation import AgreementTerm
from labornet_common.reference.calendar import LegalCalendar
from labornet_mediation.domain.agreement import Agreement, RuleBroken
from labornet_mediation.domain.model import MediationCase, MediatorRef, Session
from labornet_mediation.domain.routing import TransferDestination

CAL = LegalCalendar()
DAY = date(2026, 9, 16)
MEDIATOR = MediatorRef("med-410311007-01", "demo:mediator.luoyang", "洛阳 演示调解员")
OTHER = MediatorRef("med-410311007-02", "mediator:med-410311007-02", "李秀英")
TRIBUNAL = TransferDestination("arb-4103", "trib-410311-007", "洛阳市劳动人事争议仲裁委员会科技园派出仲裁庭")


def _case() -> MediationCase:
    return MediationCase.open(
        case_id="c-1",
        division_code="410311007",
        worker_name="王师傅",
        employer_name="洛阳某建筑公司",
        facts="拖欠工资",
        claims=[{"category": "labor_remuneration", "amount_fen": 1860000}],
        opened_at=datetime(2026, 9, 16, 2, tzinfo=UTC),
        calendar=CAL,
        centre_id="med-410311007",
        centre_name="洛龙区科技园街道劳动争议调解中心",
        workplace_division="410311007",
    )


def _types(case: MediationCase) -> list[str]:
    return [e.data.event_type.split(".", 3)[-1] for e in case.pull_events()]


def _agreement(*items: tuple[str, int]) -> Agreement:
    terms = [
        AgreementTerm(payer="洛阳某建筑公司", payee="王师傅", item=i, amount_fen=a, due_on=date(2026, 10, 20))
        for i, a in items
    ]
    return Agreement(agreement_id="a-1", effective_on=date(2026, 9, 20), terms=terms)


def _agreed(*items: tuple[str, int]) -> MediationCase:
    case = _case()
    case.accept(on=DAY)
    case.reach_agreement(_agreement(*items))
    case.pull_events()
    return case


def test_opening_starts_the_clock_at_the_local_date_of_receipt() -> None:
    case = _case()
    assert (case.received_on, case.due_on, case.status) == (DAY, date(2026, 10, 8), "RECEIVED")
    (opened,) = case.pull_events()
    assert opened.data.centre_id == "med-410311007" and opened.data.due_on == date(2026, 10, 8)


def test_accept_assign_session_fail_then_transfer_carries_the_history() -> None:
    case = _case()
    case.pull_events()
    case.accept(on=DAY)
    case.assign(MEDIATOR, on=DAY)
    case.schedule_session(Session("s-1", datetime(2026, 9, 18, 1, tzinfo=UTC), place="科技园街道调解室"))
    case.fail(on=date(2026, 9, 21), reason="no_agreement", note="金额分歧大")
    assert case.transfer(transfer_id="t-1", to=TRIBUNAL, on=date(2026, 9, 21)) == "mediation_failed"
    events = case.pull_events()
    assert [e.data.event_type.split(".", 3)[-1] for e in events] == [
        "case.accepted.v1",
        "mediator.assigned.v1",
        "session.scheduled.v1",
        "case.failed.v1",
        "case.transferred.v1",
        "case.closed.v1",
    ]
    transferred = events[4].data
    assert (transferred.tribunal_id, transferred.commission_id, transferred.grounds) == (
        "trib-410311-007",
        "arb-4103",
        "mediation_failed",
    )
    assert transferred.claims[0].amount_fen == 1860000 and transferred.facts == "拖欠工资"
    assert transferred.history_zh[0].startswith("2026-09-16") and "调解不成：金额分歧大" in transferred.history_zh[-2]
    assert case.status == "TRANSFERRED" and case.outcome == "transferred"


def test_a_timed_out_case_transfers_on_timed_out_grounds() -> None:
    case = _case()
    case.fail(on=date(2026, 10, 9), reason="timed_out")
    assert case.transfer(transfer_id="t-1", to=TRIBUNAL, on=date(2026, 10, 9)) == "timed_out"


def test_transitions_out_of_order_are_refused() -> None:
    case = _case()
    with pytest.raises(RuleBroken):
        case.schedule_session(Session("s-1", datetime(2026, 9, 18, tzinfo=UTC), place="x"))  # not accepted yet
    case.decline(on=DAY, reason="不属于劳动争议")
    for action in (lambda: case.accept(on=DAY), lambda: case.fail(on=DAY, reason="no_agreement")):
        with pytest.raises(RuleBroken):
            action()
    assert case.transfer(transfer_id="t-1", to=TRIBUNAL, on=DAY) == "declined"


def test_recusal_bars_the_mediator_and_records_the_ground() -> None:
    case = _case()
    case.accept(on=DAY)
    case.assign(MEDIATOR, on=DAY)
    case.recuse(MEDIATOR.mediator_id, on=DAY, ground_zh="系当事人的近亲属")
    with pytest.raises(RuleBroken):
        case.assign(MEDIATOR, on=DAY)
    case.assign(OTHER, on=DAY, recusal_ground="near_relative")
    last = case.pull_events()[-1].data
    assert (last.mediator_id, last.recusal_ground) == (OTHER.mediator_id, "near_relative")
    assert "回避：系当事人的近亲属" in case.history_zh[-2]


def test_performance_closes_the_case() -> None:
    case = _agreed(("labor_remuneration", 1_000_000))
    case.record_performance(on=date(2026, 10, 15), performed=True, unpaid_fen=None)
    assert case.status == "PERFORMED" and _types(case) == ["agreement.performed.v1", "case.closed.v1"]


def test_breach_then_payment_order_covers_only_the_eligible_terms() -> None:
    case = _agreed(("labor_remuneration", 1_000_000), ("welfare", 50_000))
    case.record_performance(on=date(2026, 10, 21), performed=False, unpaid_fen=None)
    request = case.request_court(kind="payment_order", on=date(2026, 10, 22), calendar=CAL)
    assert request["amount_fen"] == 1_000_000 and case.status == "COURT"  # LDA Art. 16: not the welfare term
    assert _types(case) == ["agreement.breached.v1", "court_request.made.v1"]


def test_no_payment_order_on_an_agreement_without_wages_or_compensation() -> None:
    case = _agreed(("social_insurance", 300_000))
    case.record_performance(on=date(2026, 10, 21), performed=False, unpaid_fen=None)
    with pytest.raises(RuleBroken) as refused:
        case.request_court(kind="payment_order", on=date(2026, 10, 22), calendar=CAL)
    assert refused.value.code == "mediation.payment_order_ineligible"


def test_judicial_confirmation_within_30_days_of_effect_only() -> None:
    # Effective 2026-09-20: day 30 is 10-20 (a working day).
    case = _agreed(("labor_remuneration", 1_000_000))
    case.request_court(kind="judicial_confirmation", on=date(2026, 10, 20), calendar=CAL)
    late = _agreed(("labor_remuneration", 1_000_000))
    with pytest.raises(RuleBroken) as refused:
        late.request_court(kind="judicial_confirmation", on=date(2026, 10, 21), calendar=CAL)
    assert refused.value.code == "mediation.judicial_confirmation_late"


def test_court_answers_apply_once_and_a_refused_payment_order_reopens_arbitration() -> None:
    case = _agreed(("labor_remuneration", 1_000_000))
    case.record_performance(on=date(2026, 10, 21), performed=False, unpaid_fen=400_000)
    case.request_court(kind="payment_order", on=date(2026, 10, 22), calendar=CAL)
    answer = {"kind": "payment_order", "on": date(2026, 11, 2), "court_name": "洛龙区法院", "court_case_number": "1"}
    assert case.record_court_result(outcome="objection", **answer)
    assert not case.record_court_result(outcome="objection", **answer)  # a repeat changes nothing
    assert case.status == "BREACHED"
    assert case.transfer(transfer_id="t", to=TRIBUNAL, on=date(2026, 11, 3)) == "agreement_breached"


def test_an_issued_payment_order_closes_the_case() -> None:
    case = _agreed(("economic_compensation", 500_000))
    case.record_performance(on=date(2026, 10, 21), performed=False, unpaid_fen=None)
    case.request_court(kind="payment_order", on=date(2026, 10, 22), calendar=CAL)
    case.record_court_result(
        kind="payment_order", outcome="issued", on=date(2026, 11, 2), court_name="法院", court_case_number=""
    )
    assert case.outcome == "court" and _types(case)[-1] == "case.closed.v1"


def test_agreement_terms_are_checked() -> None:
    case = _case()
    case.accept(on=DAY)
    bad = _agreement(("labor_remuneration", 100))
    bad.terms[0] = bad.terms[0].model_copy(update={"due_on": date(2026, 9, 1)})
    with pytest.raises(RuleBroken) as refused:
        case.reach_agreement(bad)
    assert refused.value.field == "terms.0.due_on"
    with pytest.raises(RuleBroken):
        case.reach_agreement(_agreement(("bonus", 100)))
