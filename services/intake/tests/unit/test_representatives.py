"""Representatives of a collective dispute: LDA Art. 7 (ten or more workers with a common claim)
and three to five of them (劳动人事争议仲裁办案规则 Art. 6); the event names them only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from labornet_common.contracts.claims import ClaimSummary
from labornet_intake.domain.matching import is_collective
from labornet_intake.domain.model import Complaint
from labornet_intake.domain.representatives import Representative, describe, problems

ID = "11010519491231002X"  # GB 11643 worked example
PEOPLE = [Representative("张三", ID, "13812341234"), Representative("李四"), Representative("王五")]


def test_ten_workers_with_a_common_claim_are_collective_nine_are_not() -> None:
    # LDA Art. 7: "劳动者一方在十人以上，并有共同请求的"
    assert is_collective(10, frozenset({"labor_remuneration"}))
    assert not is_collective(9, frozenset({"labor_remuneration"}))
    assert not is_collective(10, frozenset())


@pytest.mark.parametrize(("count", "ok"), [(2, False), (3, True), (4, True), (5, True), (6, False)])
def test_three_to_five_representatives(count: int, ok: bool) -> None:
    chosen = [Representative(f"代表{i}") for i in range(count)]
    assert (problems(chosen, collective=True) == []) is ok
    if not ok:
        assert problems(chosen, collective=True) == [("representatives", "representatives.count")]


def test_only_a_collective_case_has_representatives() -> None:
    assert problems(PEOPLE, collective=False) == [("representatives", "representatives.not_collective")]
    assert problems([], collective=False) == []


def test_blank_names_and_the_same_person_twice_are_named_by_position() -> None:
    chosen = [Representative("张三", ID), Representative(" "), Representative("张三丰", ID), Representative("赵六")]
    assert problems(chosen, collective=True) == [
        ("representatives.1.name", "representatives.name_required"),
        ("representatives.2", "representatives.duplicate"),
    ]


def test_reads_are_masked() -> None:
    masked = PEOPLE[0].masked()
    assert (masked.name, masked.id_number, masked.phone) == ("张三", "110105********002X", "138****1234")
    assert PEOPLE[1].masked() == PEOPLE[1]


def test_the_event_names_them_and_carries_no_personal_data() -> None:
    complaint = Complaint.file(
        received_at=datetime(2026, 10, 9, 2, 0, tzinfo=UTC),
        access_code_hash="",
        channel="window",
        workplace_division="410311007",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        facts="十二名工人工资未发放",
        worker_count=12,
        claims=[ClaimSummary(category="labor_remuneration", amount_fen=100)],
    )
    complaint.pull_events()
    complaint.choose_representatives(PEOPLE)
    complaint.choose_representatives([*PEOPLE[:2], Representative("赵六")])
    first, second = (e.data for e in complaint.pull_events())
    assert (first.names, first.worker_count, first.replaced) == (["张三", "李四", "王五"], 12, False)
    assert (second.names, second.replaced) == (["张三", "李四", "赵六"], True)
    dumped = first.model_dump_json()
    assert ID not in dumped and "13812341234" not in dumped
    assert describe(PEOPLE) == "劳动者推举代表：张三、李四、王五（劳动争议调解仲裁法第七条）"
