"""The register as administrators keep it, enterprise committees, and what happens to a leaving
mediator's open cases (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from labornet_common.platform.roster.rules import OpenCase
from labornet_common.reference import MediationCentre, Tribunal, organisation_directory
from labornet_common.reference.organisations import DirectoryError
from labornet_mediation.domain.agreement import RuleBroken
from labornet_mediation.domain.enterprise import Committee, Composition, check_applicant, check_composition, may_apply
from labornet_mediation.domain.model import MediatorRef
from labornet_mediation.domain.roster import ManagedCentre, ManagedTribunal, hand_over, overlay
from labornet_mediation.domain.routing import resolve_centre, transfer_destination

BASE = organisation_directory()
NEW_STREET = MediationCentre("med-410311099", "street", "洛龙区试点街道劳动争议调解中心", "410311099", ("410311099",))
COMMITTEE = MediationCentre("med-ent-410311-yt", "enterprise", "洛阳一拖机械有限公司劳动争议调解委员会", "410311", ())


def _ref(n: int) -> MediatorRef:
    return MediatorRef(f"m-{n}", f"mediator:m-{n}", f"调解员{n}")


def test_an_added_centre_serves_its_street_and_a_retired_one_is_gone() -> None:
    directory = overlay(BASE, [ManagedCentre(NEW_STREET)], [])
    assert resolve_centre(directory, target_org_id=None, divisions=["410311099"]) == NEW_STREET
    assert resolve_centre(BASE, target_org_id=None, divisions=["410311099"]).id == "med-410311"  # county's before
    retired = overlay(BASE, [ManagedCentre(BASE.centre("med-410311007"), retired_on=date(2026, 12, 1))], [])
    assert retired.centre("med-410311007") is None
    assert resolve_centre(retired, target_org_id=None, divisions=["410311007"]).id == "med-410311"
    assert BASE.centre("med-410311007") is not None  # the shipped register itself is untouched


def test_a_retired_tribunal_sends_its_centres_transfers_to_the_commission() -> None:
    tribunal = BASE.tribunal("trib-410311-007")
    directory = overlay(BASE, [], [ManagedTribunal(tribunal, retired_on=date(2026, 12, 1))])
    assert directory.centre("med-410311007").tribunal_id is None
    where = transfer_destination(
        directory, centre_id="med-410311007", workplace_division="410311007", employer_division=None
    )
    assert (where.commission_id, where.tribunal_id) == ("arb-4103", None)


def test_an_added_tribunal_at_an_added_centre() -> None:
    tribunal = Tribunal("trib-410311-099", "试点派出仲裁庭", "arb-4103", NEW_STREET.id, "410311099")
    centre = MediationCentre(
        NEW_STREET.id, NEW_STREET.kind, NEW_STREET.name, NEW_STREET.division_code, NEW_STREET.serves, tribunal.id
    )
    directory = overlay(BASE, [ManagedCentre(centre)], [ManagedTribunal(tribunal)])
    where = transfer_destination(directory, centre_id=centre.id, workplace_division="410311099", employer_division=None)
    assert where.tribunal_id == "trib-410311-099"


def test_a_broken_reference_is_refused() -> None:
    orphan = Tribunal("trib-x", "无主仲裁庭", "arb-none", None, "410311")
    with pytest.raises(DirectoryError):
        overlay(BASE, [], [ManagedTribunal(orphan)])


def test_routing_never_sends_a_complaint_to_an_enterprise_committee() -> None:
    # LDA Art. 10: the party chooses; the register picks street, township or park centres only.
    directory = overlay(BASE, [ManagedCentre(COMMITTEE)], [])
    assert resolve_centre(directory, target_org_id=None, divisions=["410311"]).kind != "enterprise"
    assert resolve_centre(directory, target_org_id=COMMITTEE.id, divisions=["410311"]) == COMMITTEE  # chosen


def test_a_committee_needs_both_sides_and_a_lawful_chair() -> None:
    check_composition(Composition(3, 2, "union_member"))
    for composition, field in [
        (None, "composition"),
        (Composition(0, 2, "union_member"), "composition.worker_representatives"),
        (Composition(2, 0, "elected_by_both"), "composition.employer_representatives"),
        (Composition(2, 2, "general_manager"), "composition.chair"),
    ]:
        with pytest.raises(RuleBroken) as caught:
            check_composition(composition)
        assert caught.value.field == field


def test_a_committee_takes_its_own_enterprises_disputes_only() -> None:
    by_code = Committee("c", "洛阳一拖机械有限公司劳动争议调解委员会", employer_uscc="91410300MA44XXXX1A")
    assert may_apply(by_code, employer_uscc="91410300MA44XXXX1A", employer_name="别的名字")
    assert not may_apply(by_code, employer_uscc="91410300MA45YYYY2B", employer_name="洛阳一拖机械有限公司")
    by_name = Committee("c", "洛阳一拖机械有限公司劳动争议调解委员会")
    assert by_name.enterprise_name == "洛阳一拖机械有限公司"
    assert may_apply(by_name, employer_uscc=None, employer_name="洛阳一拖机械有限公司")
    with pytest.raises(RuleBroken) as caught:
        check_applicant(by_name, employer_uscc=None, employer_name="洛阳某建筑公司")
    assert caught.value.field == "employer_name"


def test_a_leaving_mediators_cases_spread_over_the_colleagues() -> None:
    cases = [OpenCase("c-1"), OpenCase("c-2"), OpenCase("c-3", excluded=("m-2",))]
    plan = hand_over(cases, leaving="m-1", candidates=[_ref(1), _ref(2), _ref(3)], open_cases={"m-2": 0, "m-3": 1})
    # c-1 -> m-2 (0 open), c-2 -> m-2 or m-3 tie at 1 -> m-2 by id, c-3 -> m-3 (m-2 stepped aside)
    assert plan.summary() == {"c-1": "m-2", "c-2": "m-2", "c-3": "m-3"}
    assert "m-1" not in plan.summary().values()


def test_cases_wait_when_nobody_else_serves() -> None:
    plan = hand_over([OpenCase("c-1")], leaving="m-1", candidates=[_ref(1)], open_cases={})
    assert plan.summary() == {"c-1": None}
