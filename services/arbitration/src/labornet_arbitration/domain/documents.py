"""The commission's documents (文书), drafted from the case (pure Python).

A draft is the document's text: a title, the parties, numbered paragraphs and the law cited.
Which documents a change calls for is read from the case before and after it
(``called_for``): accepting issues a 受理通知书, refusing a 不予受理通知书 (LDA Art. 29),
scheduling a hearing a 开庭通知书 (LDA Art. 35), an award a 仲裁裁决书 whose final and non-final
items each carry their own appeal notice (LDA Arts. 47-50), a mediated outcome a 仲裁调解书
(LDA Art. 42). Each service of a document on a party, by hand or completed electronically, is
recorded by a 送达回证 (民诉法 Art. 87, ``proof_of_service``). The draft model and its Chinese
forms are the platform's (labornet_common.platform.documents); rendering, numbering and storage live in
the adapters.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from labornet_arbitration.domain import party_service
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_common.contracts.claims import CATEGORY_NAMES_ZH, ClaimCategory
from labornet_common.platform.clock import CHINA
from labornet_common.platform.documents.draft import DocumentDraft, cn_date, numeral, yuan

DocumentKind = Literal["acceptance_notice", "non_acceptance_notice", "hearing_notice", "award", "mediation_statement"]

TITLES: dict[str, str] = {
    "acceptance_notice": "受理通知书",
    "non_acceptance_notice": "不予受理通知书",
    "hearing_notice": "开庭通知书",
    "award": "仲裁裁决书",
    "mediation_statement": "仲裁调解书",
    "partial_award": "先行裁决书",
    "proof_of_service": "送达回证",
}
# A partial award is stored under a kind of its own per part (``partial_award:`` and the part's id):
# each part is its own document, numbered on its own, with its own service and periods.
PARTIAL_AWARD = "partial_award"
_PARTIAL = PARTIAL_AWARD + ":"


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


def _appeal_notices(items: list[dict[str, Any]], subject: str, paper: str) -> list[str]:
    """The notice for final items (worker's suit, Art. 48; employer's set-aside, Art. 49) and for
    non-final items (suit, after which it takes effect, Art. 50), items numbered as listed."""
    final_nos = [numeral(no) for no, item in enumerate(items, 1) if item.get("final")]
    other_nos = [numeral(no) for no, item in enumerate(items, 1) if not item.get("final")]
    notices: list[str] = []
    if final_nos:
        notices.append(
            f"{subject}第{'、'.join(final_nos)}项为终局裁决，自作出之日起发生法律效力（《中华人民共和国劳动争议调解仲裁法》"
            f"第四十七条）。劳动者对该裁决不服的，可以自收到{paper}之日起十五日内向人民法院提起诉讼（第四十八条）。"
            f"用人单位有证据证明该裁决有第四十九条第一款规定情形之一的，可以自收到{paper}之日起三十日内"
            "向劳动争议仲裁委员会所在地的中级人民法院申请撤销裁决（第四十九条）。"
        )
    if other_nos:
        notices.append(
            f"当事人对{subject}第{'、'.join(other_nos)}项不服的，可以自收到{paper}之日起十五日内向人民法院提起诉讼；"
            f"期满不起诉的，{paper.removeprefix('本')}发生法律效力（《中华人民共和国劳动争议调解仲裁法》第五十条）。"
        )
    return notices


def award(case: ArbitrationCase, *, commission: str) -> DocumentDraft:
    """仲裁裁决书: each item final or not (LDA Art. 47, per item: Interp-I Art. 19), with the notice
    that fits: the worker's suit on final items (Art. 48), the employer's set-aside (Art. 49),
    and the suit on non-final items, after which the award takes effect (Art. 50)."""
    award = case.award or {}
    issued_on = date.fromisoformat(award["issued_on"])
    items: list[dict[str, Any]] = award.get("items", [])
    respondent = "、".join(case.respondents)
    lines = [_item_line(no, item, respondent, case.applicant) for no, item in enumerate(items, 1)]
    notices = _appeal_notices(items, "本裁决", "本裁决书")
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


def partial_award_kind(part_id: str) -> str:
    return _PARTIAL + part_id


def part_of(kind: str) -> str | None:
    """The partial award a stored kind names (None for any other document)."""
    return kind[len(_PARTIAL) :] if kind.startswith(_PARTIAL) else None


def partial_award(case: ArbitrationCase, part: dict[str, Any], *, commission: str) -> DocumentDraft:
    """先行裁决书 (LDA Art. 43 ¶2: the part whose facts are already clear is decided first), each
    item final or not (Art. 47), with the notice that fits, like the award's."""
    issued_on = date.fromisoformat(part["issued_on"])
    items: list[dict[str, Any]] = part.get("items", [])
    respondent = "、".join(case.respondents)
    lines = [_item_line(no, item, respondent, case.applicant) for no, item in enumerate(items, 1)]
    notices = _appeal_notices(items, "本先行裁决", "本先行裁决书")
    return DocumentDraft(
        partial_award_kind(part["id"]),
        TITLES[PARTIAL_AWARD],
        issued_on,
        (
            *_parties(case),
            f"申请人{case.applicant}与被申请人{respondent}劳动争议一案，本委于"
            f"{cn_date(case.accepted_on or case.received_on)}立案受理。仲裁庭认为，下列请求部分事实已经清楚，"
            "依据《中华人民共和国劳动争议调解仲裁法》第四十三条第二款先行裁决；其余请求继续审理。",
            *(line.replace("本裁决生效", "本先行裁决生效") for line in lines),
            *notices,
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
    known = {p["id"] for p in before.get("partial_awards", [])}
    for part in case.procedure.get("partial_awards", []):
        if part["id"] not in known:
            drafts.append(partial_award(case, part, commission=commission))
    return drafts


def snapshot(case: ArbitrationCase) -> dict[str, Any]:
    return {
        "status": case.status,
        "hearing": dict(case.hearing or {}),
        "award": dict(case.award or {}),
        "partial_awards": [dict(p) for p in case.procedure.get("partial_awards", [])],
        "publications": len(case.procedure.get("publications", [])),
    }


def new_publications(before: dict[str, Any], case: ArbitrationCase) -> list[dict[str, Any]]:
    """The services by publication (公告送达) a change recorded."""
    return list(case.procedure.get("publications", [])[before.get("publications", 0) :])


def newly_served_parts(before: dict[str, Any], case: ArbitrationCase) -> list[dict[str, Any]]:
    """The partial awards a change recorded as served."""
    was = {p["id"]: p.get("served_on") for p in before.get("partial_awards", [])}
    return [p for p in case.procedure.get("partial_awards", []) if p.get("served_on") and not was.get(p["id"])]


# -- 送达回证 (proof of service) ---------------------------------------------------------------------

PROOF_OF_SERVICE = "proof_of_service"
# A proof is stored under a kind of its own per delivery (``proof:`` and the delivery id's 32 hex
# digits): a document's kind and version are unique per application, and an application has one
# proof per service, none of them a correction of another.
_PROOF = "proof:"

# How a document was served, each with the article of the 民事诉讼法 that governs it (applied to
# labour arbitration by 办案规则 Art. 19).
Manner = Literal["direct", "left", "post", "electronic", "notice"]
MANNERS: dict[str, str] = {
    "direct": "直接送达",  # 民诉法 Art. 88
    "left": "留置送达",  # Art. 89: refused, left at the residence, witnessed or recorded
    "post": "邮寄送达",  # Art. 91: the day signed for on the postal receipt
    "electronic": "电子送达",  # Art. 90: the day it reached the system the party named
    "notice": "公告送达",  # Art. 95: deemed served 30 days after publication
}
_MANNER_LAW: dict[str, str] = {
    "direct": "第八十八条",
    "left": "第八十九条",
    "post": "第九十一条",
    "electronic": "第九十条",
    "notice": "第九十五条",
}
PARTY_ROLES = {"worker": "申请人", "employer": "被申请人"}
CHANNELS_ZH = {"email": "电子邮件", "sms": "手机短信", "app": "劳动者App"}
RECEIPTS_ZH = {
    "link": "受送达人打开签名下载链接（阅读回执）",
    "sms_receipt": "短信服务商的送达回执",
    "app_receipt": "劳动者App的签收回执",
}


def proof_kind(delivery_id: str) -> str:
    return _PROOF + delivery_id.replace("-", "")


def publication_service_id(application_id: str, index: int) -> str:
    """The id of a service by publication (the application's ``index``-th publication)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"labornet:arbitration:publication:{application_id}:{index}"))


def award_service_id(document_id: str, party: str) -> str:
    """The id of an award's service recorded by staff without a delivery (a party that gave no
    consent to electronic service): one per award document and party, so recording it names one
    送达回证."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"labornet:arbitration:award-service:{document_id}:{party}"))


def newly_served(before: dict[str, Any], case: ArbitrationCase) -> list[str]:
    """The parties a change served the award on (``before`` is ``snapshot(case)``)."""
    if not case.award:
        return []
    was = party_service.of(before["award"]) if before["award"] else {}
    return [party for party in party_service.of(case.award) if party not in was]


def is_proof(kind: str) -> bool:
    return kind.startswith(_PROOF)


def delivery_of(kind: str) -> str | None:
    """The delivery a proof's stored kind names (None for any other document)."""
    if not is_proof(kind):
        return None
    h = kind[len(_PROOF) :]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class Service:
    """One service of one document on one party, as the 送达回证 records it."""

    delivery_id: str
    document_title: str
    document_number: str
    document_version: int
    party: str  # worker or employer
    manner: Manner
    served_on: date
    served_by: str
    channel: str | None = None  # electronic service: email, sms or app, and the masked address
    address_masked: str | None = None
    received_at: datetime | None = None
    receipt: str | None = None
    remarks: str | None = None
    published_on: date | None = None  # 公告送达: the day the notice was published
    periods: tuple[str, ...] = ()  # the periods that run from this service, one line each


def proof_of_service(case: ArbitrationCase, service: Service, *, commission: str) -> DocumentDraft:
    """送达回证 (民诉法 Art. 87): the document served, the recipient, the manner, the day and who
    served it. The day recorded is the service date the law counts: the day the recipient signed
    (Art. 87 ¶2, 邮寄: the postal receipt's day, Art. 91) or the day the document reached the
    system the recipient named (Art. 90 ¶2)."""
    recipient = case.applicant if service.party == "worker" else "、".join(case.respondents)
    version = f"，第{service.document_version}版" if service.document_version > 1 else ""
    numbered = f"（{service.document_number}{version}）" if service.document_number else ""
    lines = [
        *_parties(case),
        f"送达文书：{service.document_title}{numbered}",
        f"受送达人：{PARTY_ROLES.get(service.party, '')}{recipient}",
        f"送达方式：{MANNERS[service.manner]}",
    ]
    if service.manner == "electronic":
        channel = CHANNELS_ZH.get(service.channel or "", service.channel or "")
        lines.append(f"送达地址：{channel} {service.address_masked or ''}".rstrip())
        if service.received_at is not None:
            at = service.received_at.astimezone(CHINA)
            lines.append(f"到达时间：{cn_date(at.date())}{at:%H:%M}（北京时间）")
        if service.receipt:
            lines.append(f"签收方式：{RECEIPTS_ZH.get(service.receipt, service.receipt)}")
    if service.manner == "notice" and service.published_on is not None:
        lines += [
            f"公告日期：{cn_date(service.published_on)}",
            f"公告期间：自公告之日起经过三十日，即{cn_date(service.served_on)}视为送达"
            "（期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期，第八十五条）",
        ]
    label = "视为送达日期" if service.manner == "notice" else "送达日期"
    lines += [f"{label}：{cn_date(service.served_on)}", f"送达人：{service.served_by}"]
    lines += list(service.periods)
    if service.remarks:
        lines.append(f"备注：{service.remarks}")
    lines += [
        "依据《中华人民共和国民事诉讼法》第八十七条，送达文书必须有送达回证；"
        f"本次{MANNERS[service.manner]}依照该法{_MANNER_LAW[service.manner]}，"
        f"以{cn_date(service.served_on)}为送达日期。",
        commission,
    ]
    # A 公告送达's record is made when the notice is published; any other when the service is.
    made_on = service.published_on if service.manner == "notice" and service.published_on else service.served_on
    lines.append(cn_date(made_on))
    return DocumentDraft(proof_kind(service.delivery_id), TITLES[PROOF_OF_SERVICE], made_on, tuple(lines))
