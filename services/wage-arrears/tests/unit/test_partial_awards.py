"""A partial award (先行裁决, LDA Art. 43 ¶2) counts toward what the employer was ordered to pay,
on its own, and is effective when arbitration says so; a withdrawal closes the desk's case."""

from __future__ import annotations

from datetime import date

from labornet_common.contracts import arbitration as arb
from labornet_wage_arrears.domain.facts import CaseFacts
from labornet_wage_arrears.domain.projection import apply

NUMBER = "洛劳人仲案字〔2026〕第7号"
WAGES = arb.AwardItem(category="labor_remuneration", amount_fen=1_860_000, final=True)


def test_a_partial_award_counts_on_its_own_and_takes_effect() -> None:
    facts = CaseFacts(case_id="c-1")
    issued = arb.PartialAwardIssued(
        case_id="c-1",
        division_code="410311",
        case_number=NUMBER,
        commission_id="arb-4103",
        part_id="p1",
        issued_on=date(2026, 9, 18),
        award_type="non_final",
        items=[WAGES.model_copy(update={"final": False})],
        total_granted_fen=1_860_000,
        employer_name="洛阳某建筑工程有限公司",
    )
    assert apply(facts, issued)
    assert facts.awarded_fen == 1_860_000 and facts.employer_name == "洛阳某建筑工程有限公司"
    assert [a.effective_on for a in facts.awards] == [None]
    effective = arb.PartialAwardEffective(
        case_id="c-1",
        division_code="410311",
        case_number=NUMBER,
        part_id="p1",
        effective_on=date(2026, 10, 9),
        award_type="non_final",
    )
    assert apply(facts, effective)
    assert [a.effective_on for a in facts.awards] == ["2026-10-09"]
    final = arb.AwardIssued(
        case_id="c-1",
        division_code="410311",
        case_number=NUMBER,
        commission_id="arb-4103",
        issued_on=date(2026, 10, 20),
        kind="award",
        items=[arb.AwardItem(category="damages", amount_fen=500_000, final=True)],
        total_granted_fen=500_000,
    )
    apply(facts, final)
    assert facts.awarded_fen == 2_360_000 and len(facts.awards) == 2
