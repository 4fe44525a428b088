"""What the worker reads about the hearing and the award, event by event (LDA Arts. 35, 42, 47-51)."""

from __future__ import annotations

from labornet_intake.domain import timeline

ARB = "cn.labornet.arbitration."
SERVED = {"served_on": "2026-09-20", "suit_due_on": "2026-10-08"}


def _say(event: str, **data: object) -> str:
    text = timeline.describe(event, data)
    assert text is not None
    return text


def test_the_hearing_says_date_time_and_venue() -> None:
    text = _say(
        ARB + "hearing.scheduled.v1",
        hearing_on="2026-10-12",
        hearing_time="09:30:00",
        venue="洛阳市劳动人事争议仲裁院第一仲裁庭",
        notice_served_on="2026-09-30",
    )
    assert text.startswith("仲裁庭定于2026年10月12日 09:30在洛阳市劳动人事争议仲裁院第一仲裁庭开庭审理")
    assert "开庭通知于2026年9月30日送达" in text
    older = _say(
        ARB + "hearing.scheduled.v1", hearing_on="2026-10-12", venue="第一仲裁庭", notice_served_on="2026-09-30"
    )  # sent before the hearing time existed
    assert "2026年10月12日（具体时间以开庭通知为准）在第一仲裁庭" in older


def test_the_award_says_its_type_and_whether_it_is_in_effect() -> None:
    final = _say(ARB + "award.issued.v1", kind="award", award_type="final", issued_on="2026-09-10")
    assert "终局裁决" in final and "自作出之日起发生法律效力" in final and "第四十七条" in final
    mixed = _say(ARB + "award.issued.v1", kind="award", award_type="mixed", issued_on="2026-09-10")
    assert "尚未发生法律效力" in mixed and "整个裁决按非终局裁决处理" in mixed and "第二十条" in mixed
    assert "双方签收后" in _say(ARB + "award.issued.v1", kind="mediation", issued_on="2026-09-10")
    assert _say(ARB + "award.issued.v1", kind="award") == "仲裁委员会已作出裁决。"  # an event older than the type


def test_service_gives_the_deadlines_with_their_articles() -> None:
    final = _say(ARB + "award.served.v1", award_type="final", set_aside_due_on="2026-10-20", **SERVED)
    assert (
        "2026年9月20日送达" in final
        and "2026年10月8日前（含当日）向人民法院起诉（《劳动争议调解仲裁法》第四十八条）" in final
    )
    assert "2026年10月20日前（含当日）向仲裁委员会所在地的中级人民法院申请撤销裁决（第四十九条）" in final
    mixed = _say(ARB + "award.served.v1", award_type="mixed", **SERVED)
    assert "尚未发生法律效力" in mixed and "2026年10月8日前" in mixed and "第五十条" in mixed
    assert "整个裁决按非终局裁决处理" in mixed and "撤销" not in mixed
    signed = _say(ARB + "award.served.v1", kind="mediation", served_on="2026-09-12")  # a 调解书: no suit
    assert signed == "调解书已于2026年9月12日由双方签收，发生法律效力（《劳动争议调解仲裁法》第四十二条）。"
    assert _say(ARB + "award.served.v1", served_on="2026-09-12") == "仲裁文书已于2026年9月12日送达。"  # older event
    older = _say(ARB + "award.served.v1", **SERVED)
    assert older == "裁决书已于2026年9月20日送达，起诉期限至2026年10月8日。"


def test_effect_and_what_a_suit_or_set_aside_did() -> None:
    took = _say(ARB + "award.effective.v1", award_type="mixed", effective_on="2026-10-09")
    assert "无人起诉" in took and "2026年10月9日起发生法律效力" in took and "强制执行" in took
    kept = _say(
        ARB + "award.not_effective.v1",
        reason="suit_in_time",
        award_type="mixed",
        party="employer",
        occurred_on="2026-10-08",
    )
    assert kept.startswith("用人单位已在期限内向人民法院起诉，整个裁决按非终局裁决处理，不发生法律效力")
    worker = _say(ARB + "award.not_effective.v1", reason="challenged_by_worker", award_type="final", party="worker")
    assert "不发生约束力" in worker and "第四十八条" in worker
    gone = _say(ARB + "award.not_effective.v1", reason="set_aside", may_sue_by="2026-10-08")
    assert "撤销仲裁裁决" in gone and "2026年10月8日前（含当日）" in gone and "第四十九条" in gone
    refused = _say(ARB + "court_event.recorded.v1", effect="no_effect_on_final_award")
    assert "不予受理" in refused and "裁决效力不受影响" in refused
    assert "暂停执行" in _say(ARB + "court_event.recorded.v1", effect="set_aside_pending")
    assert timeline.describe(ARB + "court_event.recorded.v1", {"effect": "mixed_award_not_effective"}) is None


def test_the_courts_own_events_name_the_party() -> None:
    assert _say("cn.labornet.court.lawsuit_filed.v1", party="employer") == "用人单位已向人民法院起诉"
    assert _say("cn.labornet.court.lawsuit_filed.v1") == "一方当事人已向人民法院起诉"
    assert _say("cn.labornet.court.set_aside_decided.v1", outcome="rejected") == "人民法院已裁定驳回撤销仲裁裁决的申请"


def test_the_worker_reads_their_own_service_day_and_window() -> None:
    """Worker served 2026-09-20 (window to 10-08 across National Day), employer 09-25 (to 10-10):
    each counted from its own receipt (LDA Art. 50; 民诉法 Art. 85)."""
    first = _say(
        ARB + "award.party_served.v1",
        party="worker",
        award_type="non_final",
        kind="award",
        served_on="2026-09-20",
        suit_due_on="2026-10-08",
    )
    assert first.startswith("裁决书已于2026年9月20日送达给您") and "2026年10月8日前" in first and "第五十条" in first
    final = _say(ARB + "award.party_served.v1", party="worker", award_type="final", **SERVED)
    assert "第四十八条" in final
    assert _say(ARB + "award.party_served.v1", party="employer", served_on="2026-09-25") == (
        "裁决书已于2026年9月25日送达用人单位。"
    )
    whole = _say(
        ARB + "award.served.v1",
        award_type="non_final",
        kind="award",
        served_on="2026-09-25",
        suit_due_on="2026-10-10",
        parties=[
            {"party": "worker", "served_on": "2026-09-20", "suit_due_on": "2026-10-08"},
            {"party": "employer", "served_on": "2026-09-25", "suit_due_on": "2026-10-10"},
        ],
    )
    assert whole.startswith("裁决书已于2026年9月20日送达") and "可在2026年10月8日前" in whole
    assert "最后一方的起诉期限至2026年10月10日" in whole
