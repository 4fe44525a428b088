"""What a transaction remembers of a row is out of reach of the domain's in-place changes,
however deep (``stored.changed`` then sees the change): a list's or dict's JSON text, or a copy
of a value that has none."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import JSON, Column, MetaData, String, Table
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.platform.stored import changed, remember

cases = Table("cases", MetaData(), Column("case_id", String, primary_key=True), Column("claims", JSON))


def _claims() -> list[dict[str, Any]]:
    return [
        {"category": "wages", "amount_fen": 300_000 + n, "periods": [{"from": dt.date(2026, 1, 1)}]} for n in range(30)
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda claims: claims.append({"category": "overtime", "amount_fen": 1}),
        lambda claims: claims[7].update(amount_fen=1),
        lambda claims: claims[29]["periods"][0].update({"from": dt.date(2026, 2, 1)}),
        lambda claims: claims[0]["periods"].append({"from": dt.date(2026, 3, 1)}),
    ],
    ids=["appended", "entry_changed", "nested_entry_changed", "nested_list_appended"],
)
def test_a_change_in_place_at_any_depth_is_seen(change: Any) -> None:
    session, claims = AsyncSession(), _claims()
    remember(session, cases, "c1", {"case_id": "c1", "claims": claims})
    assert changed(session, cases, "c1", {"case_id": "c1", "claims": claims}) == {}
    change(claims)
    assert changed(session, cases, "c1", {"case_id": "c1", "claims": claims}) == {"claims": claims}


def test_a_value_with_no_json_text_is_copied_all_the_same() -> None:
    session, lock = AsyncSession(), threading.Lock()
    entries = [{"guard": lock, "n": 1}, {"guard": lock, "n": 2}]
    remember(session, cases, "c2", {"case_id": "c2", "claims": entries})
    entries[1]["n"] = 3
    assert changed(session, cases, "c2", {"case_id": "c2", "claims": entries}) == {"claims": entries}


def test_values_with_the_same_json_text_are_the_same_row() -> None:
    """What is compared is what the column would hold: a date or its RFC 3339 text, a tuple or a
    list, an int key or its text are one value to a JSON column; a number or text that moves is not."""
    session = AsyncSession()
    remember(session, cases, "c3", {"case_id": "c3", "claims": [{"on": dt.date(2026, 1, 5), "n": (1, 2)}]})
    same = {"case_id": "c3", "claims": [{"on": "2026-01-05", "n": [1, 2]}]}
    assert changed(session, cases, "c3", same) == {}
    moved = {"case_id": "c3", "claims": [{"on": "2026-01-06", "n": [1, 2]}]}
    assert changed(session, cases, "c3", moved) == {"claims": moved["claims"]}
    assert changed(session, cases, "c3", {"case_id": "c3", "claims": None}) == {"claims": None}
    remember(session, cases, "c4", {"case_id": "c4", "claims": {1: "a"}})
    assert changed(session, cases, "c4", {"case_id": "c4", "claims": {"1": "a"}}) == {}
    assert changed(session, cases, "c4", {"case_id": "c4", "claims": {"1": "b"}}) == {"claims": {"1": "b"}}
