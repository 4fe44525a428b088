"""The desk folds the same passport as every service: a docketed dispute reads as docketed in
the referral package, and a step no rule reads does not count as a change of the facts."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import asdict
from datetime import date

from labornet_common.contracts import arbitration as arb
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.testing.wage_arrears_support import complaint, enforcement, joined, wages
from labornet_wage_arrears.domain.facts import Agreement, Award, CaseFacts
from labornet_wage_arrears.domain.projection import apply, track
from labornet_wage_arrears.domain.referral import _case_entry

RECEIVED = arb.ApplicationReceived(
    case_id="c-1",
    application_id="a-1",
    division_code="410311007",
    commission_id="arb-4103",
    source="direct",
    received_on=date(2026, 12, 1),
    acceptance_due_on=date(2026, 12, 7),
    employer_name="洛阳某公司",
    employer_uscc="91350100M000100Y43",
    claims=[ClaimSummary(category="labor_remuneration", amount_fen=500_000)],
)
ACCEPTED = arb.ApplicationAccepted(
    case_id="c-1",
    application_id="a-1",
    division_code="410311007",
    commission_id="arb-4103",
    case_number="洛劳人仲案字〔2026〕第3号",
    accepted_on=date(2026, 12, 2),
    award_due_on=date(2027, 1, 18),
)


def test_a_docketed_dispute_reads_docketed_in_the_referral_package() -> None:
    facts = CaseFacts(case_id="c-1")
    assert track(facts, RECEIVED) and apply(facts, RECEIVED)
    assert track(facts, ACCEPTED) and not apply(facts, ACCEPTED)  # no rule reads an acceptance
    assert not track(facts, ACCEPTED)  # the same step again changes nothing
    entry = _case_entry(facts)["dispute"]
    assert (entry["stage"], entry["case_number"], entry["holder_id"]) == (
        "docketed",
        "洛劳人仲案字〔2026〕第3号",
        "arb-4103",
    )
    assert CaseFacts.from_row(facts.to_row()).where == facts.where


def test_the_facts_as_stored_are_asdicts_and_a_later_change_in_place_leaves_them_be() -> None:
    facts = CaseFacts(
        case_id="c-1",
        court=[{"kind": "enforcement_applied", "date": "2027-03-01", "court": "洛龙区法院", "number": "执1号"}],
    )
    assert track(facts, RECEIVED) and apply(facts, RECEIVED) and track(facts, ACCEPTED)
    facts.agreements.append(Agreement(agreement_id="ag-1", total_fen=300_000, effective_on="2026-12-03"))
    facts.awards.append(Award(case_number="洛劳人仲案字〔2026〕第3号", granted_fen=200_000))
    stored = facts.as_dict()
    assert stored == asdict(facts) and facts.passport is not None
    assert CaseFacts.from_row(stored) == facts
    # The projection changes agreements and awards in place: what was taken stays as it was.
    facts.agreements[0].breached_on, facts.awards[0].effective_on = "2026-12-20", "2027-01-02"
    assert stored["agreements"][0]["breached_on"] is None and stored["awards"][0]["effective_on"] is None
    assert stored != asdict(facts)


def test_the_projection_replaces_claims_and_court_entries_and_never_changes_one_in_place() -> None:
    # What makes a shallow copy of them enough (``CaseFacts.as_dict``): the facts taken before
    # more workers join, the case reaches court and the passport moves, stay as they were.
    facts = CaseFacts(case_id="c-9")
    apply(facts, complaint("c-9", workers=3, claims=[wages(600_000)]))
    stored = facts.as_dict()
    snapshot = deepcopy(stored)
    for event in (
        joined("c-9", workers=12, claims=[wages(900_000)]),
        joined("c-9", workers=15, claims=[wages(300_000)]),
        enforcement("c-9"),
    ):
        track(facts, event)
        apply(facts, event)
    assert len(facts.claims) == 3 and facts.court  # the facts moved on
    assert stored == snapshot
