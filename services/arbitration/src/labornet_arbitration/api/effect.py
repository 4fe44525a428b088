"""The award's effect as the API shows it: effect.py's read model plus its plain explanation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from labornet_arbitration.domain import effect
from labornet_arbitration.effect_messages import EFFECT_MESSAGES


class PartyServiceRead(BaseModel):
    """One party's service of the award and the periods that run from its own receipt."""

    served_on: date = Field(description="the day this party received the award (receipt or 送达回证)")
    suit_due_on: date | None = Field(
        default=None, description="this party's last day to sue (LDA Art. 48 worker / Art. 50 either party)"
    )
    set_aside_due_on: date | None = Field(
        default=None, description="employer, final award: last day to apply to set it aside (LDA Art. 49)"
    )


class AwardEffectRead(BaseModel):
    state: effect.State = Field(
        description="pending / effective / set_aside_applied / challenged_by_worker / "
        "not_effective_in_court / set_aside"
    )
    in_effect: bool
    enforceable: bool = Field(description="in effect and enforcement not suspended (Interp-I Art. 25)")
    award_type: effect.AwardType | None = Field(description="None for a 调解书")
    effective_on: date | None
    served_on: date | None = Field(description="the day the last party received the award (all parties served)")
    suit_due_on: date | None = Field(
        description="the end of the last party's suit window (LDA Arts. 48, 50); a non-final award takes "
        "effect after it without a suit in time"
    )
    set_aside_due_on: date | None = Field(
        description="final awards: the employer's last day to apply to set aside (LDA Art. 49)"
    )
    may_sue_by: date | None = Field(description="after a set-aside: last day to sue (LDA Art. 49 ¶2)")
    article: str
    parties: dict[str, PartyServiceRead] = Field(
        default_factory=dict,
        description="worker / employer: each served party's own service day and periods, counted from its own "
        "receipt (民诉法 Art. 85)",
    )
    explanation_zh: str
    explanation_en: str


def award_effect(*, status: str, award: Mapping[str, Any] | None, court: Mapping[str, Any]) -> AwardEffectRead | None:
    found = effect.effect_of(status=status, award=award, court=court)
    if found is None:
        return None
    zh, en = EFFECT_MESSAGES[found.code]
    values = found.values()
    return AwardEffectRead(
        **{k: v for k, v in values.items() if k != "code"},
        explanation_zh=zh.format_map(_words(values, _chinese)),
        explanation_en=en.format_map(_words(values, str)),
    )


def _words(values: dict[str, Any], say: Any) -> dict[str, str]:
    words = {k: say(v) if isinstance(v, date) else "" for k, v in values.items()}
    for name, key in (("suit_due", "suit_due_on"), ("set_aside_due", "set_aside_due_on"), ("may_sue", "may_sue_by")):
        words[name] = f"（截至{words[key]}）" if values.get(key) else ""
    return words


def _chinese(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
