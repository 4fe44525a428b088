from __future__ import annotations

from datetime import date

from labornet_common.contracts.mediation import AgreementTerm
from labornet_mediation.domain.document import AgreementDocument, render_html, render_text

DOC = AgreementDocument(
    agreement_id="a-1",
    centre_name="洛龙区科技园街道劳动争议调解中心",
    worker_name="王师傅",
    employer_name="洛阳<某>建筑公司",
    employer_uscc="91350100M000100Y43",
    facts="拖欠2026年8月至10月工资",
    terms=[
        AgreementTerm(
            payer="洛阳某建筑公司",
            payee="王师傅",
            item="labor_remuneration",
            amount_fen=1860050,
            due_on=date(2026, 10, 20),
        ),
        AgreementTerm(
            payer="洛阳某建筑公司",
            payee="王师傅",
            item="economic_compensation",
            amount_fen=500000,
            due_on=date(2026, 11, 5),
        ),
    ],
    effective_on=date(2026, 9, 28),
)


def test_the_text_names_parties_terms_signatures_and_seal() -> None:
    text = render_text(DOC)
    assert "劳动争议调解协议书" in text and "申请人（劳动者）：王师傅" in text
    assert "一、洛阳某建筑公司于2026年10月20日前向王师傅支付劳动报酬人民币18,600.50元；" in text
    assert "二、洛阳某建筑公司于2026年11月5日前向王师傅支付经济补偿人民币5,000.00元；" in text
    assert "合计人民币23,600.50元。" in text and "统一社会信用代码：91350100M000100Y43" in text
    assert "申请人（劳动者）签名：" in text and "调解员签名：" in text
    assert text.rstrip().endswith("洛龙区科技园街道劳动争议调解中心（调解组织印章）\n2026年9月28日")
    assert "第十六条" in text and "第二百零五条" in text


def test_the_html_is_escaped_and_printable() -> None:
    html = render_html(DOC)
    assert html.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in html
    assert "洛阳&lt;某&gt;建筑公司" in html and "洛阳<某>" not in html
    assert "（调解组织印章）" in html and "签名" in html
