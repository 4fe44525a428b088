"""The documents' text: parties, the law cited, and the right appeal notice per award item."""

from __future__ import annotations

from datetime import UTC, date, datetime

from labornet_arbitration.domain import documents
from labornet_arbitration.domain.model import ArbitrationCase
from tests.support.arbitration import arbitration_case

COMMISSION = "洛阳市劳动人事争议仲裁委员会"


def _case(**values) -> ArbitrationCase:
    base = dict(
        case_number="洛劳人仲案字〔2026〕第7号",
        accepted_on=date(2026, 9, 30),
        status="TRIBUNAL_FORMED",
    )
    return arbitration_case(**{**base, **values})


def _award(*items: dict, kind: str = "award") -> dict:
    return {"kind": kind, "issued_on": "2026-11-20", "items": list(items)}


WAGES_FINAL = {"category": "labor_remuneration", "amount_fen": 1_860_000, "granted": True, "final": True}
COMPENSATION = {"category": "economic_compensation", "amount_fen": 5_000_000, "granted": True, "final": False}
REFUSED = {"category": "damages", "amount_fen": 300_000, "granted": False, "final": False}


def test_numerals_of_items() -> None:
    assert [documents.numeral(n) for n in (1, 9, 10, 11, 20, 21)] == ["一", "九", "十", "十一", "二十", "二十一"]
    assert documents.yuan(1_860_000) == "18,600.00元"


def test_final_award_cites_art_47_48_49_and_not_art_50() -> None:
    case = _case(status="AWARDED", award=_award(WAGES_FINAL))
    text = documents.award(case, commission=COMMISSION).text
    assert "仲裁裁决书" in text and "洛劳人仲案字〔2026〕第7号" in text
    assert "一、被申请人洛阳某建筑工程有限公司于本裁决生效之日起十日内支付申请人劳动报酬18,600.00元。" in text
    assert "本裁决第一项为终局裁决" in text and "第四十七条" in text
    assert "十五日内向人民法院提起诉讼（第四十八条）" in text  # the worker's suit
    assert "三十日内向劳动争议仲裁委员会所在地的中级人民法院申请撤销裁决（第四十九条）" in text
    assert "第五十条" not in text
    assert text.endswith(f"{COMMISSION}\n2026年11月20日")


def test_mixed_award_gives_each_item_its_own_notice() -> None:
    case = _case(status="AWARDED", award=_award(WAGES_FINAL, COMPENSATION, REFUSED))
    text = documents.award(case, commission=COMMISSION).text
    assert "本裁决第一项为终局裁决" in text
    assert "当事人对本裁决第二、三项不服的，可以自收到本裁决书之日起十五日内向人民法院提起诉讼" in text
    assert "第五十条" in text
    assert "三、驳回申请人关于赔偿金的仲裁请求。" in text


def test_non_final_award_has_no_set_aside_notice() -> None:
    text = documents.award(_case(status="AWARDED", award=_award(COMPENSATION)), commission=COMMISSION).text
    assert "第五十条" in text and "撤销裁决" not in text and "终局裁决" not in text


def test_mediation_statement_takes_effect_on_signature_art_42() -> None:
    case = _case(status="AWARDED", award=_award({**WAGES_FINAL, "final": True}, kind="mediation"))
    draft = documents.mediation_statement(case, commission=COMMISSION)
    assert draft.title == "仲裁调解书" and "第四十二条" in draft.text and "签收后，即发生法律效力" in draft.text
    assert "于本调解书生效之日起十日内支付申请人劳动报酬18,600.00元" in draft.text
    assert "提起诉讼" not in draft.text


