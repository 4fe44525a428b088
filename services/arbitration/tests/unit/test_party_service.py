"""Each party's service of the award and its own periods, with the law's numbers across 2026's
National Day (10-01..10-07; make-up workdays Sun 09-20 and Sat 10-10).

The worker receives the award on 2026-09-20 (a Sunday): 15 days end on 10-05, inside the
holiday, so the worker's window ends on 10-08 (民诉法 Art. 85; LDA Arts. 48/50). The employer
receives it on 2026-09-25 (a Friday): 15 days end on 10-10, a make-up workday, so its window
ends then (Art. 50); 30 days end on Sunday 10-25, so its set-aside window ends on Monday 10-26
(Art. 49).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from labornet_arbitration.api.effect import award_effect
from labornet_arbitration.domain import effect, outcomes, party_service
from labornet_arbitration.domain.court_events import CourtEvent, apply_court_event
from labornet_arbitration.domain.model import ArbitrationCase, CaseRuleError
from labornet_common.contracts.arbitration import AwardItem
from labornet_common.reference.calendar import LegalCalendar
from tests.support.arbitration import arbitration_case

CAL = LegalCalendar()
ISSUED = date(2026, 9, 1)
WORKER_ON, EMPLOYER_ON = date(2026, 9, 20), date(2026, 9, 25)
WAGES = AwardItem(category="labor_remuneration", amount_fen=1_500_000, final=True)
REINSTATE = AwardItem(category="labor_contract", description="恢复劳动关系", final=False)
TYPES = {"final": [WAGES], "non_final": [REINSTATE], "mixed": [WAGES, REINSTATE]}


def _awarded(kind: str) -> ArbitrationCase:
    case = arbitration_case(
        received_on=date(2026, 8, 3),
        acceptance_due_on=date(2026, 8, 8),
        created_at=datetime(2026, 8, 3, tzinfo=UTC),
        status="HEARING_SCHEDULED",
        case_number="洛劳人仲案字〔2026〕第8号",
        accepted_on=date(2026, 8, 5),
    )
    outcomes.issue_award(case, kind="award", items=TYPES[kind], on=ISSUED, today=ISSUED)
    case.pull_events()
    return case


def _serve(case: ArbitrationCase, party: Any, on: date) -> list[Any]:
    outcomes.serve_award(case, on=on, today=on, calendar=CAL, party=party)
    return [e.data for e in case.pull_events()]


def _suit(case: ArbitrationCase, party: Any, on: date, kind: str = "lawsuit_filed") -> str:
    apply_court_event(
        case,
        event=CourtEvent(
            kind=kind,
            callback_id=f"cb-{len(case.court.get('callbacks', []))}",
            court_name="洛龙区法院",
            outcome="",
            on=on,
            party=party,
        ),
        calendar=CAL,
    )
    return next(e.data.effect for e in reversed(case.pull_events()) if hasattr(e.data, "effect"))


@pytest.mark.parametrize("kind", ["non_final", "mixed"])
def test_each_party_has_its_own_suit_window_and_the_award_waits_for_the_last(kind: str) -> None:
    case = _awarded(kind)
    (worker,) = _serve(case, "worker", WORKER_ON)
    assert (worker.event_type, worker.party, worker.served_on, worker.suit_due_on) == (
        "cn.labornet.arbitration.award.party_served.v1",
        "worker",
        WORKER_ON,
        date(2026, 10, 8),  # LDA Art. 50, 10-05 in the holiday -> 10-08 (民诉法 Art. 85)
    )
    assert "served_on" not in case.award  # not served as a whole until every party has it
    assert not outcomes.nonfinal_takes_effect(case, today=date(2026, 10, 20))  # the employer has no date yet

    (whole,) = _serve(case, "employer", EMPLOYER_ON)
    assert whole.event_type == "cn.labornet.arbitration.award.served.v1"
    assert {p.party: (p.served_on, p.suit_due_on) for p in whole.parties} == {
        "worker": (WORKER_ON, date(2026, 10, 8)),
        "employer": (EMPLOYER_ON, date(2026, 10, 10)),  # 10-10: a make-up workday, not rolled
    }
    # The old fields: the last party's day and the last window's end.
    assert (whole.served_on, whole.suit_due_on, whole.set_aside_due_on) == (EMPLOYER_ON, date(2026, 10, 10), None)

    # The worker's window closed on 10-08; the award waits for the employer's (LDA Art. 50).
    assert not outcomes.nonfinal_takes_effect(case, today=date(2026, 10, 9))
    assert not outcomes.nonfinal_takes_effect(case, today=date(2026, 10, 10))
    assert outcomes.nonfinal_takes_effect(case, today=date(2026, 10, 11))
    assert (case.status, case.award["effective_on"]) == ("EFFECTIVE", "2026-10-11")


def test_a_suit_after_its_own_partys_window_is_late_while_the_other_party_may_still_sue() -> None:
    case = _awarded("non_final")
    _serve(case, "worker", WORKER_ON)
    _serve(case, "employer", EMPLOYER_ON)
    # The worker sues on 10-09: its own window ended 10-08. Recorded, nothing withheld.
    assert _suit(case, "worker", date(2026, 10, 9)) == "suit_out_of_time"
    assert case.status == "AWARDED" and not case.court.get("lawsuit_in_time")
    # The employer sues on 10-10, the last day of its own window: the award is kept from effect.
    assert _suit(case, "employer", date(2026, 10, 10)) == "non_final_award_not_effective"
    assert case.status == "IN_COURT"
    assert not outcomes.nonfinal_takes_effect(case, today=date(2026, 10, 11))
    found = effect.effect_of(status=case.status, award=case.award, court=case.court)
    assert found is not None and found.state == "not_effective_in_court"


def test_a_party_not_yet_served_is_in_time() -> None:
    case = _awarded("non_final")
    _serve(case, "worker", WORKER_ON)
    assert effect.suit_in_time(case.award, date(2026, 11, 30), "employer")  # its period has not begun
    assert not effect.suit_in_time(case.award, date(2026, 10, 9), "worker")
    assert effect.suit_in_time(case.award, date(2026, 10, 8), "worker")


def test_final_award_worker_suit_and_employer_set_aside_from_their_own_receipts() -> None:
    case = _awarded("final")  # in effect when made (LDA Art. 47)
    _serve(case, "worker", WORKER_ON)
    (whole,) = _serve(case, "employer", EMPLOYER_ON)
    parties = {p.party: p for p in whole.parties}
    assert (parties["worker"].suit_due_on, parties["worker"].set_aside_due_on) == (date(2026, 10, 8), None)
    # LDA Art. 49: only the employer's set-aside window, 30 days from 09-25 -> Sun 10-25 -> Mon 10-26.
    assert (parties["employer"].suit_due_on, parties["employer"].set_aside_due_on) == (None, date(2026, 10, 26))
    assert (whole.suit_due_on, whole.set_aside_due_on) == (date(2026, 10, 8), date(2026, 10, 26))

    assert _suit(case, "worker", date(2026, 10, 9)) == "suit_out_of_time"  # LDA Art. 48, its own 15 days
    assert _suit(case, "employer", date(2026, 10, 27), "set_aside_applied") == "set_aside_out_of_time"
    assert _suit(case, "employer", date(2026, 10, 26), "set_aside_applied") == "set_aside_pending"


def test_the_employers_set_aside_window_runs_before_the_worker_is_served() -> None:
    case = _awarded("final")
    _serve(case, "employer", EMPLOYER_ON)
    assert _suit(case, "employer", date(2026, 10, 27), "set_aside_applied") == "set_aside_out_of_time"


def test_serving_everyone_at_once_keeps_the_single_event_and_a_party_is_served_once() -> None:
    case = _awarded("non_final")
    (whole,) = _serve(case, None, WORKER_ON)
    assert whole.event_type == "cn.labornet.arbitration.award.served.v1" and len(whole.parties) == 2
    with pytest.raises(CaseRuleError):
        _serve(case, "worker", EMPLOYER_ON)
    with pytest.raises(CaseRuleError):
        _serve(case, None, EMPLOYER_ON)

    other = _awarded("non_final")
    _serve(other, "worker", WORKER_ON)
    (rest,) = _serve(other, None, EMPLOYER_ON)  # without a party: whoever is still waiting
    assert {p.party: p.served_on for p in rest.parties} == {"worker": WORKER_ON, "employer": EMPLOYER_ON}


def test_the_api_shows_each_partys_dates() -> None:
    case = _awarded("final")
    _serve(case, "worker", WORKER_ON)
    shown = award_effect(status=case.status, award=case.award, court=case.court)
    assert shown is not None and shown.served_on is None
    assert {k: (v.served_on, v.suit_due_on) for k, v in shown.parties.items()} == {
        "worker": (WORKER_ON, date(2026, 10, 8))
    }


def test_an_award_served_before_per_party_service_was_recorded_reads_as_one_day_for_both() -> None:
    legacy = {
        "kind": "award",
        "award_type": "final",
        "served_on": "2026-09-20",
        "suit_due_on": "2026-10-08",
        "set_aside_due_on": "2026-10-20",
    }
    assert party_service.of(legacy) == {
        "worker": {"served_on": "2026-09-20", "suit_due_on": "2026-10-08", "set_aside_due_on": None},
        "employer": {"served_on": "2026-09-20", "suit_due_on": None, "set_aside_due_on": "2026-10-20"},
    }
    assert party_service.unserved(legacy) == []
