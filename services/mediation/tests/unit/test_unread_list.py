"""A case's claims or history read only to be added to: what was added is there to write, and
any read of the whole list fails loudly instead of answering from the part that was read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from labornet_mediation.domain.model import UnreadList, entries_from, length_of


def _tail() -> UnreadList[str]:
    lines: UnreadList[str] = UnreadList(40)
    lines.append("2026-09-16 新增劳动者加入本案，现有劳动者41人")
    lines.extend(["b", "c"])
    return lines


def test_what_was_added_is_numbered_on_from_the_entries_not_read() -> None:
    lines = _tail()
    assert length_of(lines) == 43
    assert entries_from(lines, 40) == ["2026-09-16 新增劳动者加入本案，现有劳动者41人", "b", "c"]
    assert entries_from(lines, 42) == ["c"]  # after a write of the first two
    assert entries_from(lines, 43) == []
    with pytest.raises(UnreadList.NotRead):
        entries_from(lines, 39)
    assert length_of(["x", "y"]) == 2 and entries_from(["x", "y", "z"], 1) == ["y", "z"]


@pytest.mark.parametrize(
    "read",
    [list, len, bool, lambda x: x[0], lambda x: x[-1:], lambda x: "b" in x, lambda x: [*x], lambda x: x == ["b"]],
    ids=["list", "len", "bool", "item", "slice", "in", "unpack", "equals"],
)
def test_reading_the_whole_list_raises(read: Callable[[UnreadList[str]], Any]) -> None:
    with pytest.raises(UnreadList.NotRead):
        read(_tail())