def test_notices_cite_art_29_and_art_35() -> None:
    accepted = documents.acceptance_notice(_case(status="ACCEPTED"), commission=COMMISSION)
    assert "2026年9月28日" in accepted.text and "决定受理" in accepted.text and "第二十九条" in accepted.text
    refused = _case(status="NOT_ACCEPTED", accepted_on=None, case_number=None, decided_on=date(2026, 9, 30))
    refused.reasons = ["申请人不适格"]
    text = documents.non_acceptance_notice(refused, commission=COMMISSION).text
    assert "因申请人不适格，本委决定不予受理" in text and "向人民法院提起诉讼" in text
    hearing = _case(
        status="HEARING_SCHEDULED",
        hearing={
            "hearing_on": "2026-10-20",
            "notice_served_on": "2026-10-14",
            "venue": "第一仲裁庭",
            "hearing_time": "09:30",
        },
    )
    notice = documents.hearing_notice(hearing, commission=COMMISSION)
    assert notice.issued_on == date(2026, 10, 14)
    assert "2026年10月20日 09:30在第一仲裁庭开庭" in notice.text and "第三十五条" in notice.text


def test_called_for_by_the_change() -> None:
    case = _case(status="SUBMITTED", accepted_on=None, case_number=None)
    before = documents.snapshot(case)
    case.status, case.accepted_on, case.case_number = "ACCEPTED", date(2026, 9, 30), "洛劳人仲案字〔2026〕第7号"
    assert [d.kind for d in documents.called_for(before, case, commission=COMMISSION)] == ["acceptance_notice"]
    before = documents.snapshot(case)
    case.status, case.award = "AWARDED", _award(WAGES_FINAL)
    assert [d.kind for d in documents.called_for(before, case, commission=COMMISSION)] == ["award"]
    # Nothing new: serving the award changes no document.
    before = documents.snapshot(case)
    case.award = {**case.award, "served_on": "2026-11-25"}
    assert documents.called_for(before, case, commission=COMMISSION) == []


def test_proof_of_service_names_document_recipient_manner_day_and_server() -> None:
    case = _case(status="AWARDED")
    left = documents.Service(
        delivery_id="0b0e8f6e-6a55-4c1e-9d3a-2f9d7d5c1a10",
        document_title="仲裁裁决书",
        document_number="arb-4103文〔2026〕3号",
        document_version=2,
        party="employer",
        manner="left",
        served_on=date(2026, 9, 25),
        served_by="张书记员",
        remarks="见证人：社区工作人员李某",
    )
    draft = documents.proof_of_service(case, left, commission=COMMISSION)
    assert draft.title == "送达回证" and draft.issued_on == date(2026, 9, 25)
    assert documents.is_proof(draft.kind) and len(draft.kind) <= 40  # the kind column's width
    assert documents.delivery_of(draft.kind) == left.delivery_id and documents.delivery_of("award") is None
    assert "送达文书：仲裁裁决书（arb-4103文〔2026〕3号，第2版）" in draft.paragraphs
    assert f"受送达人：被申请人{'、'.join(case.respondents)}" in draft.paragraphs
    assert "送达方式：留置送达" in draft.paragraphs and "送达日期：2026年9月25日" in draft.paragraphs
    assert "送达人：张书记员" in draft.paragraphs and "备注：见证人：社区工作人员李某" in draft.paragraphs
    assert "第八十七条" in draft.text and "第八十九条" in draft.text  # 民诉法 Arts. 87 and 89

    # Electronic: the channel, the moment it arrived (Beijing time) and the receipt; the day in China counts.
    sms = documents.Service(
        delivery_id=left.delivery_id,
        document_title="仲裁裁决书",
        document_number="arb-4103文〔2026〕3号",
        document_version=1,
        party="worker",
        manner="electronic",
        served_on=date(2026, 9, 20),
        served_by="洛阳市劳动人事争议仲裁委员会（电子送达）",
        channel="sms",
        address_masked="138****1234",
        received_at=datetime(2026, 9, 19, 17, 30, tzinfo=UTC),
        receipt="sms_receipt",
    )
    text = documents.proof_of_service(case, sms, commission=COMMISSION).text
    assert f"受送达人：申请人{case.applicant}" in text and "送达方式：电子送达" in text
    assert "送达地址：手机短信 138****1234" in text and "到达时间：2026年9月20日01:30（北京时间）" in text
    assert "签收方式：短信服务商的送达回执" in text and "第九十条" in text and "第2版" not in text
