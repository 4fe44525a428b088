"""Issuing the documents a change calls for, in that change's transaction, and their PDFs.

action.change takes a snapshot of the case before a step and, after it, stores every document the
step calls for (domain.documents.called_for), numbered and versioned. The PDF is rendered when
first read (or by whoever needs it first): without a CJK font that read answers 503
``arbitration.documents_font_missing``, and start-up logs the same reason; the change itself
never waits on a font. Each service of a document on a party (by hand, or a completed electronic
delivery) issues its 送达回证 in the transaction that records it (``issue_proof``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from labornet_arbitration.adapters import documents_store, pdf
from labornet_arbitration.domain import documents, effect, party_service, procedures
from labornet_arbitration.domain.e_service import AWARD_KINDS
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.service import e_service
from labornet_common.contracts.documents import ArbitrationDocumentIssued
from labornet_common.platform.documents.draft import cn_date
from labornet_common.platform.documents.store import text_sha256
from labornet_common.platform.problems import Unavailable
from labornet_common.reference import organisation_directory

_configured: dict[str, str | None] = {"font": None}


def configure(font: str | None) -> Path:
    """Called at start-up with ``LABORNET_DOCUMENT_FONT``; raises FontMissing when none is found."""
    _configured["font"] = font
    return pdf.find_font(font)


def font() -> Path:
    try:
        return pdf.find_font(_configured["font"])
    except pdf.FontMissing as missing:
        raise Unavailable("arbitration.documents_font_missing", detail=str(missing), retry_after_s=3600) from None


def announce(case: ArbitrationCase, row: dict[str, Any]) -> None:
    """The ``document.issued`` event of a stored document, recorded after the change's own events
    (through the outbox with them). It carries the SHA-256 of the document's text: the PDF does
    not exist yet when the document is issued (see contracts/documents.py)."""
    case.record(
        ArbitrationDocumentIssued(
            document_id=row["document_id"],
            case_id=case.case_id,
            kind=documents.PROOF_OF_SERVICE if documents.is_proof(row["kind"]) else row["kind"],
            title=row["title"],
            number=row["number"],
            version=row["version"],
            issued_on=row["issued_on"],
            text_sha256=text_sha256(row["text"]),
        )
    )


async def issue_called_for(
    *, session: documents_store.Session, before: dict[str, Any], case: ArbitrationCase, served_by: str
) -> list[dict]:
    """The documents the change calls for, and the 送达回证 of an award it served on a party
    (staff recording service by hand, ``served_by``)."""
    commission = organisation_directory().name_of(case.commission_id) or case.commission_id
    drafts = documents.called_for(before, case, commission=commission)
    issued = []
    for draft in drafts:
        row = await documents_store.issue(session=session, case=case, draft=draft)
        if row is not None:
            case.note(
                draft.issued_on, "document", f"制作{draft.title}（{row['number']}）", document_id=row["document_id"]
            )
            announce(case, row)
            issued.append(row)
    # Each consenting party's delivery, written with the document (the sender works from these).
    await e_service.deliveries_for(session=session, case=case, issued=issued)
    published = documents.new_publications(before, case)
    by_publication = {"employer"} if any(p["document"] == "award" for p in published) else set()
    for party in documents.newly_served(before, case):
        if party not in by_publication:  # the publication's own record below
            await _award_served_by_hand(session=session, case=case, party=party, served_by=served_by)
    first = len(case.procedure.get("publications", [])) - len(published)
    for index, publication in enumerate(published, first):
        await _published(session=session, case=case, publication=publication, index=index, served_by=served_by)
    for part in documents.newly_served_parts(before, case):
        await _partial_award_served(session=session, case=case, part=part, served_by=served_by)
    return issued


# What each published document is stored as, when the commission issued it (the application's
# copy is the applicant's own paper; "other" names none).
_PUBLISHED_KINDS: dict[str, frozenset[str]] = {"hearing_notice": frozenset({"hearing_notice"}), "award": AWARD_KINDS}


async def _published(
    *, session: documents_store.Session, case: ArbitrationCase, publication: dict[str, Any], index: int, served_by: str
) -> None:
    """The record of a service by publication (公告送达, 民诉法 Art. 95): a 送达回证 on the
    respondent naming the document published, the day of publication and the day it is deemed
    served, which is the service date every clock counts from (procedures.record_publication)."""
    kinds = _PUBLISHED_KINDS.get(publication["document"])
    stored = None
    if kinds is not None:
        stored = await documents_store.latest_of(session=session, application_id=case.application_id, kinds=kinds)
    service = documents.Service(
        delivery_id=documents.publication_service_id(case.application_id, index),
        document_title=stored["title"] if stored else procedures.DOCUMENTS_ZH[publication["document"]],
        document_number=stored["number"] if stored else "",
        document_version=stored["version"] if stored else 1,
        party="employer",
        manner="notice",
        served_on=date.fromisoformat(publication["deemed_served_on"]),
        published_on=date.fromisoformat(publication["published_on"]),
        served_by=served_by,
        periods=_periods_of_award(case, "employer") if publication["document"] == "award" else (),
    )
    await issue_proof(session=session, case=case, service=service)


def _periods_of_award(case: ArbitrationCase, party: str) -> tuple[str, ...]:
    dates = party_service.of(case.award or {}).get(party, {})
    final = effect.type_of(case.award or {}) == "final"
    return _period_lines(party, dates.get("suit_due_on"), dates.get("set_aside_due_on"), "裁决书", final=final)


def _period_lines(
    party: str, suit_due_on: str | None, set_aside_due_on: str | None, paper: str, *, final: bool
) -> tuple[str, ...]:
    """The periods that run from this party's service, as its 送达回证 records them: the worker's
    suit on a final award (LDA Art. 48), either party's suit on a non-final one (Art. 50), the
    employer's set-aside of a final one (Art. 49)."""
    lines = []
    if suit_due_on:
        article = "第四十八条" if final else "第五十条"
        lines.append(
            f"起诉期限：不服本{paper}的，可于{cn_date(date.fromisoformat(suit_due_on))}前（含当日）向人民法院提起诉讼"
            f"（《中华人民共和国劳动争议调解仲裁法》{article}）"
        )
    if set_aside_due_on:
        lines.append(
            f"申请撤销期限：可于{cn_date(date.fromisoformat(set_aside_due_on))}前（含当日）向仲裁委员会所在地的"
            "中级人民法院申请撤销（《中华人民共和国劳动争议调解仲裁法》第四十九条）"
        )
    return tuple(lines)


