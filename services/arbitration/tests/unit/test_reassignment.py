"""A leaving arbitrator's seats (pure): who takes each (the commission's serving arbitrator with
the fewest open seats, never one on the tribunal or recused), and the tribunal formed again in
its state, the hearing kept (LDA Art. 35) and the parties told (LDA Art. 32)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from labornet_arbitration.domain import proceedings
from labornet_arbitration.domain.arbitrators import Arbitrator, Roster, SeatedCase, successors
from labornet_arbitration.domain.model import ArbitrationCase, CaseRuleError
from tests.support.arbitration import arbitration_case

ON = date(2026, 12, 5)
ROSTER = Roster(
    [
        Arbitrator("a-1", "甲", "arb-1", None),
        Arbitrator("a-2", "乙", "arb-1", None),
        Arbitrator("a-3", "丙", "arb-1", None),
        Arbitrator("a-9", "退", "arb-1", None, retired_on=ON),
        Arbitrator("b-1", "丁", "arb-2", None),
    ]
)


def _sole(arbitrator_id: str) -> dict[str, Any]:
    return {
        "mode": "sole",
        "formed_on": "2026-09-01",
        "members": [{"arbitrator_id": arbitrator_id, "name": "退", "role": "sole"}],
    }


def test_each_seat_to_the_least_loaded_of_the_same_commission() -> None:
    panel = {
        "mode": "panel",
        "members": [
            {"arbitrator_id": "a-9", "name": "退", "role": "presiding"},
            {"arbitrator_id": "a-1", "name": "甲", "role": "member"},
            {"arbitrator_id": "a-2", "name": "乙", "role": "member"},
        ],
    }
    cases = [
        SeatedCase("app-1", "arb-1", _sole("a-9")),
        SeatedCase("app-2", "arb-1", _sole("a-9"), recused=("a-2",)),
        SeatedCase("app-3", "arb-1", panel),
    ]
    plan = successors(cases, leaving="a-9", roster=ROSTER, load={"a-1": 2, "a-2": 1, "a-3": 1})
    # app-1: a-2 and a-3 tie at 1, a-2 (lower id); app-2: a-2 recused, a-3 (1); app-3: only a-3.
    assert plan.summary() == {"app-1": "a-2", "app-2": "a-3", "app-3": "a-3"}


def test_nobody_of_another_commission_and_nobody_left() -> None:
    lone = Roster([Arbitrator("a-9", "退", "arb-1", None, retired_on=ON), Arbitrator("b-1", "丁", "arb-2", None)])
    plan = successors([SeatedCase("app-1", "arb-1", _sole("a-9"))], leaving="a-9", roster=lone, load={})
    assert plan.left_behind == ["app-1"]


def _case(status: str, **fields: Any) -> ArbitrationCase:
    return arbitration_case(status=status, commission_id="arb-1", tribunal=_sole("a-9"), **fields)


def test_the_seat_changes_and_the_hearing_stays() -> None:
    hearing = {"hearing_on": "2026-12-08", "notice_served_on": "2026-12-01", "venue": "第一仲裁庭"}
    case = _case("HEARING_SCHEDULED", hearing=dict(hearing))
    proceedings.replace_member(case, leaving="a-9", successor=ROSTER.by_id["a-1"], on=ON, why_zh="退出仲裁员名册")
    assert case.status == "HEARING_SCHEDULED" and case.hearing == hearing
    assert case.tribunal["members"] == [{"arbitrator_id": "a-1", "name": "甲", "role": "sole"}]
    assert case.tribunal["reformed_on"] == "2026-12-05"
    assert "书面通知双方当事人" in case.history[-1]["text_zh"]
    (formed,) = [e.data for e in case.pull_events()]
    assert [m.arbitrator_id for m in formed.members] == ["a-1"] and formed.formed_on == ON


@pytest.mark.parametrize(
    ("status", "successor"),
    [("AWARDED", "a-1"), ("HEARING_SCHEDULED", "a-9"), ("HEARING_SCHEDULED", "b-1")],
)
def test_refused_for_a_closed_case_a_retired_or_another_commissions_arbitrator(status: str, successor: str) -> None:
    case = _case(status)
    with pytest.raises(CaseRuleError):
        proceedings.replace_member(case, leaving="a-9", successor=ROSTER.by_id[successor], on=ON, why_zh="")


def test_a_recusal_request_against_the_leaver_lapses_and_others_stay_open() -> None:
    panel = {
        "mode": "panel",
        "members": [
            {"arbitrator_id": "a-9", "name": "退", "role": "presiding"},
            {"arbitrator_id": "a-1", "name": "甲", "role": "member"},
            {"arbitrator_id": "a-2", "name": "乙", "role": "member"},
        ],
    }
    requested = {"requested_on": "2026-12-01", "decision_due_on": "2026-12-04", "ground": "近亲属", "granted": None}
    recusals = [
        {"id": "r-leaver", "arbitrator_id": "a-9", **requested},
        {"id": "r-other", "arbitrator_id": "a-1", **requested},
    ]
    case = arbitration_case(status="TRIBUNAL_FORMED", commission_id="arb-1", tribunal=panel, recusals=recusals)
    proceedings.replace_member(case, leaving="a-9", successor=ROSTER.by_id["a-3"], on=ON, why_zh="退出仲裁员名册")
    by_id = {r["id"]: r for r in case.recusals}
    assert by_id["r-leaver"]["lapsed_on"] == "2026-12-05" and by_id["r-leaver"]["granted"] is None
    assert "lapsed_on" not in by_id["r-other"]
    assert [h["kind"] for h in case.history[-2:]] == ["tribunal_reformed", "recusal_lapsed"]
    assert case.history[-1]["recusal_id"] == "r-leaver"
    # Nothing is left to decide on the lapsed request; the other one is still decided as usual.
    with pytest.raises(CaseRuleError):
        proceedings.decide_recusal(case, recusal_id="r-leaver", granted=True, on=ON, deciding_as=None)
    proceedings.decide_recusal(case, recusal_id="r-other", granted=False, on=ON, deciding_as=None)
    assert {r["id"]: r["granted"] for r in case.recusals} == {"r-leaver": None, "r-other": False}
