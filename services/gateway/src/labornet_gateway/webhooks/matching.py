"""Which endpoints want an event (pure): event-type patterns and region scopes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Fields that name the division code of a case in event payloads, most specific first.
REGION_FIELDS = ("region_code", "division_code", "target_division", "workplace_division")


def region_of(data: Mapping[str, Any]) -> str | None:
    for name in REGION_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and value.isdigit():
            return value
    return None


def type_matches(event_type: str, patterns: Iterable[str]) -> bool:
    """``cn.labornet.arbitration.*`` matches every arbitration event; ``*`` matches all."""
    for pattern in patterns:
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def region_matches(region: str | None, scopes: Iterable[str]) -> bool:
    """An endpoint sees only cases inside its region scopes; an unknown region is withheld."""
    scopes = list(scopes)
    if "*" in scopes:
        return True
    return region is not None and any(region.startswith(s) for s in scopes)
