"""The roster desk's refusal for want of a successor names the cases it was refused for."""

from __future__ import annotations

from labornet_gateway.console.pages.arbitrator_roster import reassignments, refused_for_want_of_successor


def test_the_refusal_names_each_case() -> None:
    blocked = [{"application_id": "app-1", "case_number": "洛劳人仲案字〔2026〕第3号"}, {"application_id": "app-2"}]
    assert refused_for_want_of_successor("无人接替", blocked) == "无人接替：洛劳人仲案字〔2026〕第3号、app-2。"
    assert refused_for_want_of_successor("无人接替", []) == "无人接替"


def test_the_seats_of_the_arbitrator_just_changed_come_first() -> None:
    seat = {"application_id": "app-1", "from_arbitrator_id": "a-1", "to_arbitrator_id": "a-2"}
    changes = [
        {"action": "arbitrator.retired", "changed_at": "t2", "detail": {"reassigned": [seat]}},
        {"action": "arbitrator.enrolled", "changed_at": "t1", "detail": {}},
        {
            "action": "arbitrator.moved",
            "changed_at": "t0",
            "detail": {"reassigned": [{**seat, "from_arbitrator_id": "a-3"}]},
        },
    ]
    rows = reassignments(changes, first="a-3")
    assert [r["from_arbitrator_id"] for r in rows] == ["a-3", "a-1"] and rows[0]["action"] == "arbitrator.moved"
