"""The platform's roster steps (pure): the least-loaded choice with its repeatable tie-break,
the hand-over of a leaving member's cases, who may change a roster and which log they read."""

from __future__ import annotations

import pytest

from labornet_common.platform.problems import Forbidden
from labornet_common.platform.roster.rules import OpenCase, hand_over, least_loaded, log_scope, require_admin
from labornet_common.security.auth import NATIONWIDE, Principal, Role


def _key(member: str) -> str:
    return member


def test_least_loaded_then_lowest_id_never_an_excluded_one() -> None:
    assert least_loaded(["b", "a", "c"], key=_key, load={"a": 2, "b": 1, "c": 1}) == "b"
    assert least_loaded(["c", "b", "a"], key=_key, load={}) == "a"
    assert least_loaded(["a", "b"], key=_key, load={"b": 9}, excluded=["a"]) == "b"
    assert least_loaded(["a"], key=_key, load={}, excluded=["a"]) is None


def test_hand_over_spreads_the_cases_and_counts_those_handed() -> None:
    cases = [OpenCase("c-3", excluded=("b",)), OpenCase("c-1"), OpenCase("c-2")]
    plan = hand_over(cases, leaving="x", candidates=["x", "a", "b"], key=_key, load={"a": 1, "b": 0})
    # In case-id order: c-1 to b (0), c-2 to a (1 against b's 1, lower id), c-3 not to b: a.
    assert plan.summary() == {"c-1": "b", "c-2": "a", "c-3": "a"}
    assert plan.left_behind == []


def test_hand_over_names_the_cases_nobody_may_take() -> None:
    plan = hand_over(
        [OpenCase("c-1", excluded=("a",)), OpenCase("c-2")], leaving="x", candidates=["x", "a"], key=_key, load={}
    )
    assert plan.summary() == {"c-1": None, "c-2": "a"} and plan.left_behind == ["c-1"]


def test_only_administrators_and_the_log_of_their_region() -> None:
    admin = Principal(subject="a", roles=frozenset({Role.admin}), region_scopes=("4103",))
    national = Principal(subject="n", roles=frozenset({Role.admin}), region_scopes=(NATIONWIDE,))
    clerk = Principal(subject="c", roles=frozenset({Role.clerk}), region_scopes=("4103",))
    assert log_scope(admin) == ["4103"] and log_scope(national) is None
    require_admin(admin)
    with pytest.raises(Forbidden):
        require_admin(clerk)
    with pytest.raises(Forbidden):
        log_scope(clerk)
