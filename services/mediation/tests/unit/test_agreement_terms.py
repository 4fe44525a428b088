"""Agreements with money and non-money terms, each performed or breached on its own (LDA Arts.
14-16), and workers joining a case (LDA Art. 7): the rules one by one, pure, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from labornet_common.contracts.mediation import AgreementTerm
from labornet_common.reference.calendar import LegalCalendar
from labornet_mediation.domain.agreement import Agreement, RuleBroken
from labornet_mediation.domain.model import MediationCase, is_collective
from labornet_mediation.domain.performance import TermOutcome
from labornet_mediation.domain.routing import TransferDestination

CAL = LegalCalendar()
DAY = date(2026, 9, 16)
DUE = date(2026, 10, 20)
AFTER_DUE = date(2026, 10, 21)
TRIBUNAL = TransferDestination("arb-4103", "trib-410311-007", "洛阳市劳动人事争议仲裁委员会科技园派出仲裁庭")
EMPLOYER = "洛阳某机械有限公司"


def money(item: str, amount: int, due: date = DUE) -> AgreementTerm:
    return AgreementTerm(payer=EMPLOYER, payee="王师傅", item=item, amount_fen=amount, due_on=due)


def deed(item: str, description: str, due: date = DUE) -> AgreementTerm:
    return AgreementTerm(
        payer=EMPLOYER, payee="王师傅", kind="non_monetary", item=item, description=description, due_on=due
    )


REINSTATE = deed("reinstatement", "恢复王师傅装配车间钳工岗位，劳动合同继续履行")


def _case(worker_count: int = 1) -> MediationCase:
    case = MediationCase.open(
        case_id="c-1",
        division_code="410311007",
        worker_name="王师傅",
        employer_name=EMPLOYER,
        facts="违法解除劳动合同",
        claims=[{"category": "dismissal", "description": "要求恢复劳动关系"}],
        opened_at=datetime(2026, 9, 16, 2, tzinfo=UTC),
        calendar=CAL,
        centre_id="med-410311007",
        workplace_division="410311007",
        worker_count=worker_count,
    )
    case.accept(on=DAY)
    return case


def _agreed(*terms: AgreementTerm, worker_count: int = 1) -> MediationCase:
    case = _case(worker_count)
    case.reach_agreement(Agreement(agreement_id="a-1", effective_on=date(2026, 9, 20), terms=list(terms)))
    case.pull_events()
    return case


def _refused(action) -> RuleBroken:
    with pytest.raises(RuleBroken) as refused:
        action()
    return refused.value


# -- terms ----------------------------------------------------------------------------------


def test_a_non_monetary_term_needs_a_known_obligation_a_description_and_no_amount() -> None:
    case = _case()
    cases = {
        "terms.0.item": deed("apology_letter", "书面道歉"),
        "terms.0.description": deed("reinstatement", " "),
        "terms.0.amount_fen": REINSTATE.model_copy(update={"amount_fen": 100}),
    }
    for field_name, term in cases.items():
        agreement = Agreement(agreement_id="a", effective_on=DAY, terms=[term])
        assert _refused(lambda a=agreement: case.reach_agreement(a)).field == field_name
    assert (
        _refused(
            lambda: case.reach_agreement(
                Agreement(agreement_id="a", effective_on=DAY, terms=[money("labor_remuneration", 0)])
            )
        ).field
        == "terms.0.amount_fen"
    )


def test_a_reinstatement_agreement_takes_effect_and_prints_the_obligation() -> None:
    case = _agreed(REINSTATE, money("labor_remuneration", 1_200_000))
    assert case.status == "AGREED" and case.history_zh[-1].endswith("达成调解协议，共2项，金额共12000.00元")
    assert [s.status for s in case.agreement.states] == ["pending", "pending"]


# -- breach, term by term (LDA Art. 15) -----------------------------------------------------


def test_a_breached_reinstatement_is_recorded_with_what_was_not_done() -> None:
    case = _agreed(REINSTATE)
    case.record_term_outcomes(on=AFTER_DUE, outcomes=[TermOutcome(1, performed=False, not_done="拒绝安排上岗")])
    assert case.status == "BREACHED" and case.agreement.status == "breached"
    (event,) = case.pull_events()
    assert event.data.unpaid_fen == 0 and event.data.terms[0].item == "reinstatement"
    assert (event.data.terms[0].not_done, event.data.terms[0].unpaid_fen) == ("拒绝安排上岗", None)


def test_the_whole_non_monetary_agreement_can_be_recorded_as_breached() -> None:
    # The old 422 "未履行金额应大于零": a breach without any unpaid amount.
    case = _agreed(REINSTATE)
    case.record_performance(on=AFTER_DUE, performed=False, unpaid_fen=None)
    assert case.status == "BREACHED" and case.agreement.states[0].not_done == "未在约定期限内履行"


def test_an_unpaid_amount_only_on_money_terms_above_zero_and_within_the_term() -> None:
    case = _agreed(REINSTATE, money("labor_remuneration", 500_000))
    assert (
        _refused(
            lambda: case.record_term_outcomes(on=AFTER_DUE, outcomes=[TermOutcome(1, performed=False, unpaid_fen=100)])
        ).field
        == "items.0.unpaid_fen"
    )
    for wrong in (0, 500_001):
        refused = _refused(
            lambda w=wrong: case.record_term_outcomes(
                on=AFTER_DUE, outcomes=[TermOutcome(2, performed=False, unpaid_fen=w)]
            )
        )
        assert (refused.code, refused.field) == ("mediation.unpaid_amount", "items.0.unpaid_fen")
    assert _refused(lambda: case.record_performance(on=AFTER_DUE, performed=False, unpaid_fen=500_001)).field == (
        "unpaid_fen"
    )
    assert case.status == "AGREED" and case.pull_events() == []  # nothing half-recorded


def test_partial_performance_of_a_money_term() -> None:
    case = _agreed(money("labor_remuneration", 500_000))
    case.record_term_outcomes(on=AFTER_DUE, outcomes=[TermOutcome(1, performed=False, unpaid_fen=200_000)])
    assert case.agreement.unpaid_fen == 200_000 and case.history_zh[-1].endswith("第1项未按期履行，未付2000.00元")


def test_a_breach_is_recorded_only_once_the_due_day_has_passed() -> None:
    # LDA Art. 15 "在协议约定期限内不履行": the due day itself still counts for the payer. The due
    # day is a date the parties fixed (期日), not a period: falling on National Day (2026-10-01)
    # it does not move (民法典 Art. 203 extends periods only).
    case = _agreed(money("labor_remuneration", 500_000, due=date(2026, 10, 1)), REINSTATE)
    refused = _refused(lambda: case.record_term_outcomes(on=date(2026, 10, 1), outcomes=[TermOutcome(1, False)]))
    assert (refused.code, refused.field) == ("mediation.breach_before_due", "items.0.term_no")
    case.record_term_outcomes(on=date(2026, 10, 2), outcomes=[TermOutcome(1, False)])
    # The reinstatement (due 10-20) is not yet breached; the whole-agreement breach leaves it pending.
    assert [s.status for s in case.agreement.states] == ["breached", "pending"]
    assert _refused(lambda: case.record_performance(on=DUE, performed=False, unpaid_fen=None)).field == "outcome"


def test_terms_are_performed_one_by_one_and_the_last_closes_the_case() -> None:
    case = _agreed(money("labor_remuneration", 500_000), REINSTATE)
    case.record_term_outcomes(on=date(2026, 10, 10), outcomes=[TermOutcome(1, performed=True)])
    assert case.status == "AGREED" and case.pull_events() == []
    assert _refused(lambda: case.record_term_outcomes(on=DUE, outcomes=[TermOutcome(1, True)])).code == (
        "mediation.term_already_recorded"
    )
    assert _refused(lambda: case.record_term_outcomes(on=DUE, outcomes=[TermOutcome(3, True)])).field == (
        "items.0.term_no"
    )
    case.record_term_outcomes(on=DUE, outcomes=[TermOutcome(2, performed=True)])
    assert case.status == "PERFORMED" and case.outcome == "performed"


def test_an_unpaid_total_counts_what_was_paid_against_the_earliest_terms() -> None:
    case = _agreed(money("labor_remuneration", 1_000_000, due=date(2026, 10, 10)), money("damages", 500_000))
    case.record_performance(on=AFTER_DUE, performed=False, unpaid_fen=800_000)
    assert [s.unpaid_fen for s in case.agreement.states] == [300_000, 500_000]
    assert case.agreement.unpaid_fen == 800_000


def test_a_later_breach_of_another_term_adds_to_the_breach() -> None:
    case = _agreed(money("labor_remuneration", 500_000, due=date(2026, 10, 10)), REINSTATE)
    case.record_term_outcomes(on=date(2026, 10, 12), outcomes=[TermOutcome(1, False)])
    case.record_term_outcomes(on=AFTER_DUE, outcomes=[TermOutcome(2, False, not_done="未恢复岗位")])
    breaches = [e.data for e in case.pull_events()]
    assert [[t.term_no for t in b.terms] for b in breaches] == [[1], [2]]
    assert case.agreement.breached_on == date(2026, 10, 12)


# -- payment order (LDA Art. 16) ------------------------------------------------------------


def test_a_payment_order_covers_the_unpaid_wage_terms_only() -> None:
    case = _agreed(money("labor_remuneration", 1_000_000), REINSTATE, money("welfare", 50_000))
    case.record_performance(on=AFTER_DUE, performed=False, unpaid_fen=None)
    assert (
        _refused(lambda: case.request_court(kind="payment_order", on=AFTER_DUE, calendar=CAL, term_nos=[2])).field
        == "term_nos.0"
    )
    request = case.request_court(kind="payment_order", on=AFTER_DUE, calendar=CAL)
    assert (request["amount_fen"], request["term_nos"], case.status) == (1_000_000, [1], "COURT")


def test_no_payment_order_for_a_breached_reinstatement() -> None:
    case = _agreed(REINSTATE)
    case.record_term_outcomes(on=AFTER_DUE, outcomes=[TermOutcome(1, False, not_done="拒绝安排上岗")])
    refused = _refused(lambda: case.request_court(kind="payment_order", on=AFTER_DUE, calendar=CAL))
    assert (refused.code, refused.field) == ("mediation.payment_order_ineligible", "kind")
    assert case.status == "BREACHED"


def test_judicial_confirmation_stays_available_for_a_reinstatement_agreement() -> None:
    # 民诉法 Art. 205: within 30 days of effect (09-20 → 10-20).
    case = _agreed(REINSTATE)
    assert case.request_court(kind="judicial_confirmation", on=DUE, calendar=CAL)["amount_fen"] is None


# -- transfer after a breach ----------------------------------------------------------------


def test_the_transfer_after_a_breach_carries_the_agreement_and_its_breached_terms_as_claims() -> None:
    case = _agreed(REINSTATE, money("labor_remuneration", 800_000), worker_count=12)
    case.record_term_outcomes(
        on=AFTER_DUE,
        outcomes=[
            TermOutcome(1, False, not_done="拒绝安排上岗"),
            TermOutcome(2, False, unpaid_fen=300_000),
        ],
    )
    assert case.transfer(transfer_id="t-1", to=TRIBUNAL, on=AFTER_DUE) == "agreement_breached"
    moved = case.pull_events()[-2].data
    reinstatement, wages = moved.claims
    assert reinstatement.category == "labor_contract" and reinstatement.amount_fen is None
    assert "恢复劳动关系" in reinstatement.description and "拒绝安排上岗" in reinstatement.description
    assert (wages.category, wages.amount_fen) == ("labor_remuneration", 300_000)
    assert [t.term_no for t in moved.agreement.breached_terms] == [1, 2] and len(moved.agreement.terms) == 2
    assert moved.worker_count == 12 and case.status == "TRANSFERRED"
    assert _refused(lambda: case.transfer(transfer_id="t-2", to=TRIBUNAL, on=AFTER_DUE)).code == (
        "mediation.wrong_state"
    )


# -- workers joining (LDA Art. 7) -----------------------------------------------------------


def test_collective_means_ten_or_more_workers_with_a_common_claim() -> None:
    assert is_collective(10, common_claim=True)
    assert not is_collective(9, common_claim=True) and not is_collective(12, common_claim=False)


def test_workers_join_once_per_filing_and_the_transfer_carries_the_count() -> None:
    case = _case(worker_count=9)
    case.pull_events()
    claim = {"category": "labor_remuneration", "amount_fen": 700_000}
    assert case.join_workers(filing_id="f-1", worker_count=10, collective=True, claims=[claim], on=DAY)
    assert not case.join_workers(filing_id="f-1", worker_count=10, collective=True, claims=[claim], on=DAY)
    (joined,) = case.pull_events()
    assert (joined.data.worker_count, joined.data.collective, joined.data.filing_id) == (10, True, "f-1")
    assert (case.worker_count, case.collective, len(case.claims)) == (10, True, 2)
    assert case.history_zh[-1].endswith("现有劳动者10人（集体争议）")
    case.fail(on=DAY, reason="no_agreement")
    case.transfer(transfer_id="t-1", to=TRIBUNAL, on=DAY)
    moved = case.pull_events()[-2].data
    assert (moved.worker_count, moved.collective, len(moved.claims)) == (10, True, 2)


def test_an_older_count_never_lowers_the_workers() -> None:
    case = _case(worker_count=5)
    case.join_workers(filing_id="f-2", worker_count=3, collective=False, claims=[], on=DAY)
    assert case.worker_count == 5 and not case.collective
