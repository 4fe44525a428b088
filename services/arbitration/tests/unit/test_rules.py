"""Pure rules: the final-award split of LDA Art. 47, the minimum-wage table, case-number
formats, tribunal shapes and the court's effects."""

from __future__ import annotations

from datetime import date

import pytest

from labornet_arbitration.domain import docket, tribunal
from labornet_arbitration.domain.minimum_wage import SHIPPED, MinimumWage, MinimumWageTable, MinimumWageUnknown
from labornet_arbitration.domain.outcomes import award_items

TABLE = MinimumWageTable(SHIPPED)
LUOYANG_CAP_2026 = 12 * 235_000  # 河南一类 2350 from 2025-12-01: ¥28,200


def test_henan_minimum_wage_by_award_date() -> None:
    assert TABLE.monthly_fen("410311", date(2025, 11, 30)) == 210_000
    assert TABLE.monthly_fen("410311", date(2025, 12, 1)) == 235_000
    assert TABLE.cap_fen("410311", date(2026, 10, 8)) == 2_820_000
    assert TABLE.cap_fen("371002", date(2026, 10, 8)) == 12 * 220_000  # 威海, unverified figure


def test_fuzhou_has_no_shipped_figure_until_configured() -> None:
    with pytest.raises(MinimumWageUnknown):
        TABLE.monthly_fen("350102", date(2026, 10, 8))
    configured = MinimumWageTable([*SHIPPED, MinimumWage("350102", date(2025, 4, 1), 228_000, "configured")])
    assert configured.monthly_fen("350102", date(2026, 10, 8)) == 228_000


def test_a_configured_row_overrides_the_shipped_one_for_the_same_region_and_date() -> None:
    table = MinimumWageTable([*SHIPPED, MinimumWage("41", date(2025, 12, 1), 240_000, "configured")])
    assert table.monthly_fen("410311", date(2026, 1, 1)) == 240_000


@pytest.mark.parametrize(
    ("amount", "final"),
    [(LUOYANG_CAP_2026 - 1, True), (LUOYANG_CAP_2026, True), (LUOYANG_CAP_2026 + 1, False)],
)
def test_capped_items_are_final_at_or_under_12_months_minimum_wage(amount: int, final: bool) -> None:
    items = award_items("award", [{"category": "labor_remuneration", "amount_fen": amount}], LUOYANG_CAP_2026)
    assert items[0].final is final


def test_the_cap_is_per_item_not_on_the_total_interp_i_19() -> None:
    items = award_items(
        "award",
        [
            {"category": "labor_remuneration", "amount_fen": 2_800_000},
            {"category": "economic_compensation", "amount_fen": 2_820_000},
            {"category": "damages", "amount_fen": 2_820_001},
            {"category": "rest_leave", "amount_fen": 99_000_000},  # 47(二): standards, no cap
            {"category": "labor_relationship", "amount_fen": None},  # not in Art. 47: non-final
        ],
        LUOYANG_CAP_2026,
    )
    assert [i.final for i in items] == [True, True, False, True, False]


def test_a_mediation_document_binds_like_a_final_award_lda_42() -> None:
    assert award_items("mediation", [{"category": "labor_relationship"}], None)[0].final


def test_case_number_default_and_checked_formats() -> None:
    from labornet_arbitration.config import DEFAULT_CASE_NUMBER_FORMAT

    assert docket.case_number(DEFAULT_CASE_NUMBER_FORMAT, short_name="洛劳人仲", year=2026, seq=12) == (
        "洛劳人仲案字〔2026〕第12号"
    )
    for bad in ("{short_name}〔{year}〕", "{short_name}{seq}{court}"):
        with pytest.raises(ValueError):
            docket.check_format(bad)


def test_ten_workers_or_a_complex_case_need_three_arbitrators() -> None:
    assert tribunal.panel_required(worker_count=10, collective=False, complex_case=False)
    assert tribunal.panel_required(worker_count=1, collective=False, complex_case=True)
    assert not tribunal.panel_required(worker_count=9, collective=False, complex_case=False)


def test_tribunal_shapes() -> None:
    sole, presiding, m1, m2 = (
        tribunal.Seat("a", "sole"),
        tribunal.Seat("a", "presiding"),
        tribunal.Seat("b", "member"),
        tribunal.Seat("c", "member"),
    )
    assert tribunal.shape_ok("sole", [sole])
    assert tribunal.shape_ok("panel", [presiding, m1, m2])
    assert not tribunal.shape_ok("panel", [presiding, m1, tribunal.Seat("b", "member")])  # same person twice
    assert not tribunal.shape_ok("panel", [presiding, m1])


def test_recusal_decided_within_3_days_rules_11() -> None:
    from labornet_common.reference.calendar import LegalCalendar

    assert tribunal.recusal_decision_due(LegalCalendar(), date(2026, 9, 30)) == date(2026, 10, 8)
