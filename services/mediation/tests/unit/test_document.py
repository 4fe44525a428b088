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


def test_the_issued_agreement_states_parties_dispute_terms_law_signatures_and_seal() -> None:
    from labornet_mediation.domain.document import agreement_draft

    draft = agreement_draft(DOC, mediator_name="李调解")
    text = draft.text
    assert draft.kind == "agreement" and draft.title == "劳动争议调解协议书" and draft.issued_on == date(2026, 9, 28)
    assert "调解组织：洛龙区科技园街道劳动争议调解中心" in text
    assert "申请人（劳动者）：王师傅" in text and "争议事项：拖欠2026年8月至10月工资" in text
    # Each term with its due day, money in yuan (人社部令17号 Art. 27: the result and by when).
    assert "一、洛阳某建筑公司于2026年10月20日前向王师傅支付劳动报酬人民币18,600.50元；" in text
    assert "二、洛阳某建筑公司于2026年11月5日前向王师傅支付经济补偿人民币5,000.00元；" in text
    assert "《中华人民共和国劳动争议调解仲裁法》第十四条" in text and "人力资源和社会保障部令第17号）第二十七条" in text
    assert "申请人（劳动者）签名：" in text and "被申请人（用人单位）盖章：" in text
    assert "调解员签名：________________（李调解）" in text
    assert text.endswith("洛龙区科技园街道劳动争议调解中心（调解组织印章）\n2026年9月28日")


def test_a_thing_to_be_done_carries_its_due_day() -> None:
    from dataclasses import replace

    from labornet_mediation.domain.document import agreement_draft

    reference = AgreementTerm(
        kind="non_monetary",
        payer="洛阳某建筑公司",
        payee="王师傅",
        item="separation_certificate",
        description="出具解除劳动合同证明",
        due_on=date(2026, 10, 9),
    )
    text = agreement_draft(replace(DOC, terms=[reference])).text
    assert "一、洛阳某建筑公司于2026年10月9日前为王师傅" in text and "出具解除劳动合同证明" in text
    assert "调解员签名：________________\n" in text and "合计" not in text


def test_the_agreement_pdf_carries_its_text_and_renders_the_same_bytes_twice() -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from labornet_common.platform.documents import pdf
    from labornet_mediation.domain.document import agreement_draft

    draft = agreement_draft(DOC)
    font = pdf.find_font(None)
    content = pdf.render(draft, number="med-410311007调〔2026〕1号", version=1, font=font)
    assert pdf.render(draft, number="med-410311007调〔2026〕1号", version=1, font=font) == content
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).replace(" ", "")
    assert "劳动争议调解协议书" in text and "med-410311007调〔2026〕1号" in text
    assert "第十四条" in text and "18,600.50" in text and "（调解组织印章）" in text
