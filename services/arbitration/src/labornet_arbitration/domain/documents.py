"""The commission's documents (文书), drafted from the case (pure Python).

A draft is the document's text: a title, the parties, numbered paragraphs and the law cited.
Which documents a change calls for is read from the case before and after it
(``called_for``): accepting issues a 受理通知书, refusing a 不予受理通知书 (LDA Art. 29),
scheduling a hearing a 开庭通知书 (LDA Art. 35), an award a 仲裁裁决书 whose final and non-final
items each carry their own appeal notice (LDA Arts. 47-50), a mediated outcome a 仲裁调解书
(LDA Art. 42). The draft model and its Chinese forms are the platform's
(labornet_common.documents); rendering, numbering and storage live in the adapters.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from labornet_arbitration.domain.model import ArbitrationCase
from labornet_common.contracts.claims import CATEGORY_NAMES_ZH, ClaimCategory
from labornet_common.documents.draft import DocumentDraft, cn_date, numeral, yuan

DocumentKind = Literal["acceptance_notice", "non_acceptance_notice", "hearing_notice", "award", "mediation_statement"]

TITLES: dict[str, str] = {
    "acceptance_notice": "受理通知书",
    "non_acceptance_notice": "不予受理通知书",
    "hearing_notice": "开庭通知书",
    "award": "仲裁裁决书",
    "mediation_statement": "仲裁调解书",
}


def _category(code: str) -> str:
    try:
        return CATEGORY_NAMES_ZH[ClaimCategory(code)]
    except ValueError:
        return code


def _parties(case: ArbitrationCase) -> tuple[str, ...]:
    return (
        f"案号：{case.case_number or '（尚未立案）'}",
        f"申请人：{case.applicant}",
        f"被申请人：{'、'.join(case.respondents)}",
    )


def acceptance_notice(case: ArbitrationCase, *, commission: str) -> DocumentDraft:
    """LDA Art. 29: accepted within 5 days of receipt; the respondent gets the copy (Art. 30)."""
    assert case.accepted_on is not None
    return DocumentDraft(
        "acceptance_notice",
        TITLES["acceptance_notice"],
        case.accepted_on,
        (
            *_parties(case),
            f"{case.applicant}：你（单位）于{cn_date(case.received_on)}提出的劳动争议仲裁申请，"
            f"经审查符合受理条件，本委决定受理，立案日期为{cn_date(case.accepted_on)}。",
            "依据《中华人民共和国劳动争议调解仲裁法》第二十九条。本委将在受理之日起五日内将仲裁申请书副本"
            "送达被申请人（第三十条），并自受理之日起四十五日内结束仲裁（第四十三条）。",
            commission,
            cn_date(case.accepted_on),
        ),
    )


def non_acceptance_notice(case: ArbitrationCase, *, commission: str) -> DocumentDraft:
    """LDA Art. 29: a refusal is notified in writing with its reasons; the applicant may sue."""
    assert case.decided_on is not None
    reasons = "；".join(case.reasons) or "不符合受理条件"
    return DocumentDraft(
        "non_acceptance_notice",
        TITLES["non_acceptance_notice"],
        case.decided_on,
        (
            *_parties(case),
            f"{case.applicant}：你（单位）于{cn_date(case.received_on)}提出的劳动争议仲裁申请，经审查，"
            f"因{reasons}，本委决定不予受理。",
            "依据《中华人民共和国劳动争议调解仲裁法》第二十九条，对本委不予受理的决定，"
            "申请人可以就该劳动争议事项向人民法院提起诉讼。",
            commission,
            cn_date(case.decided_on),
        ),
    )


def hearing_notice(case: ArbitrationCase, *, commission: str) -> DocumentDraft:
    """LDA Art. 35: the parties are told the date and place in writing at least 5 days ahead."""
    hearing = case.hearing or {}
    notice_on = date.fromisoformat(hearing["notice_served_on"])
    hearing_on = date.fromisoformat(hearing["hearing_on"])
    at = f"{cn_date(hearing_on)}{' ' + hearing['hearing_time'] if hearing.get('hearing_time') else ''}"
    return DocumentDraft(
        "hearing_notice",
        TITLES["hearing_notice"],
        notice_on,
        (
            *_parties(case),
            f"本委定于{at}在{hearing['venue']}开庭审理本案，请准时到庭。",
            "依据《中华人民共和国劳动争议调解仲裁法》第三十五条，本通知于开庭五日前送达。"
            "申请人无正当理由拒不到庭或者未经仲裁庭同意中途退庭的，可以视为撤回仲裁申请；"
            "被申请人无正当理由拒不到庭或者未经仲裁庭同意中途退庭的，可以缺席裁决（第三十六条）。",
            commission,
            cn_date(notice_on),
        ),
    )


def _item_line(no: int, item: dict[str, Any], respondent: str, applicant: str) -> str:
    what = item.get("description") or _category(item["category"])
    amount = item.get("amount_fen")
    if not item.get("granted", True):
        return f"{numeral(no)}、驳回申请人关于{what}的仲裁请求。"
    pay = f"支付申请人{what}{yuan(amount)}" if amount is not None else f"就{what}履行相应义务"
    return f"{numeral(no)}、被申请人{respondent}于本裁决生效之日起十日内{pay}。"


def award(case: ArbitrationCase, *, commission: str) -> DocumentDraft:
    """仲裁裁决书: each item final or not (LDA Art. 47, per item: Interp-I Art. 19), with the notice
    that fits: the worker's suit on final items (Art. 48), the employer's set-aside (Art. 49),
    and the suit on non-final items, after which the award takes effect (Art. 50)."""
    award = case.award or {}
    issued_on = date.fromisoformat(award["issued_on"])
    items: list[dict[str, Any]] = award.get("items", [])
    respondent = "、".join(case.respondents)
    lines = [_item_line(no, item, respondent, case.applicant) for no, item in enumerate(items, 1)]
    final_nos = [numeral(no) for no, item in enumerate(items, 1) if item.get("final")]
    other_nos = [numeral(no) for no, item in enumerate(items, 1) if not item.get("final")]
    notices: list[str] = []
    if final_nos:
        notices.append(
            f"本裁决第{'、'.join(final_nos)}项为终局裁决，自作出之日起发生法律效力（《中华人民共和国劳动争议调解仲裁法》"
            "第四十七条）。劳动者对该裁决不服的，可以自收到本裁决书之日起十五日内向人民法院提起诉讼（第四十八条）。"
            "用人单位有证据证明该裁决有第四十九条第一款规定情形之一的，可以自收到本裁决书之日起三十日内"
            "向劳动争议仲裁委员会所在地的中级人民法院申请撤销裁决（第四十九条）。"
        )
    if other_nos:
        notices.append(
            f"当事人对本裁决第{'、'.join(other_nos)}项不服的，可以自收到本裁决书之日起十五日内向人民法院提起诉讼；"
            "期满不起诉的，裁决书发生法律效力（《中华人民共和国劳动争议调解仲裁法》第五十条）。"
        )
    heard = "被申请人经书面通知无正当理由拒不到庭，本庭依法缺席裁决（第三十六条）。" if award.get("by_default") else ""
    return DocumentDraft(
        "award",
        TITLES["award"],
        issued_on,
        (
            *_parties(case),
            f"申请人{case.applicant}与被申请人{respondent}劳动争议一案，本委于"
            f"{cn_date(case.accepted_on or case.received_on)}立案受理，依法组成仲裁庭审理。{heard}",
            f"仲裁请求与事实：{case.facts or '见仲裁申请书'}",
            "依据《中华人民共和国劳动争议调解仲裁法》第四十二条、第四十七条，裁决如下：",
            *lines,
            *notices,
            commission,
            cn_date(issued_on),
        ),
    )


def mediation_statement(case: ArbitrationCase, *, commission: str) -> DocumentDraft:
    """仲裁调解书 (LDA Art. 42): effective once both parties sign for it; no suit lies against it."""
    award = case.award or {}
    issued_on = date.fromisoformat(award["issued_on"])
    respondent = "、".join(case.respondents)
    lines = [_item_line(no, item, respondent, case.applicant) for no, item in enumerate(award.get("items", []), 1)]
    return DocumentDraft(
        "mediation_statement",
        TITLES["mediation_statement"],
        issued_on,
        (
            *_parties(case),
            f"申请人{case.applicant}与被申请人{respondent}劳动争议一案，经仲裁庭主持调解，双方自愿达成协议如下：",
            *(line.replace("本裁决生效", "本调解书生效") for line in lines),
            "依据《中华人民共和国劳动争议调解仲裁法》第四十二条，本调解书经双方当事人签收后，即发生法律效力。",
            commission,
            cn_date(issued_on),
        ),
    )


def called_for(before: dict[str, Any], case: ArbitrationCase, *, commission: str) -> list[DocumentDraft]:
    """The documents a change calls for: ``before`` is ``snapshot(case)`` taken before it."""
    drafts: list[DocumentDraft] = []
    if before["status"] in ("SUBMITTED", "NEEDS_CORRECTION") and case.accepted_on and case.case_number:
        drafts.append(acceptance_notice(case, commission=commission))
    if before["status"] != "NOT_ACCEPTED" and case.status == "NOT_ACCEPTED" and case.decided_on:
        drafts.append(non_acceptance_notice(case, commission=commission))
    if case.hearing and case.hearing != before["hearing"]:
        drafts.append(hearing_notice(case, commission=commission))
    if case.award and (before["award"] or {}).get("issued_on") != case.award.get("issued_on"):
        make = mediation_statement if case.award.get("kind") == "mediation" else award
        drafts.append(make(case, commission=commission))
    return drafts


def snapshot(case: ArbitrationCase) -> dict[str, Any]:
    return {"status": case.status, "hearing": dict(case.hearing or {}), "award": dict(case.award or {})}
