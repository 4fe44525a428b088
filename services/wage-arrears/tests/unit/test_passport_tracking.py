"""The desk folds the same passport as every service: a docketed dispute reads as docketed in
the referral package, and a step no rule reads does not count as a change of the facts."""

from __future__ import annotations

from datetime import date

from labornet_common.contracts import arbitration as arb
from labornet_common.contracts.claims import ClaimSummary
from labornet_wage_arrears.domain.facts import CaseFacts
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
