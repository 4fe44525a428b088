"""``document.issued`` events: a service issued a document (文书), or a corrected version of one.

Each service publishes its own on its case topic, through its outbox, in the transaction that
issued the document. The event names the document and the case, never a party: no name, ID
number, address or amount; a reader with the right fetches the document itself.

What the hash covers: ``text_sha256`` is the SHA-256 of the document's text as issued, its title
and paragraphs joined by newlines in UTF-8 (``DocumentDraft.text``; the number and version are
fields of their own). It is not the hash of the PDF, and deliberately so: the PDF is rendered
after the issuing transaction has committed (on first read: loading a CJK font takes about a
second), so its bytes do not exist when the event is written, and they depend on the font the
deployment renders with (the same text and font always give the same bytes). The text hash
depends on neither. The PDF's own SHA-256 is on the document once rendered: ``sha256`` in the
issuing service's document list and the ``ETag`` of its download.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from labornet_common.contracts.events import EventData
from labornet_common.contracts.topics import ARBITRATION, INTAKE, MEDIATION


class DocumentIssued(EventData):
    """The fields every ``document.issued`` event carries (a base class: no type of its own)."""

    document_id: str
    case_id: str
    kind: str = Field(description="the template: e.g. award, agreement, correction_notice, referral_letter")
    title: str = Field(description="the document's title in Chinese, e.g. 调解协议书")
    number: str = Field(description="文书编号, per issuing body and year; a correction keeps the number")
    version: int = Field(description="1, then one more per correction")
    issued_on: date
    text_sha256: str = Field(
        description="SHA-256 of the document's text as issued (title and paragraphs joined by newlines, UTF-8), "
        "not of the PDF, which is rendered later; the PDF's SHA-256 is the document's sha256 and download ETag"
    )


class IntakeDocumentIssued(DocumentIssued, type="cn.labornet.intake.document.issued.v1", topic=INTAKE):
    """Intake issued a correction notice (补正通知书) or a referral letter (移送函)."""


class MediationDocumentIssued(DocumentIssued, type="cn.labornet.mediation.document.issued.v1", topic=MEDIATION):
    """A mediation centre issued a mediation agreement (调解协议书), or corrected one."""


class ArbitrationDocumentIssued(DocumentIssued, type="cn.labornet.arbitration.document.issued.v1", topic=ARBITRATION):
    """The commission issued a notice, award, 调解书 or proof of service (送达回证).

    A 送达回证 (kind ``proof_of_service``) is issued for each service of a document on a party,
    by hand or electronic."""
