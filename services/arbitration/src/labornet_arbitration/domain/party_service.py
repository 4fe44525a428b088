"""Each party's service of the award and the periods that run from it (pure).

The law counts each party's period from that party's own receipt: the worker may sue on a final
award within 15 days of receiving it (LDA Art. 48), the employer may apply to set a final award
aside within 30 days of receiving it (Art. 49), and either party may sue on a non-final award
within 15 days of its receipt (Art. 50; a mixed award is challenged as a whole, Interp-I
Art. 20). Periods start the day after service and a last day on a holiday moves to the next
working day (民诉法 Art. 85, counted by the legal calendar in clocks.py).

The award as a whole is served once every party has it. Its old fields keep their meaning for
readers written before per-party service: ``served_on`` is the last party's day, ``suit_due_on``
the end of the last suit window (when a non-final award takes effect without a suit, Art. 50),
``set_aside_due_on`` the employer's own set-aside window.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal

from labornet_arbitration.domain import clocks
from labornet_common.reference.calendar import LegalCalendar

Party = Literal["worker", "employer"]
PARTIES: tuple[Party, ...] = ("worker", "employer")


def windows(award_type: str | None, party: Party, served_on: date, calendar: LegalCalendar) -> dict[str, str | None]:
    """One party's service day and its own periods."""
    suit_due: date | None = None
    set_aside_due: date | None = None
    if award_type == "final":
        if party == "worker":
            suit_due = clocks.final_suit_due(calendar, served_on)  # LDA Art. 48
        else:
            set_aside_due = clocks.set_aside_due(calendar, served_on)  # LDA Art. 49
    elif award_type in ("non_final", "mixed"):
        suit_due = clocks.nonfinal_suit_due(calendar, served_on)  # LDA Art. 50; Interp-I Art. 20
    # award_type None: a 调解书, effective once both sign for it (LDA Art. 42), no period runs
    return {"served_on": served_on.isoformat(), "suit_due_on": _iso(suit_due), "set_aside_due_on": _iso(set_aside_due)}


def of(award: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each served party's dates. An award served before per-party service was recorded was
    served on one day for both parties: its whole-award dates are each party's."""
    service = award.get("service")
    if isinstance(service, Mapping):
        return {p: dict(service[p]) for p in PARTIES if p in service}
    if not award.get("served_on"):
        return {}
    final = _final(award)
    whole = {"served_on": award["served_on"], "suit_due_on": award.get("suit_due_on"), "set_aside_due_on": None}
    employer = {**whole, "suit_due_on": None, "set_aside_due_on": award.get("set_aside_due_on")} if final else whole
    return {"worker": whole, "employer": employer}


def unserved(award: Mapping[str, Any]) -> list[Party]:
    served = of(award)
    return [p for p in PARTIES if p not in served]


def serve(
    award: Mapping[str, Any],
    *,
    award_type: str | None,
    parties: Iterable[Party],
    on: date,
    calendar: LegalCalendar,
) -> dict[str, Any]:
    """The award with ``parties`` served on ``on``; once every party is served, the whole-award
    dates too (see the module docstring)."""
    service = of(award)
    for party in parties:
        service[party] = windows(award_type, party, on, calendar)
    served = {**award, "service": service}
    if len(service) < len(PARTIES):
        return served
    suit_ends = [s["suit_due_on"] for s in service.values() if s.get("suit_due_on")]
    return {
        **served,
        "served_on": max(s["served_on"] for s in service.values()),
        "suit_due_on": max(suit_ends) if suit_ends else None,
        "set_aside_due_on": service["employer"].get("set_aside_due_on"),
    }


def own_suit_due(award: Mapping[str, Any], party: str | None) -> date | None:
    """The last day the suing party may sue, counted from its own receipt. A suit naming no party
    is held to the last window (no party's period can be said to have closed before it)."""
    service = of(award)
    due = service.get(party, {}).get("suit_due_on") if party in PARTIES else award.get("suit_due_on")
    return date.fromisoformat(due) if due else None


def served(award: Mapping[str, Any], party: str | None) -> bool:
    return party in of(award) if party in PARTIES else bool(award.get("served_on"))


def _final(award: Mapping[str, Any]) -> bool:
    if "award_type" in award or award.get("kind") == "mediation":
        return award.get("award_type") == "final"
    items = award.get("items") or []
    return bool(items) and all(i.get("final") for i in items)  # recorded before the type was stored


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
