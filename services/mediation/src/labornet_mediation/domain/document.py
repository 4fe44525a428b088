"""The printable 调解协议书 (mediation agreement), as plain text and as HTML, in Chinese, and as
the draft of the issued document (PDF through labornet_common.platform.documents)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from labornet_common.contracts.claims import CATEGORY_NAMES_ZH, ClaimCategory
from labornet_common.contracts.mediation import NON_MONETARY_NAMES_ZH, AgreementTerm
from labornet_common.platform.documents.draft import DocumentDraft
from labornet_mediation.domain.model import MediationCase

_ORDINALS = "一二三四五六七八九十"
LEGAL_NOTICE = (
    "本协议书自双方当事人签名或者盖章，经调解员签名并加盖调解组织印章后生效，对双方当事人具有约束力，"
    "当事人应当履行（《中华人民共和国劳动争议调解仲裁法》第十四条）。达成调解协议后，一方当事人在协议约定期限内"
    "不履行调解协议的，另一方当事人可以依法申请仲裁（第十五条）。因支付拖欠劳动报酬、工伤医疗费、经济补偿或者"
    "赔偿金事项达成调解协议，用人单位在协议约定期限内不履行的，劳动者可以持本协议书依法向人民法院申请支付令"
    "（第十六条）。双方当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认（《中华人民共和国民事诉讼法》"
    "第二百零五条）。"
)
SIGNATURE_LINES = (
    "申请人（劳动者）签名：________________    日期：____年__月__日",
    "被申请人（用人单位）盖章：________________    日期：____年__月__日",
    "调解员签名：________________",
)
SEAL = "（调解组织印章）"
AGREEMENT_KIND, AGREEMENT_TITLE = "agreement", "劳动争议调解协议书"
# LDA Art. 14 (the agreement, signed by both parties and the mediator, sealed by the centre) and
# 人社部令第17号 Art. 27 (what it states: the parties, the matters in dispute, the result, and how
# and by when it is performed).
BASIS = (
    "本协议书依据《中华人民共和国劳动争议调解仲裁法》第十四条、《企业劳动争议协商调解规定》"
    "（人力资源和社会保障部令第17号）第二十七条制作。"
)


@dataclass(frozen=True)
class AgreementDocument:
    agreement_id: str
    centre_name: str
    worker_name: str
    employer_name: str
    employer_uscc: str | None
    facts: str
    terms: list[AgreementTerm]
    effective_on: date


def document_of(case: MediationCase) -> AgreementDocument:
    """The agreement of a case that reached one, as its printable document."""
    assert case.agreement is not None
    return AgreementDocument(
        agreement_id=case.agreement.agreement_id,
        centre_name=case.centre_name or "劳动争议调解组织",
        worker_name=case.worker_name,
        employer_name=case.employer_name,
        employer_uscc=case.employer_uscc,
        facts=case.facts,
        terms=list(case.agreement.terms),
        effective_on=case.agreement.effective_on,
    )


def agreement_draft(doc: AgreementDocument, *, mediator_name: str | None = None) -> DocumentDraft:
    """The issued 调解协议书: the centre, parties, dispute, each term with its due day, the law, the
    signature lines of both parties and the mediator, and the centre's seal line."""
    mediator = f"调解员签名：________________（{mediator_name}）" if mediator_name else SIGNATURE_LINES[2]
    return DocumentDraft(
        AGREEMENT_KIND,
        AGREEMENT_TITLE,
        doc.effective_on,
        (
            f"调解组织：{doc.centre_name}",
            *_body_lines(doc),
            BASIS,
            *SIGNATURE_LINES[:2],
            mediator,
            f"{doc.centre_name}{SEAL}",
            chinese_date(doc.effective_on),
        ),
    )


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def _ordinal(index: int) -> str:
    return _ORDINALS[index] if index < len(_ORDINALS) else str(index + 1)


def term_line(index: int, term: AgreementTerm) -> str:
    if term.kind == "non_monetary":
        name = NON_MONETARY_NAMES_ZH.get(term.item, term.item)
        due = chinese_date(term.due_on)
        return f"{_ordinal(index)}、{term.payer}于{due}前为{term.payee}{name}：{term.description}；"
    item = CATEGORY_NAMES_ZH.get(ClaimCategory(term.item), term.item)
    return (
        f"{_ordinal(index)}、{term.payer}于{chinese_date(term.due_on)}前向{term.payee}支付{item}"
        f"人民币{yuan(term.amount_fen)}元；"
    )


def _body_lines(doc: AgreementDocument) -> list[str]:
    employer = doc.employer_name + (f"（统一社会信用代码：{doc.employer_uscc}）" if doc.employer_uscc else "")
    return [
        f"申请人（劳动者）：{doc.worker_name}",
        f"被申请人（用人单位）：{employer}",
        f"争议事项：{doc.facts or '劳动争议'}",
        "经调解，双方当事人自愿达成如下协议：",
        *(term_line(i, term) for i, term in enumerate(doc.terms)),
        *_total_line(doc.terms),
        LEGAL_NOTICE,
    ]


def _total_line(terms: list[AgreementTerm]) -> list[str]:
    total = sum(t.amount_fen for t in terms)
    return [f"合计人民币{yuan(total)}元。"] if total else []


def render_text(doc: AgreementDocument) -> str:
    lines = [
        doc.centre_name,
        "劳动争议调解协议书",
        f"编号：{doc.agreement_id}",
        "",
        *_body_lines(doc),
        "",
        *SIGNATURE_LINES,
        "",
        f"{doc.centre_name}{SEAL}",
        chinese_date(doc.effective_on),
    ]
    return "\n".join(lines) + "\n"


def render_html(doc: AgreementDocument) -> str:
    paragraphs = "\n".join(f"  <p>{escape(line)}</p>" for line in _body_lines(doc))
    signatures = "\n".join(f'  <p class="sign">{escape(line)}</p>' for line in SIGNATURE_LINES)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>劳动争议调解协议书 {escape(doc.agreement_id)}</title>
  <style>
    body {{ font-family: "SimSun", "Songti SC", serif; max-width: 44em; margin: 2em auto; line-height: 2; }}
    h1 {{ text-align: center; letter-spacing: .3em; }} .centre, .no {{ text-align: center; }}
    .seal {{ text-align: right; margin-top: 3em; }} .sign {{ margin-top: 1.5em; }}
  </style>
</head>
<body>
  <p class="centre">{escape(doc.centre_name)}</p>
  <h1>劳动争议调解协议书</h1>
  <p class="no">编号：{escape(doc.agreement_id)}</p>
{paragraphs}
{signatures}
  <p class="seal">{escape(doc.centre_name)}{SEAL}<br>{chinese_date(doc.effective_on)}</p>
</body>
</html>
"""
