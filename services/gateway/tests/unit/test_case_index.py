"""The case index folds case events, in any order and however often delivered, into what the
court needs: docket numbers (the newest current, earlier ones kept), commission, centre, stage."""

from __future__ import annotations

from copy import deepcopy

import pytest

from labornet_common.platform.errors import Problem
from labornet_common.security.auth import Principal, Role
from labornet_gateway.api.court import lookup_principal
from labornet_gateway.domain.case_index import CaseEntry, fold

ACCEPTED = "cn.labornet.arbitration.application.accepted.v1"
RECEIVED = "cn.labornet.arbitration.application.received.v1"
REFERRED = "cn.labornet.arbitration.application.referred.v1"
AWARDED = "cn.labornet.arbitration.award.issued.v1"
OPENED = "cn.labornet.mediation.case.opened.v1"
TRANSFERRED = "cn.labornet.mediation.case.transferred.v1"
LAWSUIT = "cn.labornet.court.lawsuit_filed.v1"
RECORDED = "cn.labornet.arbitration.court_event.recorded.v1"
N1, N2 = "洛劳人仲案字〔2026〕第12号", "洛龙劳人仲案字〔2026〕第3号"


def _accepted(number: str, commission: str, on: str, app: str = "app-1") -> dict:
    return {
        "case_id": "c1",
        "application_id": app,
        "division_code": "410311",
        "commission_id": commission,
        "case_number": number,
        "accepted_on": on,
        "award_due_on": "2027-01-18",
    }


def _folded(*events: tuple[str, dict]) -> CaseEntry:
    entry = CaseEntry(case_id="c1")
    for event_type, data in events:
        fold(entry, event_type, data)
    return entry


def test_an_accepted_application_is_found_by_its_docket_number_and_commission() -> None:
    entry = _folded((ACCEPTED, _accepted(N1, "arb-4103", "2026-12-04")))
    assert entry.case_number == N1 and entry.commission_id == "arb-4103"
    assert entry.stage == "docketed" and entry.application_id == "app-1"
    assert entry.regions == ["410311"] and entry.division_code == "410311"


def test_a_referral_keeps_both_numbers_and_the_newest_is_current() -> None:
    # Rules Arts. 9, 31: referred after docketing, the receiving commission gives a new 案号.
    entry = _folded(
        (ACCEPTED, _accepted(N1, "arb-4103", "2026-12-04")),
        (
            REFERRED,
            {
                "case_id": "c1",
                "application_id": "app-1",
                "division_code": "410311",
                "from_commission_id": "arb-4103",
                "to_commission_id": "arb-410311",
                "referred_on": "2026-12-07",
                "reason": "place of performance",
            },
        ),
        (
            RECEIVED,
            {
                "case_id": "c1",
                "application_id": "app-2",
                "division_code": "410311",
                "commission_id": "arb-410311",
                "source": "referral",
            },
        ),
        (ACCEPTED, _accepted(N2, "arb-410311", "2026-12-08", app="app-2")),
    )
    assert [n.case_number for n in entry.numbers] == [N1, N2]
    assert entry.case_number == N2 and entry.commission_id == "arb-410311" and entry.application_id == "app-2"


def test_duplicated_and_resent_events_change_nothing() -> None:
    events = [(ACCEPTED, _accepted(N1, "arb-4103", "2026-12-04")), (ACCEPTED, _accepted(N2, "b", "2026-12-08"))]
    once = _folded(*events)
    again = deepcopy(once)
    for event_type, data in [*events, *events]:
        fold(again, event_type, data)
    assert again == once
    assert again.case_number == N2  # a re-sent older acceptance does not make its number current


