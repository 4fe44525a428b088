"""The worker's line when a clock of their case moved because the State Council's holiday
schedule for its year was entered (民诉法 Art. 85: a last day on a holiday rolls to the next
working day). Only the clocks a worker waits on are told; staff-side steps are not (pure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

RULES_ZH = {
    "MEDIATION_15D": "调解期限",  # LDA Art. 14
    "ACCEPTANCE_5D": "仲裁委员会决定是否受理的期限",  # LDA Art. 29
    "AWARD_45D": "仲裁审理期限",  # LDA Art. 43
    "FINAL_AWARD_SUIT_15D": "对终局裁决向人民法院起诉的期限",  # LDA Art. 48
    "NONFINAL_SUIT_15D": "对仲裁裁决向人民法院起诉的期限",  # LDA Art. 50 (期满不起诉的，裁决书发生法律效力)
}


def recomputed(data: Mapping[str, Any]) -> str | None:
    name = RULES_ZH.get(str(data.get("rule", "")))
    if name is None or not data.get("due_on"):
        return None
    due = date.fromisoformat(str(data["due_on"]))
    year = data.get("calendar_year", due.year)
    return f"国务院{year}年节假日安排已公布，{name}相应调整为{due.year}年{due.month}月{due.day}日"


DESCRIBERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "cn.labornet.mediation.deadline.recomputed.v1": recomputed,
    "cn.labornet.arbitration.deadline.recomputed.v1": recomputed,
}
