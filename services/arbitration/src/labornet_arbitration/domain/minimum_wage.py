"""Local monthly minimum wages and the final-award split of LDA Art. 47.

LDA Art. 47(一): awards on remuneration, injury medical fees, economic compensation or damages
are final when they do not exceed 12 months of the local monthly minimum wage, tested per
item (Interp-I 19); 47(二): awards on working-time, rest/leave and social-insurance standards
are final without a cap. Everything else is non-final.

Which date's minimum wage applies is an open question (domain-rules §8.2: award date, filing
date or the claim period). We use the award date, as some local guidance says "裁决做出时".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from labornet_common.contracts.claims import CAPPED_FINAL, UNCAPPED_FINAL

CAP_MONTHS = 12  # LDA Art. 47(一)


@dataclass(frozen=True)
class MinimumWage:
    region_prefix: str  # division-code prefix: "41" all of 河南, "3710" 威海
    effective_from: date
    monthly_fen: int
    status: str  # how far the figure is verified (domain-rules §7)


# domain-rules.md §7. 福建/福州: the 2025-04-01 amounts are unknown, so nothing is shipped and a
# deployment serving 鼓楼 must configure LABORNET_MINIMUM_WAGES; until then finality of capped
# items there cannot be decided and an award with such items is refused.
SHIPPED: tuple[MinimumWage, ...] = (
    # 豫政〔2023〕43号 "一类行政区域月最低工资标准2100元" (text via dahe.cn); 洛阳市区 was 一类 in
    # the 2011 annex, its current class is unverified.
    MinimumWage("41", date(2024, 1, 1), 210_000, "secondary source; Luoyang's class unverified"),
    MinimumWage("41", date(2025, 12, 1), 235_000, "secondary source (tiers 2350/2150/2000)"),
    # 山东 威海 一档 ≈2200 "since 2023?": unverified, date assumed.
    MinimumWage("3710", date(2023, 1, 1), 220_000, "unverified"),
)


class MinimumWageUnknown(LookupError):
    """No minimum wage is known for the region on the date."""


class MinimumWageTable:
    def __init__(self, rows: Iterable[MinimumWage]) -> None:
        self._rows = list(rows)

    def monthly_fen(self, division_code: str, on: date) -> int:
        """The most specific region's figure in force on ``on`` (latest effective date); on a
        tie the row given later wins, so a deployment's configuration overrides the shipped one."""
        matching = [
            (len(r.region_prefix), r.effective_from, index, r.monthly_fen)
            for index, r in enumerate(self._rows)
            if division_code.startswith(r.region_prefix) and r.effective_from <= on
        ]
        if not matching:
            raise MinimumWageUnknown(division_code)
        return max(matching)[3]

    def cap_fen(self, division_code: str, on: date) -> int:
        return CAP_MONTHS * self.monthly_fen(division_code, on)


def item_is_final(category: str, amount_fen: int | None, cap_fen: int | None) -> bool:
    """LDA Art. 47 for one award item (Interp-I 19: the cap is per item, not the total)."""
    if category in UNCAPPED_FINAL:
        return True
    if category in CAPPED_FINAL:
        return amount_fen is not None and cap_fen is not None and amount_fen <= cap_fen
    return False


def needs_cap(categories: Sequence[str]) -> bool:
    return any(c in CAPPED_FINAL for c in categories)
