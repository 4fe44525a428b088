"""Pure rules of one dispute at one commission (LDA Art. 21; Rules Arts. 8, 9, 46), parties
joining (LDA Art. 7; Rules Art. 46(一)) and acting for one's own organisation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from labornet_arbitration.domain import admission, jurisdiction, parties, policy
from labornet_arbitration.domain.jurisdiction import Lodged, employer_key, keeper, same_dispute
from labornet_arbitration.domain.model import ArbitrationCase, CaseRuleError
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.reference import organisation_directory
from labornet_common.reference.calendar import default_calendar
from labornet_common.security.auth import Principal, Role
from tests.support.arbitration import arbitration_case

CAL = default_calendar()
DIRECTORY = organisation_directory()
CITY = DIRECTORY.commission("arb-4103")  # seat 老城 410302; serves 洛龙 410311 …
YANSHI = DIRECTORY.commission("arb-410307")  # 偃师 410307, 孟津 410308
WORKER = "bidx-worker-1"


def _lodged(commission, *, workplace: str, employer_division: str | None = "410302", **over) -> Lodged:
    values = dict(
        application_id=f"app-{commission.id}",
        commission_id=commission.id,
        service_areas=frozenset(commission.service_areas),
        employer_key="uscc:91410300MA44TEST1X",
        employer_division=employer_division,
        workplace=workplace,
        worker_keys=frozenset({WORKER}),
        categories=frozenset({"labor_remuneration"}),
        status="SUBMITTED",
        received_on=date(2026, 9, 28),
    )
    return Lodged(**{**values, **over})


def test_employer_key_by_uscc_else_normalised_name() -> None:
    assert employer_key(uscc="91410300MA44TEST1X", name="任意") == "uscc:91410300MA44TEST1X"
    assert employer_key(uscc=None, name="（洛阳）某建筑 公司") == employer_key(uscc="", name="(洛阳)某建筑公司")


def test_same_dispute_needs_employer_worker_claim_both_pending_at_two_commissions() -> None:
    city, yanshi = _lodged(CITY, workplace="410307"), _lodged(YANSHI, workplace="410307")
    assert same_dispute(city, yanshi)
    assert not same_dispute(city, replace(yanshi, commission_id=CITY.id))  # one commission: not a conflict
    assert not same_dispute(city, replace(yanshi, employer_key="uscc:OTHER"))
    assert not same_dispute(city, replace(yanshi, worker_keys=frozenset({"bidx-other"})))
    assert not same_dispute(city, replace(yanshi, worker_keys=frozenset()))  # nobody identified
    assert not same_dispute(city, replace(yanshi, categories=frozenset({"social_insurance"})))
    for ended in ("REFERRED", "NOT_ACCEPTED", "AWARDED", "CLOSED"):
        assert not same_dispute(city, replace(yanshi, status=ended))
    assert same_dispute(city, replace(yanshi, status="ACCEPTED"))


def test_place_of_performance_keeps_it_over_the_employers_seat_lda_21() -> None:
    # employer seated in 老城 (city commission), worker works in 偃师 (county commission)
    at_seat, at_workplace = _lodged(CITY, workplace="410307"), _lodged(YANSHI, workplace="410307")
    assert keeper(at_seat, at_workplace) is at_workplace
    assert keeper(at_workplace, at_seat) is at_workplace
    # even when the employer's seat accepted first (Rules Art. 9: an accepted case is referred too)
    accepted = replace(at_seat, status="ACCEPTED", accepted_on=date(2026, 9, 29))
    assert keeper(accepted, at_workplace) is at_workplace


def test_several_places_of_performance_the_first_to_accept_keeps_it_rules_8() -> None:
    city = _lodged(CITY, workplace="410311", received_on=date(2026, 9, 30))  # 洛龙 workplace
    yanshi = _lodged(YANSHI, workplace="410307", received_on=date(2026, 9, 28))  # 偃师 workplace
    assert keeper(city, yanshi) is yanshi  # neither accepted: the earlier receipt
    city_accepted = replace(city, status="ACCEPTED", accepted_on=date(2026, 10, 8))
    assert keeper(city_accepted, yanshi) is city_accepted
    both = replace(yanshi, status="ACCEPTED", accepted_on=date(2026, 10, 9))
    assert keeper(city_accepted, both) is city_accepted


def test_place_unclear_the_employers_seat_keeps_it_rules_8() -> None:
    # neither commission serves the stated workplace (孟州 elsewhere in 河南): the seat decides
    city = _lodged(CITY, workplace="410883", employer_division="410302")
    yanshi = _lodged(YANSHI, workplace="410883", employer_division="410302")
    assert keeper(city, yanshi) is city and keeper(yanshi, city) is city


def _case(commission_id: str, application_id: str, **over) -> ArbitrationCase:
    values = dict(
        application_id=application_id,
        case_id=f"case-{application_id}",
        source_key=f"direct:{application_id}",
        division_code="410307",
        commission_id=commission_id,
        commission_division="410307",
        acceptance_due_on=date(2026, 10, 8),
        created_at=None,
        claims=[{"category": "labor_remuneration", "amount_fen": 1_860_000}],
        worker_keys=[WORKER],
    )
    return arbitration_case(**{**values, **over})


def test_referral_into_the_keeper_notifies_both_and_restarts_an_accepted_keepers_clock_rules_46() -> None:
    keeper_case = _case(
        "arb-410307",
        "k",
        status="ACCEPTED",
        accepted_on=date(2026, 8, 10),
        award_clock_start=date(2026, 8, 10),
        award_due_on=date(2026, 9, 24),
    )
    loser = _case(
        "arb-4103",
        "l",
        applicant_side="employer",
        worker_keys=[WORKER, "bidx-2"],
        claims=[{"category": "economic_compensation", "amount_fen": 100}],
    )
    admission.refer_to_keeper(loser, keeper_case, on=date(2026, 8, 18), notice_zh="移送告知", calendar=CAL)
    assert (loser.status, loser.referred_to, loser.merged_into) == ("REFERRED", "arb-410307", "k")
    assert loser.history[-1]["text_zh"] == "移送告知" and keeper_case.history[-1]["kind"] == "referral_received"
    (referred,) = loser.pull_events()
    assert referred.data.same_dispute and referred.data.to_application_id == "k"
    # Rules Art. 46(五): 45 days again from 08-18 = 10-02, inside the National Day holiday -> 10-08
    assert keeper_case.award_clock_start == date(2026, 8, 18) and keeper_case.award_due_on == date(2026, 10, 8)
    assert set(keeper_case.worker_keys) == {WORKER, "bidx-2"}
    assert keeper_case.categories == {"labor_remuneration", "economic_compensation"}
    (received,) = keeper_case.pull_events()
    assert received.data.award_due_on == date(2026, 10, 8) and received.data.from_application_id == "l"


def test_an_awarded_application_is_not_referred() -> None:
    with pytest.raises(CaseRuleError):
        admission.refer_to_keeper(
            _case("arb-4103", "l", status="AWARDED"),
            _case("arb-410307", "k"),
            on=date(2026, 9, 29),
            notice_zh="",
            calendar=CAL,
        )


def _join(case: ArbitrationCase, filing: str, count: int, on: date) -> bool:
    return parties.join_workers(
        case,
        filing_id=filing,
        worker_count=count,
        worker_keys=[f"bidx-{filing}"],
        claims=[ClaimSummary(category="overtime_pay", amount_fen=5_000)],
        on=on,
        text_zh="追加",
        calendar=CAL,
    )


def test_a_worker_joining_before_acceptance_counts_without_a_clock() -> None:
    case = _case("arb-4103", "a")
    assert _join(case, "f1", 2, date(2026, 9, 29))
    assert case.worker_count == 2 and case.award_due_on is None and not case.collective
    assert "overtime_pay" in case.categories
    assert not _join(case, "f1", 2, date(2026, 9, 30))  # the same filing again: nothing
    assert len(case.pull_events()) == 1


def test_joining_after_acceptance_restarts_the_award_period_rules_46_1() -> None:
    case = _case(
        "arb-4103",
        "a",
        status="ACCEPTED",
        accepted_on=date(2026, 9, 1),
        award_clock_start=date(2026, 9, 1),
        award_due_on=date(2026, 10, 16),
    )
    assert _join(case, "f1", 2, date(2026, 9, 10))
    # 45 days from 09-10 = 10-25, a Sunday -> Monday 10-26
    assert case.award_clock_start == date(2026, 9, 10) and case.award_due_on == date(2026, 10, 26)
    (joined,) = case.pull_events()
    assert joined.data.worker_count == 2 and joined.data.award_due_on == date(2026, 10, 26)


def test_ten_workers_with_a_common_claim_are_collective_lda_7() -> None:
    case = _case("arb-4103", "a", worker_count=8)
    _join(case, "f9", 9, date(2026, 9, 29))
    assert not case.collective
    _join(case, "f10", 10, date(2026, 9, 29))
    assert case.collective and case.worker_count == 10
    assert not parties.is_collective(10, [])  # no common claim


def test_an_awarded_case_takes_no_more_parties() -> None:
    assert not _join(_case("arb-4103", "a", status="AWARDED"), "f1", 2, date(2026, 9, 29))


def _who(role: Role, scope: str, org: str | None) -> Principal:
    return Principal(subject=f"{role}@{org}", roles=frozenset({role}), region_scopes=(scope,), org_id=org)


def test_staff_act_for_their_own_commission_and_its_tribunals() -> None:
    yanshi_bodies = DIRECTORY.bodies_of_commission("arb-410307")
    city_bodies = DIRECTORY.bodies_of_commission("arb-4103")
    assert set(city_bodies) == {"arb-4103", "trib-410311-007", "trib-410371"}
    divisions = ["410307", "410307"]
    city = _who(Role.arbitrator, "4103", "arb-4103")
    assert policy.can_read(city, case_id="c", divisions=divisions)  # in the city's region: reads
    assert not policy.can_act(city, policy.DOCKET_ROLES, divisions=divisions, bodies=yanshi_bodies)
    assert policy.can_act(
        _who(Role.arbitrator, "410307", "arb-410307"), policy.DOCKET_ROLES, divisions=divisions, bodies=yanshi_bodies
    )
    venue = _who(Role.clerk, "4103", "trib-410311-007")  # the 派出庭 dockets its commission's cases
    assert policy.can_act(venue, policy.DOCKET_ROLES, divisions=["410311"], bodies=city_bodies)
    no_org = _who(Role.arbitrator, "4103", None)
    assert policy.can_read(no_org, case_id="c", divisions=["410311"])
    assert not policy.can_act(no_org, policy.DOCKET_ROLES, divisions=["410311"], bodies=city_bodies)
    admin = Principal(subject="admin", roles=frozenset({Role.admin}), region_scopes=("*",))
    assert policy.can_act(admin, policy.DOCKET_ROLES, divisions=divisions, bodies=yanshi_bodies)
    weihai = _who(Role.arbitrator, "3710", "arb-4103")  # the right org id but outside the region
    assert not policy.can_act(weihai, policy.DOCKET_ROLES, divisions=["410311"], bodies=city_bodies)


def test_pending_statuses_are_those_before_an_award() -> None:
    assert jurisdiction.PENDING >= {"SUBMITTED", "NEEDS_CORRECTION", "ACCEPTED", "HEARING_SCHEDULED"}
    assert not jurisdiction.PENDING & {"REFERRED", "NOT_ACCEPTED", "AWARDED"}