async def _partial_award_served(
    *, session: documents_store.Session, case: ArbitrationCase, part: dict[str, Any], served_by: str
) -> None:
    """A partial award (先行裁决, LDA Art. 43 ¶2) recorded as served: a 送达回证 for each party,
    naming the 先行裁决书 and the part's own periods from that day: on a final part the worker's
    suit (Art. 48) and the employer's set-aside (Art. 49); on a non-final part either party's
    suit (Art. 50)."""
    kinds = frozenset({documents.partial_award_kind(part["id"])})
    stored = await documents_store.latest_of(session=session, application_id=case.application_id, kinds=kinds)
    if stored is None:  # a part issued before its document was
        return
    final = part["award_type"] == "final"
    for party in party_service.PARTIES:
        suit_due = part.get("suit_due_on") if (party == "worker" or not final) else None
        set_aside_due = part.get("set_aside_due_on") if (party == "employer" and final) else None
        service = documents.Service(
            delivery_id=documents.award_service_id(stored["document_id"], party),
            document_title=stored["title"],
            document_number=stored["number"],
            document_version=stored["version"],
            party=party,
            manner="direct",
            served_on=date.fromisoformat(part["served_on"]),
            served_by=served_by,
            periods=_period_lines(party, suit_due, set_aside_due, "先行裁决书", final=final),
        )
        await issue_proof(session=session, case=case, service=service)


async def _award_served_by_hand(
    *, session: documents_store.Session, case: ArbitrationCase, party: str, served_by: str
) -> None:
    """The 送达回证 of an award (or 调解书) staff recorded as received by ``party`` (…/award/service):
    served directly (民诉法 Art. 88) on the day recorded."""
    award = await documents_store.latest_of(session=session, application_id=case.application_id, kinds=AWARD_KINDS)
    if award is None or not case.award:  # an award recorded before documents were issued
        return
    served_on = date.fromisoformat(party_service.of(case.award)[party]["served_on"])
    service = documents.Service(
        delivery_id=documents.award_service_id(award["document_id"], party),
        document_title=award["title"],
        document_number=award["number"],
        document_version=award["version"],
        party=party,
        manner="direct",
        served_on=served_on,
        served_by=served_by,
        periods=_periods_of_award(case, party),
    )
    await issue_proof(session=session, case=case, service=service)


async def issue_proof(
    *, session: documents_store.Session, case: ArbitrationCase, service: documents.Service
) -> dict | None:
    """The 送达回证 of one service, in the transaction that records the service (numbered like
    every document of the commission)."""
    commission = organisation_directory().name_of(case.commission_id) or case.commission_id
    draft = documents.proof_of_service(case, service, commission=commission)
    row = await documents_store.issue(session=session, case=case, draft=draft)
    if row is not None:
        announce(case, row)
    return row
