"""Intake's documents: the 补正通知书 (all at once, within 5 days: 办案规则 Art. 29; receipt counted
from completion: Art. 46(二)) and the 移送函 (监察条例 Art. 21; a region's joint acceptance)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from labornet_common.contracts.intake import RoutingReason
from labornet_common.security.auth import Role
from labornet_common.testing.intake_support import clerk, staff
from labornet_intake.domain import documents
from labornet_intake.domain.model import Complaint

OFFICE = "洛阳市劳动争议受理窗口"


def _complaint(**values) -> Complaint:
    base = dict(
        case_id="case-1",
        tracking_number="410311-20260928-ABCDEF",
        channel="window",
        region_code="410311",
        workplace_division="410311007",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        facts="拖欠工资",
        claims=[],
        received_at=datetime(2026, 9, 28, 2, tzinfo=UTC),
        access_code_hash="",
    )
    return Complaint(**{**base, **values})


def test_a_correction_is_asked_for_within_five_days_of_receipt() -> None:
    # 办案规则 Art. 29: on the spot or within 5 days; calendar days, National Day included.
    assert documents.CORRECTION_NOTICE_DAYS == 5
    assert documents.last_day_to_request_correction(date(2026, 9, 28)) == date(2026, 10, 3)
    assert documents.last_day_to_request_correction(date(2026, 12, 30)) == date(2027, 1, 4)


def test_only_the_windows_clerks_ask_for_a_correction() -> None:
    assert documents.may_request_correction(clerk("4103"))
    assert not documents.may_request_correction(staff(Role.mediator, "4103"))


def test_the_correction_notice_lists_every_missing_material_and_cites_the_rules() -> None:
    draft = documents.correction_notice(
        _complaint(),
        received_on=date(2026, 9, 28),
        missing=("劳动合同或者工资发放记录", "用人单位的准确名称和住所"),
        due_on=date(2026, 10, 12),
        issued_on=date(2026, 9, 30),
        office=OFFICE,
    )
    text = draft.text
    assert draft.kind == "correction_notice" and draft.title == "补正通知书" and draft.issued_on == date(2026, 9, 30)
    assert "受理编号：410311-20260928-ABCDEF" in text and "投诉人（劳动者）：王师傅" in text
    assert "你于2026年9月28日提出的劳动争议投诉" in text and "一次性告知需要补正的全部材料如下：" in text
    assert "一、劳动合同或者工资发放记录\n二、用人单位的准确名称和住所" in text
    assert "请于2026年10月12日前补正上述全部材料" in text
    assert "《劳动人事争议仲裁办案规则》第二十九条" in text and "第四十六条第（二）项" in text
    assert text.endswith(f"{OFFICE}\n2026年9月30日")


def test_the_referral_to_proceedings_under_way_names_the_commission_and_art_21() -> None:
    reason = RoutingReason(
        rule="redirect.pending_proceedings",
        article="劳动保障监察条例 Art. 21",
        explanation_zh="该争议已经进入劳动人事争议仲裁委员会处理程序",
    )
    complaint = _complaint(
        status="REDIRECTED",
        pending_proceedings="arbitration",
        target_org_name="洛阳市劳动人事争议仲裁委员会",
        routing_reasons=[reason],
    )
    draft = documents.referral_to_proceedings(
        complaint, received_on=date(2026, 9, 28), issued_on=date(2026, 9, 28), office=OFFICE
    )
    text = draft.text
    assert draft.kind == "referral_letter" and draft.title == "移送函"
    assert "洛阳市劳动人事争议仲裁委员会：" in text and "经查，该争议已经进入劳动人事争议仲裁委员会处理程序。" in text
    assert "《劳动保障监察条例》第二十一条" in text and "移送洛阳市劳动人事争议仲裁委员会" in text
    court = documents.referral_to_proceedings(
        _complaint(pending_proceedings="court"),
        received_on=date(2026, 9, 28),
        issued_on=date(2026, 9, 28),
        office=OFFICE,
    )
    assert "人民法院：" in court.text


def test_the_referral_to_the_workplace_region_asks_for_an_answer_by_its_day() -> None:
    draft = documents.referral_to_region(
        _complaint(accepted_in_region="371000", status="FORWARDED"),
        to_region_name="洛阳市",
        received_on=date(2026, 9, 28),
        answer_due_on=date(2026, 10, 19),
        issued_on=date(2026, 9, 28),
        office="威海市劳动争议受理窗口",
    )
    text = draft.text
    assert "洛阳市劳动争议受理窗口：" in text and "一地投诉、区域联动受理" in text
    assert "请于2026年10月19日前答复是否接收" in text and text.endswith("威海市劳动争议受理窗口\n2026年9月28日")
