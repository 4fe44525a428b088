"""The award's effect, rule by rule, with the law's periods across 2026's holidays.

National Day 10-01..10-07 (make-up workdays Sun 09-20, Sat 10-10), Spring Festival 02-15..02-23
(make-up workdays Sat 02-14, Sat 02-28), from the State Council's notice via chinesecalendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from labornet_arbitration.api.effect import award_effect
from labornet_arbitration.domain import clocks, outcomes
from labornet_arbitration.domain.court_events import CourtEvent, apply_court_event
from labornet_arbitration.domain.model import ArbitrationCase, CaseRuleError
from labornet_common.contracts.arbitration import AwardItem
from labornet_common.reference.calendar import LegalCalendar
from tests.support.arbitration import arbitration_case

CAL = LegalCalendar()
ISSUED = date(2026, 9, 1)
WAGES = AwardItem(category="labor_remuneration", amount_fen=1_500_000, final=True)
REINSTATE = AwardItem(category="labor_contract", description="恢复劳动关系", final=False)
DAMAGES = AwardItem(category="damages", amount_fen=3_000_000, final=False)
TYPES = {"final": [WAGES], "non_final": [REINSTATE, DAMAGES], "mixed": [WAGES, REINSTATE]}


def _case(**overrides: Any) -> ArbitrationCase:
    values: dict[str, Any] = dict(
        received_on=date(2026, 8, 3),
        acceptance_due_on=date(2026, 8, 8),
        created_at=datetime(2026, 8, 3, tzinfo=UTC),
        status="HEARING_SCHEDULED",
        case_number="洛劳人仲案字〔2026〕第7号",
        accepted_on=date(2026, 8, 5),
    )
    return arbitration_case(**{**values, **overrides})


def _awarded(kind: str, *, served: date | None = None) -> ArbitrationCase:
    case = _case()
    outcomes.issue_award(case, kind="award", items=TYPES[kind], on=ISSUED, today=ISSUED)
    if served:
        outcomes.serve_award(case, on=served, today=served, calendar=CAL)
    return case


def _types(case: ArbitrationCase) -> list[str]:
    return [e.data.event_type.split("arbitration.")[-1] for e in case.pull_events()]


def _court(case: ArbitrationCase, kind: str, on: date, *, party: Any = None, outcome_: str = "") -> str:
    callback_id = f"cb-{len(case.court.get('callbacks', []))}"
    apply_court_event(
        case,
        event=CourtEvent(
            kind=kind, callback_id=callback_id, court_name="洛龙区法院", outcome=outcome_, on=on, party=party
        ),
        calendar=CAL,
    )
    return case.pull_events()[-1].data.effect  # type: ignore[attr-defined]


def _effect(case: ArbitrationCase) -> Any:
    return award_effect(status=case.status, award=case.award, court=case.court)


@pytest.mark.parametrize(
    ("served", "suit_due", "set_aside_due"),
    [
        (date(2026, 9, 20), date(2026, 10, 8), date(2026, 10, 20)),  # day 15 = 10-05 (National Day) -> 10-08
        (date(2026, 9, 3), date(2026, 9, 18), date(2026, 10, 8)),  # day 30 = 10-03 -> 10-08
        (date(2026, 2, 1), date(2026, 2, 24), date(2026, 3, 3)),  # day 15 = 02-16 (Spring Festival) -> 02-24
        (date(2026, 1, 30), date(2026, 2, 14), date(2026, 3, 2)),  # 02-14 a make-up workday stays; 03-01 Sun
    ],
)
def test_suit_and_set_aside_periods_start_on_receipt_lda_48_49_50(served, suit_due, set_aside_due) -> None:
    assert clocks.final_suit_due(CAL, served) == clocks.nonfinal_suit_due(CAL, served) == suit_due
    assert clocks.set_aside_due(CAL, served) == set_aside_due


def test_after_a_set_aside_the_parties_have_15_days_from_the_ruling_lda_49() -> None:
    assert clocks.suit_after_set_aside_due(CAL, date(2026, 9, 22)) == date(2026, 10, 8)  # day 15 = 10-07


@pytest.mark.parametrize(("kind", "expected"), [("final", "final"), ("non_final", "non_final"), ("mixed", "mixed")])
def test_the_award_type_follows_its_items_lda_47_interp_19_20(kind, expected) -> None:
    case = _awarded(kind)
    issued = case.pull_events()[0].data
    assert issued.award_type == expected and case.award["award_type"] == expected  # type: ignore[attr-defined]


def test_a_final_award_takes_effect_when_made_lda_47() -> None:
    case = _awarded("final")
    assert _types(case) == ["award.issued.v1", "award.effective.v1"] and case.status == "EFFECTIVE"
    outcomes.serve_award(case, on=date(2026, 9, 20), today=date(2026, 9, 20), calendar=CAL)
    (served,) = case.pull_events()
    assert (served.data.suit_due_on, served.data.set_aside_due_on) == (date(2026, 10, 8), date(2026, 10, 20))
    shown = _effect(case)
    assert (shown.state, shown.in_effect, shown.enforceable, shown.effective_on) == ("effective", True, True, ISSUED)
    assert "2026年10月8日" in shown.explanation_zh and "2026年10月20日" in shown.explanation_zh


@pytest.mark.parametrize("kind", ["mixed", "non_final"])
def test_a_mixed_or_non_final_award_waits_for_the_suit_window_lda_50_interp_20(kind) -> None:
    case = _awarded(kind, served=date(2026, 9, 20))
    assert _types(case) == ["award.issued.v1", "award.served.v1"] and case.status == "AWARDED"
    assert case.award["set_aside_due_on"] is None and case.award["suit_due_on"] == "2026-10-08"
    shown = _effect(case)
    assert (shown.state, shown.in_effect, shown.effective_on) == ("pending", False, None)
    assert "尚未发生法律效力" in shown.explanation_zh and "2026年10月8日" in shown.explanation_zh
    assert not outcomes.nonfinal_takes_effect(case, today=date(2026, 10, 8))  # the last day still counts
    assert outcomes.nonfinal_takes_effect(case, today=date(2026, 10, 9))
    (effective,) = case.pull_events()
    assert effective.data.effective_on == date(2026, 10, 9) and len(effective.data.items) == len(TYPES[kind])
    assert _effect(case).state == "effective" and case.status == "EFFECTIVE"
    assert not outcomes.nonfinal_takes_effect(case, today=date(2026, 10, 10))  # once


@pytest.mark.parametrize(("kind", "party"), [("mixed", "employer"), ("mixed", "worker"), ("non_final", "employer")])
def test_a_suit_in_time_by_either_party_keeps_it_from_effect(kind, party) -> None:
    case = _awarded(kind, served=date(2026, 9, 20))
    case.pull_events()
    assert _court(case, "lawsuit_filed", date(2026, 10, 8), party=party) == f"{kind}_award_not_effective"
    assert case.status == "IN_COURT"
    shown = _effect(case)
    assert (shown.state, shown.in_effect, shown.effective_on) == ("not_effective_in_court", False, None)
    assert not outcomes.nonfinal_takes_effect(case, today=date(2026, 12, 1))
    assert _court(case, "lawsuit_filed", date(2026, 10, 8), party="worker") == "suit_joined"  # Interp-I Art. 4


def test_the_withheld_effect_is_announced_once_and_no_effective_event_follows() -> None:
    case = _awarded("mixed", served=date(2026, 9, 20))
    case.pull_events()
    apply_court_event(
        case,
        event=CourtEvent(
            kind="lawsuit_filed",
            callback_id="cb-1",
            court_name="洛龙区法院",
            outcome="",
            on=date(2026, 9, 30),
            party="employer",
        ),
        calendar=CAL,
    )
    assert _types(case) == ["award.not_effective.v1", "court_event.recorded.v1"]
    apply_court_event(
        case,
        event=CourtEvent(
            kind="lawsuit_filed",
            callback_id="cb-1",
            court_name="洛龙区法院",
            outcome="",
            on=date(2026, 9, 30),
            party="employer",
        ),
        calendar=CAL,
    )
    assert _types(case) == []  # the same callback again: no effect


def test_a_suit_out_of_time_does_not_stop_a_non_final_award() -> None:
    case = _awarded("mixed", served=date(2026, 9, 20))
    assert _court(case, "lawsuit_filed", date(2026, 10, 9), party="employer") == "suit_out_of_time"
    assert case.status == "AWARDED" and outcomes.nonfinal_takes_effect(case, today=date(2026, 10, 12))
    assert _effect(case).state == "effective"


def test_the_workers_suit_in_time_on_a_final_award_unbinds_it_lda_48() -> None:
    case = _awarded("final", served=date(2026, 9, 20))
    assert _court(case, "lawsuit_filed", date(2026, 10, 8), party="worker") == "final_award_challenged_by_worker"
    shown = _effect(case)
    assert (shown.state, shown.in_effect, case.status) == ("challenged_by_worker", False, "IN_COURT")
    # Interp-I Art. 21: the employer's set-aside application is refused while the worker's suit runs
    assert _court(case, "set_aside_applied", date(2026, 10, 9)) == "set_aside_refused_worker_suit_pending"
    assert _effect(case).state == "challenged_by_worker"


def test_the_workers_late_suit_on_a_final_award_changes_nothing() -> None:
    case = _awarded("final", served=date(2026, 9, 20))
    assert _court(case, "lawsuit_filed", date(2026, 10, 9), party="worker") == "suit_out_of_time"
    assert _effect(case).state == "effective" and case.status == "EFFECTIVE"


def test_an_employers_suit_on_a_final_award_changes_nothing_lda_49() -> None:
    case = _awarded("final", served=date(2026, 9, 20))
    assert _court(case, "lawsuit_filed", date(2026, 9, 25), party="employer") == "no_effect_on_final_award"
    shown = _effect(case)
    assert (shown.state, shown.in_effect, case.status) == ("effective", True, "EFFECTIVE")
    assert "用人单位不能对终局裁决起诉" in shown.explanation_zh and "申请撤销" in shown.explanation_zh


def test_a_set_aside_application_suspends_enforcement_not_effect_and_rejection_restores_it() -> None:
    case = _awarded("final", served=date(2026, 9, 20))
    assert _court(case, "set_aside_applied", date(2026, 10, 20)) == "set_aside_pending"  # day 30, in time
    shown = _effect(case)
    assert (shown.state, shown.in_effect, shown.enforceable) == ("set_aside_applied", True, False)
    assert _court(case, "set_aside_decided", date(2026, 11, 20), outcome_="rejected") == "set_aside_rejected"
    assert (_effect(case).state, _effect(case).enforceable, case.status) == ("effective", True, "EFFECTIVE")


def test_set_aside_ends_the_effect_and_opens_15_days_to_sue_lda_49() -> None:
    case = _awarded("final", served=date(2026, 9, 3))
    _court(case, "set_aside_applied", date(2026, 9, 10))
    case.pull_events()
    apply_court_event(
        case,
        event=CourtEvent(
            kind="set_aside_decided",
            callback_id="cb-d",
            court_name="洛阳中院",
            outcome="set_aside",
            on=date(2026, 9, 22),
        ),
        calendar=CAL,
    )
    lost, _recorded = case.pull_events()
    assert (lost.data.reason, lost.data.may_sue_by) == ("set_aside", date(2026, 10, 8))  # type: ignore[attr-defined]
    shown = _effect(case)
    assert (shown.state, shown.in_effect, shown.may_sue_by, case.status) == (
        "set_aside",
        False,
        date(2026, 10, 8),
        "SET_ASIDE",
    )
    assert _court(case, "lawsuit_filed", date(2026, 10, 8), party="worker") == "suit_after_set_aside"


def test_a_late_set_aside_application_or_one_on_a_mixed_award_changes_nothing() -> None:
    final = _awarded("final", served=date(2026, 9, 20))
    assert _court(final, "set_aside_applied", date(2026, 10, 21)) == "set_aside_out_of_time"
    mixed = _awarded("mixed", served=date(2026, 9, 20))
    assert _court(mixed, "set_aside_applied", date(2026, 9, 25)) == "set_aside_not_available"
    assert _effect(final).state == "effective" and _effect(mixed).state == "pending"


def test_a_mediation_document_takes_effect_when_both_sign_lda_42() -> None:
    case = _case()
    outcomes.issue_award(case, kind="mediation", items=[WAGES], on=ISSUED, today=ISSUED)
    assert _effect(case).state == "pending" and case.award["award_type"] is None
    outcomes.serve_award(case, on=date(2026, 9, 12), today=date(2026, 9, 12), calendar=CAL)
    shown = _effect(case)
    assert (shown.state, shown.effective_on, shown.suit_due_on) == ("effective", date(2026, 9, 12), None)
    assert _court(case, "lawsuit_filed", date(2026, 9, 14), party="employer") == "mediation_document_binds"


def test_an_award_is_served_once_and_not_before_its_issue() -> None:
    case = _awarded("mixed")
    with pytest.raises(CaseRuleError) as early:
        outcomes.serve_award(case, on=date(2026, 8, 31), today=date(2026, 9, 20), calendar=CAL)
    assert early.value.field == "served_on"
    outcomes.serve_award(case, on=date(2026, 9, 20), today=date(2026, 9, 20), calendar=CAL)
    with pytest.raises(CaseRuleError):
        outcomes.serve_award(case, on=date(2026, 9, 21), today=date(2026, 9, 21), calendar=CAL)


def test_a_mixed_award_recorded_under_the_old_rule_reads_as_not_yet_effective() -> None:
    items = [i.model_dump() for i in TYPES["mixed"]]
    old = {
        "kind": "award",
        "issued_on": "2026-09-01",
        "items": items,
        "final_effective_on": "2026-09-01",
        "served_on": "2026-09-20",
        "suit_due_on": "2026-10-08",
    }
    shown = award_effect(status="AWARDED", award=old, court={})
    assert (shown.state, shown.award_type, shown.effective_on) == ("pending", "mixed", None)