def test_the_stage_is_the_passport_every_service_folds_whatever_the_order_of_services() -> None:
    # The court's own callback event says nothing of the award's effect: arbitration's record of
    # it does (a suit in time keeps a non-final award from effect, LDA Art. 50), in any order.
    lawsuit = {
        "case_id": "c1",
        "court_name": "洛龙区人民法院",
        "occurred_on": "2026-12-20",
        "division_code": "410311",
        "callback_id": "m1",
    }
    recorded = {
        "case_id": "c1",
        "division_code": "410311",
        "kind": "lawsuit_filed",
        "callback_id": "m1",
        "effect": "non_final_award_not_effective",
    }
    award = {"case_id": "c1", "division_code": "410311", "case_number": N1, "commission_id": "arb-4103"}
    entry = _folded((LAWSUIT, lawsuit), (AWARDED, award), (RECORDED, recorded))
    assert entry.stage == "court"
    assert entry.regions == ["410311"]  # from the award; a court's seat is not a region of the case
    assert _folded((LAWSUIT, lawsuit)).regions == []
    # The employer's suit on a final award changes nothing (LDA Arts. 48-49): still awarded.
    refused = {**recorded, "effect": "no_effect_on_final_award"}
    assert _folded((AWARDED, award), (LAWSUIT, lawsuit), (RECORDED, refused)).stage == "awarded"


def test_mediation_keeps_its_centre_and_a_late_transfer_does_not_move_the_commission() -> None:
    opened = {
        "case_id": "c1",
        "centre_id": "ctr-410311-007",
        "division_code": "410311007",
        "received_on": "2026-12-01",
        "due_on": "2026-12-16",
    }
    transfer = {
        "case_id": "c1",
        "transfer_id": "t1",
        "division_code": "410311007",
        "commission_id": "arb-4103",
        "venue_name": "科技园派出仲裁庭",
        "grounds": "timed_out",
        "worker_name": "王",
        "employer_name": "某公司",
    }
    assert _folded((OPENED, opened)).stage == "mediation"
    entry = _folded((OPENED, opened), (ACCEPTED, _accepted(N1, "arb-410311", "2026-12-18")), (TRANSFERRED, transfer))
    assert entry.centre_id == "ctr-410311-007" and entry.commission_id == "arb-410311"
    assert entry.division_code == "410311007"


def test_a_case_referred_into_the_dispute_at_its_keeper_points_there() -> None:
    # LDA Art. 21: the commission that accepted first keeps a dispute lodged at two.
    entry = _folded(
        (
            REFERRED,
            {
                "case_id": "c1",
                "application_id": "app-1",
                "division_code": "410311",
                "from_commission_id": "a",
                "to_commission_id": "b",
                "referred_on": "2026-12-07",
                "reason": "same dispute",
                "to_case_id": "c0",
            },
        )
    )
    assert entry.moved_to == "c0"
    assert _folded((REFERRED, {"to_commission_id": "b", "to_case_id": "c1"})).moved_to is None


def test_scopes_are_division_prefixes() -> None:
    entry = _folded((ACCEPTED, _accepted(N1, "arb-4103", "2026-12-04")))
    assert entry.within(["4103"]) and entry.within(["*"]) and entry.within(["3710", "41"])
    assert not entry.within(["3710"]) and not entry.within([]) and not CaseEntry("c2").within(["4103"])


def test_a_complaint_at_the_window_is_known_with_its_stage_and_other_events_leave_it_unchanged() -> None:
    entry = _folded(("cn.labornet.intake.complaint.received.v1", {"case_id": "c1", "region_code": "410311"}))
    assert (entry.stage, entry.regions, entry.case_number) == ("intake", ["410311"], None)
    untouched = _folded(("cn.labornet.wage-arrears.alert.raised.v1", {"case_id": "c1", "region_code": "410311"}))
    assert untouched == CaseEntry(case_id="c1")


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_the_court_and_arbitration_readers_may_look_cases_up(role: Role) -> None:
    who = Principal(subject="s", roles=frozenset({role}), region_scopes=("*",) if role is Role.admin else ("4103",))
    if role in (Role.court_liaison, Role.arbitrator, Role.clerk, Role.admin):
        assert lookup_principal(who) is who
    else:
        with pytest.raises(Problem) as missing:  # like any read outside one's remit: 404, not 403
            lookup_principal(who)
        assert missing.value.status == 404
