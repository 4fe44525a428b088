"""Each alert rule at, just under and just over its threshold, with the law's own numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from labornet_common.contracts import arbitration as arb
from labornet_common.testing.wage_arrears_support import (
    GULOU,
    T0,
    USCC,
    agreement,
    award,
    breached,
    complaint,
    effective,
    enforcement,
    joined,
    record_key,
    wages,
)
from labornet_wage_arrears.domain.config import RuleBook, RuleConfig
from labornet_wage_arrears.domain.engine import MemoryEngine


def rules_after(*events, book: RuleBook | None = None) -> dict[str, object]:
    engine = MemoryEngine(book)
    for i, event in enumerate(events):
        engine.handle(record_key(event), event, T0 + timedelta(minutes=i))
    return {alert.rule: alert for alert in engine.alerts.values()}


# -- collective arrears: LDA Art. 7, ten or more workers with a common claim -----------------


@pytest.mark.parametrize(("workers", "fires"), [(9, False), (10, True), (11, True)])
def test_collective_arrears_at_ten_workers(workers: int, fires: bool) -> None:
    found = rules_after(complaint("c1", workers=workers, claims=[wages(100_000 * workers)]))
    assert ("collective_arrears" in found) is fires
    if fires:
        alert = found["collective_arrears"]
        assert alert.severity == "orange" and alert.worker_count == workers and "第七条" in alert.source


def test_collective_needs_a_common_wage_claim() -> None:
    other = complaint("c1", workers=12, claims=[wages(0).model_copy(update={"category": "social_insurance"})])
    assert "collective_arrears" not in rules_after(other)


def test_workers_joining_a_case_cross_the_threshold() -> None:
    found = rules_after(complaint("c1", workers=9), joined("c1", workers=10, claims=[wages(50_000)]))
    assert found["collective_arrears"].worker_count == 10


# -- repeated complaints: 3 in 30 days by default (a local figure, configurable) ----------------


def _complaints(days: list[int]):
    return [complaint(f"r{i}", at=T0 + timedelta(days=d), claims=[wages(100_000)]) for i, d in enumerate(days)]


@pytest.mark.parametrize(
    ("days", "fires"), [([0, 10], False), ([0, 10, 30], True), ([0, 10, 20, 29], True), ([0, 10, 31], False)]
)
def test_repeated_complaints_three_within_thirty_days(days: list[int], fires: bool) -> None:
    found = rules_after(*_complaints(days))
    assert ("repeated_complaints" in found) is fires
    if fires:
        assert found["repeated_complaints"].severity == "yellow"


def test_a_region_override_changes_the_window() -> None:
    book = RuleBook(regions={"4103": {"repeat_min_complaints": 2, "repeat_window_days": 7}})
    assert "repeated_complaints" in rules_after(*_complaints([0, 7]), book=book)
    assert "repeated_complaints" not in rules_after(*_complaints([0, 8]), book=book)
    elsewhere = [complaint(f"g{i}", region=GULOU, at=T0 + timedelta(days=d)) for i, d in enumerate([0, 7])]
    assert "repeated_complaints" not in rules_after(*elsewhere, book=book)  # 3-in-30 still applies in 福州


# -- 拒不支付劳动报酬罪 bands (刑法 276-1; 2013 interpretation Art. 3), at the band floors -----

AUG1, OCT31 = date(2026, 8, 1), date(2026, 10, 31)


@pytest.mark.parametrize(
    ("amount", "end", "fires"),
    [
        (499_999, OCT31, False),  # one fen under 5,000 yuan
        (500_000, OCT31, True),  # the floor of the 5,000-20,000 band, three whole months
        (500_001, OCT31, True),
        (900_000, date(2026, 10, 30), False),  # one day short of three months
    ],
)
def test_one_worker_three_months_at_the_band_floor(amount: int, end: date, fires: bool) -> None:
    found = rules_after(complaint("c1", claims=[wages(amount, AUG1, end)]))
    assert ("criminal_referral" in found) is fires
    if fires:
        alert = found["criminal_referral"]
        assert alert.severity == "red" and alert.referral_id and "未经核实" in alert.summary_zh
        assert "第二百七十六条之一" in alert.source


@pytest.mark.parametrize(
    ("workers", "amount", "fires"),
    [
        (10, 2_999_999, False),
        (10, 3_000_000, True),
        (10, 3_000_001, True),
        (9, 3_500_000, False),
    ],
)
def test_ten_workers_cumulatively_at_the_band_floor(workers: int, amount: int, fires: bool) -> None:
    half = workers // 2
    events = [
        complaint("m1", workers=half, claims=[wages(amount // 2)]),
        complaint("m2", workers=workers - half, claims=[wages(amount - amount // 2)]),
    ]
    assert ("criminal_referral" in rules_after(*events)) is fires


def test_a_verified_provincial_figure_replaces_the_floor() -> None:
    book = RuleBook(regions={"41": {"crime_single_fen": 1_000_000, "crime_figures_verified": True}})
    under = rules_after(complaint("c1", claims=[wages(999_999, AUG1, OCT31)]), book=book)
    at = rules_after(complaint("c1", claims=[wages(1_000_000, AUG1, OCT31)]), book=book)
    assert "criminal_referral" not in under and "未经核实" not in at["criminal_referral"].summary_zh


def test_a_figure_outside_the_band_is_refused() -> None:
    with pytest.raises(ValueError, match="band"):
        RuleConfig(crime_single_fen=2_000_001)
    with pytest.raises(ValueError, match="band"):
        RuleBook(regions={"37": {"crime_many_fen": 2_999_999}})


# -- 110 linkage, unpaid agreements and awards --------------------------------------------------


def test_a_police_linked_complaint_is_red_and_asks_for_dispatch() -> None:
    assert "police_dispatch" not in rules_after(complaint("c1"))
    alert = rules_after(complaint("c1", police=True))["police_dispatch"]
    assert alert.severity == "red" and alert.action == "dispatch:police"
    assert alert.due_at == alert.raised_at + timedelta(hours=2)


@pytest.mark.parametrize(("unpaid", "fires"), [(0, False), (1, True), (800_000, True)])
def test_a_breached_agreement_with_money_unpaid(unpaid: int, fires: bool) -> None:
    events = [complaint("c1", uscc=USCC), agreement("c1", "a1", 800_000), breached("c1", "a1", unpaid)]
    found = rules_after(*events)
    assert ("agreement_unpaid" in found) is fires
    if fires:
        assert found["agreement_unpaid"].amount_fen == unpaid and "第十六条" in found["agreement_unpaid"].source


def test_an_effective_award_taken_to_enforcement_is_unpaid() -> None:
    issued = [complaint("c1"), award("c1", "洛劳人仲案字〔2026〕第12号", 600_000)]
    assert "award_unpaid" not in rules_after(*issued, effective("c1", "洛劳人仲案字〔2026〕第12号"))
    found = rules_after(*issued, effective("c1", "洛劳人仲案字〔2026〕第12号"), enforcement("c1"))
    assert found["award_unpaid"].amount_fen == 600_000 and found["award_unpaid"].severity == "orange"


def test_an_award_set_aside_is_no_longer_unpaid_evidence_lda_49() -> None:
    number = "洛劳人仲案字〔2026〕第12号"
    lost = arb.AwardNotEffective(
        case_id="c1",
        division_code="4103",
        case_number=number,
        award_type="final",
        reason="set_aside",
        occurred_on=date(2026, 12, 20),
        article="LDA Art. 49",
    )
    events = [complaint("c1"), award("c1", number, 600_000), effective("c1", number), lost, enforcement("c1")]
    assert "award_unpaid" not in rules_after(*events)
