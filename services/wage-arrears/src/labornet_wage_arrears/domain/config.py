"""Alert rule settings, per region: defaults, overridden by division-code prefix.

Each figure says where it comes from. Where the law gives a band and each province fixes its
own figure (the 拒不支付劳动报酬罪 amounts), the default is the band's floor: the 豫/鲁/闽 high
courts' figures are unverified (domain-rules.md §8 q6), and the floor flags the most cases for
an inspector to look at. ``crime_figures_verified`` stays false until a region sets its figure.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Severity = Literal["red", "orange", "yellow"]
SEVERITY_RANK: dict[str, int] = {"yellow": 1, "orange": 2, "red": 3}
YUAN = 100  # amounts are kept in fen

# 2013 最高法《关于审理拒不支付劳动报酬刑事案件适用法律若干问题的解释》Art. 3: each province's
# high court fixes its figure inside these bands.
SINGLE_WORKER_BAND = (5_000 * YUAN, 20_000 * YUAN)  # Art. 3(一): one worker, 3+ months' pay
MANY_WORKERS_BAND = (30_000 * YUAN, 100_000 * YUAN)  # Art. 3(二): 10+ workers, cumulative

DEFAULT_SEVERITIES: dict[str, Severity] = {
    "police_dispatch": "red",
    "criminal_referral": "red",
    "blacklist_eligible": "red",
    "collective_arrears": "orange",
    "agreement_unpaid": "orange",
    "award_unpaid": "orange",
    "repeated_complaints": "yellow",
}
# No national response time exists for arrears alerts: operational clocks, in elapsed hours.
DEFAULT_ACK_HOURS: dict[Severity, float] = {"red": 2, "orange": 24, "yellow": 72}
DEFAULT_DISPATCH_HOURS: dict[Severity, float] = {"red": 24, "orange": 72, "yellow": 168}


class RuleConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    collective_min_workers: int = Field(10, ge=2)  # LDA Art. 7: 十人以上并有共同请求
    # No national figure for repeated complaints: a local early-warning choice.
    repeat_min_complaints: int = Field(3, ge=2)
    repeat_window_days: int = Field(30, ge=1)
    crime_single_min_months: int = Field(3, ge=1)  # 2013 interpretation Art. 3(一): 三个月以上
    crime_single_fen: int = SINGLE_WORKER_BAND[0]
    crime_many_min_workers: int = Field(10, ge=2)  # 2013 interpretation Art. 3(二): 十名以上
    crime_many_fen: int = MANY_WORKERS_BAND[0]
    crime_figures_verified: bool = False
    severities: dict[str, Severity] = Field(default_factory=lambda: dict(DEFAULT_SEVERITIES))
    ack_hours: dict[Severity, float] = Field(default_factory=lambda: dict(DEFAULT_ACK_HOURS))
    dispatch_hours: dict[Severity, float] = Field(default_factory=lambda: dict(DEFAULT_DISPATCH_HOURS))

    @model_validator(mode="after")
    def _figures_inside_the_bands(self) -> RuleConfig:
        for value, (low, high), name in (
            (self.crime_single_fen, SINGLE_WORKER_BAND, "crime_single_fen"),
            (self.crime_many_fen, MANY_WORKERS_BAND, "crime_many_fen"),
        ):
            if not low <= value <= high:
                raise ValueError(f"{name} must lie in the 2013 interpretation's band {low}..{high} fen")
        if set(self.ack_hours) != set(SEVERITY_RANK) or set(self.dispatch_hours) != set(SEVERITY_RANK):
            raise ValueError("ack_hours and dispatch_hours need red, orange and yellow")
        return self

    def severity(self, rule: str) -> Severity:
        return self.severities.get(rule, DEFAULT_SEVERITIES[rule])


class RuleBook(BaseModel):
    """The national defaults and overrides per division-code prefix; the longest prefix wins."""

    model_config = ConfigDict(frozen=True)

    defaults: RuleConfig = Field(default_factory=RuleConfig)
    regions: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _overrides_are_valid(self) -> RuleBook:
        for prefix in self.regions:
            if not (prefix.isascii() and prefix.isdigit()):
                raise ValueError(f"region override {prefix!r} is not a division-code prefix")
            self.for_region(prefix)
        return self

    def for_region(self, region_code: str) -> RuleConfig:
        return _resolve(self, region_code)

    def __hash__(self) -> int:
        return id(self)


@lru_cache(maxsize=4096)
def _resolve(book: RuleBook, region_code: str) -> RuleConfig:
    merged = book.defaults.model_dump()
    for prefix in sorted((p for p in book.regions if region_code.startswith(p)), key=len):
        merged.update(book.regions[prefix])
    return RuleConfig.model_validate(merged)
