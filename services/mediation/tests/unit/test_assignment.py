from __future__ import annotations

from labornet_mediation.domain.assignment import least_loaded
from labornet_mediation.domain.model import MediatorRef

A, B, C = (MediatorRef(f"med-x-0{i}", f"mediator:{i}", n) for i, n in ((1, "甲"), (2, "乙"), (3, "丙")))


def test_the_mediator_with_fewest_open_cases_is_chosen() -> None:
    assert least_loaded([A, B, C], open_cases={"med-x-01": 2, "med-x-02": 1, "med-x-03": 3}) == B


def test_ties_go_to_the_lowest_id_so_the_choice_repeats() -> None:
    assert least_loaded([C, B, A], open_cases={}) == A


def test_a_mediator_who_stepped_aside_is_never_chosen() -> None:
    assert least_loaded([A, B], open_cases={"med-x-02": 9}, excluded=["med-x-01"]) == B
    assert least_loaded([A], open_cases={}, excluded=["med-x-01"]) is None
