"""Routing, rule by rule, against the shipped organisations register (seed regions)."""

from __future__ import annotations

import pytest

from labornet_common.reference import organisation_directory
from labornet_intake.domain.routing import RoutingFacts, decide, is_clear

DIRECTORY = organisation_directory()
WAGES = frozenset({"labor_remuneration"})


def _decide(requested: str = "help_me_choose", workplace: str = "410311007", categories=WAGES, **extra):
    return decide(RoutingFacts(requested, workplace, frozenset(categories), **extra), DIRECTORY)


def _rules(decision) -> list[tuple[str, str]]:
    return [(r.rule, r.article) for r in decision.reasons]


def test_mediation_centre_of_the_workplace_street() -> None:
    # LDA Art. 10: street organisations with labor-dispute mediation functions.
    d = _decide("mediation")
    assert (d.route, d.target_org_id, d.target_division) == ("mediation", "med-410311007", "410311007")
    assert _rules(d) == [("mediation.workplace", "LDA Art. 10")]


def test_a_street_without_its_own_centre_goes_to_its_county_centre() -> None:
    # LDA Art. 10; 410311001 has no street centre in the register, 洛龙区 has one.
    d = _decide("mediation", workplace="410311001")
    assert (d.target_org_id, d.target_division) == ("med-410311", "410311001")


def test_an_unclear_workplace_falls_back_to_the_employers_division_for_mediation() -> None:
    # LDA Art. 10 with the employer's seat when the workplace names only a city.
    d = _decide("mediation", workplace="410300", employer_division="350102")
    assert (d.target_org_id, d.target_division) == ("med-350102", "350102")
    assert _rules(d) == [("mediation.employer_seat", "LDA Art. 10")]


def test_help_me_choose_suggests_mediation_and_says_it_is_voluntary() -> None:
    # LDA Art. 5: mediation is offered first but is not a precondition of arbitration.
    d = _decide()
    assert d.route == "mediation" and _rules(d)[0] == ("choice.mediation_first", "LDA Art. 5")
    assert "自愿" in d.reasons[0].explanation_zh


def test_wage_arrears_with_inspection_requested_go_to_the_workplace_county_desk() -> None:
    # 劳动保障监察条例 Art. 13: the inspection department where the employer uses the labor.
    d = _decide("inspection", workplace="371002003")
    assert (d.route, d.target_org_id) == ("inspection", "insp-371002")
    assert _rules(d) == [("inspection.workplace_county", "劳动保障监察条例 Art. 13")]


@pytest.mark.parametrize("category", ["working_hours", "rest_leave", "social_insurance", "labor_protection"])
def test_labor_standard_violations_also_go_to_the_desk(category: str) -> None:
    # 劳动保障监察条例 Art. 11: inspection covers working time, rest, social insurance, protection.
    assert _decide("inspection", categories={category}).target_org_id == "insp-410311"


def test_inspection_of_a_pure_dispute_is_turned_to_mediation() -> None:
    # 劳动保障监察条例 Art. 21: matters for the dispute procedures are not inspected.
    d = _decide("inspection", categories={"dismissal"})
    assert d.route == "mediation"
    assert _rules(d)[0] == ("inspection.not_a_standard_violation", "劳动保障监察条例 Art. 21")


def test_arbitration_at_the_performance_place_first() -> None:
    # LDA Art. 21: 履行地 before 所在地; 偃师 (410307) has its own commission.
    d = _decide("arbitration", workplace="410307", employer_division="410311")
    assert (d.route, d.target_org_id, d.target_division) == ("arbitration", "arb-410307", "410307")
    assert _rules(d) == [("arbitration.performance_place", "LDA Art. 21")]


def test_several_workplaces_go_to_the_commission_that_accepts_first() -> None:
    # 办案规则 Art. 8: several performance places -> the first to accept (the first named).
    d = _decide("arbitration", workplace="371082", other_workplaces=("410307",))
    assert d.target_org_id == "arb-371082"
    assert _rules(d) == [
        ("arbitration.performance_place", "LDA Art. 21"),
        ("arbitration.first_to_accept", "办案规则 Art. 8"),
    ]


def test_an_unclear_performance_place_goes_to_the_employers_seat() -> None:
    # 办案规则 Art. 8: a performance place that cannot be determined -> 所在地.
    d = _decide("arbitration", workplace="410300", employer_division="371003")
    assert (d.target_org_id, d.target_division) == ("arb-371003", "371003")
    assert _rules(d) == [("arbitration.employer_seat", "办案规则 Art. 8")]


def test_no_commission_known_is_left_for_staff_to_designate() -> None:
    # LDA Art. 17/21: commissions are not one per division; staff designate.
    d = _decide("arbitration", workplace="110105", employer_division=None)
    assert (d.route, d.target_org_id) == ("arbitration", None)
    assert _rules(d) == [("arbitration.undetermined", "LDA Art. 21")]


def test_no_mediation_centre_sends_the_case_to_arbitration() -> None:
    # LDA Art. 5: mediation is not a precondition; no centre -> arbitration directly.
    d = _decide("mediation", workplace="410304", employer_division=None)
    assert d.route == "arbitration" and d.target_org_id == "arb-4103"
    assert ("mediation.no_centre", "LDA Art. 5") in _rules(d)


@pytest.mark.parametrize("pending", ["arbitration", "court"])
def test_a_matter_already_in_arbitration_or_court_is_redirected(pending: str) -> None:
    # 劳动保障监察条例 Art. 21: tell the complainant to pursue it where it already is.
    d = _decide("inspection", pending_proceedings=pending)
    assert d.route == "redirect"
    assert _rules(d) == [("redirect.pending_proceedings", "劳动保障监察条例 Art. 21")]
    assert (d.target_org_id == "arb-4103") is (pending == "arbitration")


def test_a_clear_workplace_names_its_county() -> None:
    assert is_clear("410311") and is_clear("410311007") and not is_clear("410300")
