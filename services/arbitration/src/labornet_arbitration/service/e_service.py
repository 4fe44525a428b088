"""Electronic service: consent, the deliveries of each document, the sender, receipts, and manual
service as the fallback. A party's receipt of the award serves it on that party
(outcomes.serve_award), so that party's suit or set-aside period runs from its own day."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from labornet_arbitration.adapters import deliveries_store as store
from labornet_arbitration.adapters import documents_store, repository
from labornet_arbitration.adapters.channels import Channel, ChannelFailed, Message
from labornet_arbitration.adapters.pii import WORKER_PHONE
from labornet_arbitration.domain import documents as drafts
from labornet_arbitration.domain import e_service, outcomes, party_service
from labornet_arbitration.domain.model import ArbitrationCase, CaseRuleError
from labornet_arbitration.domain.policy import DOCKET_ROLES
from labornet_arbitration.service import action, worker_prompts
from labornet_arbitration.service.context import SENDER_JOB, ArbitrationContext
from labornet_common.platform.clock import china_today
from labornet_common.platform.outbox.signal import job_signal
from labornet_common.platform.problems import BadSignature, Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from labornet_common.platform.uow import UnitOfWork, after_commit
from labornet_common.reference import organisation_directory
from labornet_common.security.auth import Principal, Role
from labornet_common.security.crypto import PiiCipher
from labornet_common.security.pii import PiiField
from labornet_common.security.webhooks import WebhookVerificationError
from labornet_common.security.webhooks import verify as verify_webhook
from labornet_common.standards.masking import mask_phone

log = logging.getLogger(__name__)

ADDRESS = PiiField(name="address", context="arbitration.e_service.address", index_context="e_service.address")


@dataclass(frozen=True)
class Sender:
    """What the sender and the receipts need: channels, the link's address and keys, retries."""

    channels: dict[str, Channel]
    public_url: str
    link_key: bytes
    sms_secret: bytes
    app_secrets: tuple[str, ...] = ()
    max_attempts: int = 3
    backoff_s: float = 30.0

    def sign(self, delivery_id: str) -> str:
        return hmac.new(self.link_key, delivery_id.encode(), hashlib.sha256).hexdigest()[:32]

    def link(self, delivery_id: str) -> str:
        return f"{self.public_url}/api/v1/arbitration/e-service/{delivery_id}/{self.sign(delivery_id)}"


def _app_label(_case_id: str) -> str:
    return "劳动者App"


def _mask_email(address: str) -> str:
    name, _, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"


# --- consent ------------------------------------------------------------------------------------


async def give_consent(
    *,
    uow: UnitOfWork,
    cipher: PiiCipher,
    principal: Principal,
    application_id: str,
    party: e_service.Party,
    channel: e_service.Channel,
    email: str | None,
) -> dict[str, Any]:
    """The worker consents for themself (worker token); staff record either party's written consent."""
    async with uow:
        stored = await store.application_row(uow.session, application_id)
        if stored is None:
            raise NotFound()
        case = ArbitrationCase.from_row(dict(stored))
        if not action.readable(principal, case):
            raise NotFound()
        is_worker = Role.worker in principal.roles and case.case_id in principal.case_ids
        if not (is_worker and party == "worker") and not action.actionable(principal, DOCKET_ROLES, case):
            raise Forbidden()
        phone = WORKER_PHONE.open(cipher, stored) if party == "worker" else None
        given = e_service.consent(
            party=party, channel=channel, email=email, phone_on_file=phone, app_case_id=case.case_id
        )
        masked = {"email": _mask_email, "sms": mask_phone, "app": _app_label}[channel](given.address)
        values = {
            "application_id": application_id,
            "party": party,
            "channel": channel,
            "address_masked": masked,
            **ADDRESS.seal(cipher, given.address),
            "given_by": principal.subject,
            "given_at": datetime.now(UTC),
        }
        await store.replace_consent(uow.session, values)
        await uow.commit()
    return {k: v for k, v in values.items() if not k.startswith("address_") or k == "address_masked"}


async def withdraw_consent(*, uow: UnitOfWork, principal: Principal, application_id: str, party: str) -> None:
    async with uow:
        case = await repository.get(session=uow.session, application_id=application_id)
        if case is None or not action.readable(principal, case):
            raise NotFound()
        is_worker = Role.worker in principal.roles and case.case_id in principal.case_ids
        if not (is_worker and party == "worker") and not action.actionable(principal, DOCKET_ROLES, case):
            raise Forbidden()
        await store.delete_consent(uow.session, application_id, party)
        await uow.commit()


# --- deliveries, written with the document ------------------------------------------------------


async def deliveries_for(*, session: store.Session, case: Any, issued: list[dict[str, Any]]) -> int:
    """One pending delivery per issued document and consenting party, in the issuing transaction."""
    served = [row for row in issued if row["kind"] in e_service.SERVED_KINDS]
    if not served:
        return 0
    consents = await store.consents_of(session, case.application_id)
    now = datetime.now(UTC)
    count = 0
    for row in served:
        for consent in consents:
            await store.add(
                session,
                {
                    "delivery_id": str(uuid.uuid4()),
                    "application_id": case.application_id,
                    "case_id": case.case_id,
                    "document_id": row["document_id"],
                    "kind": row["kind"],
                    "party": consent.party,
                    "channel": consent.channel,
                    "address_masked": consent.address_masked,
                    "address_enc": consent.address_enc,
                    "address_bidx": consent.address_bidx,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )
            count += 1
    if count:
        after_commit(session, job_signal(SENDER_JOB).notify)  # the sender sends them at once
    return count


# --- the sender -------------------------------------------------------------------------------


def _text(kind_title: str, case_number: str | None, link: str, channel: str) -> tuple[str, str]:
    """Plain Chinese, no ID number: what arrived, for which case, and where to read it."""
    subject = f"【劳动人事争议仲裁】{kind_title}送达（{case_number or '仲裁申请'}）"
    body = (
        f"您好：仲裁委员会向您送达{kind_title}（案号：{case_number or '尚未立案'}）。"
        f"请点击链接查看并下载：{link} 。打开链接即视为签收，签收之日为送达日期。"
    )
    if channel == "email":
        body += "\n\n本邮件由系统发送，请勿回复。"
    return subject, body


async def send_due(*, uow_factory: Callable[[], UnitOfWork], cipher: PiiCipher, sender: Sender, now: datetime) -> int:
    """Send every delivery whose time has come. A send runs outside any transaction; its outcome
    is written after. A process stopped between the two sends that delivery again."""
    async with uow_factory() as uow:
        due = await store.due(uow.session, now)
    sent = 0
    for row in due:
        address = ADDRESS.open(cipher, row._mapping)
        subject, text = _text(row.title, row.case_number, sender.link(row.delivery_id), row.channel)
        channel = sender.channels.get(row.channel)
        error: str | None = None
        provider_id: str | None = None
        if channel is None or address is None:
            error = f"no {row.channel} channel configured"
        else:
            try:
                link = sender.link(row.delivery_id)
                message = Message(row.delivery_id, address, subject, text, link, row.case_number or "")
                provider_id = await channel.send(message)
            except ChannelFailed as failed:
                error = str(failed)
        async with uow_factory() as uow:
            attempts = row.attempts + 1
            if error is None:
                values: dict[str, Any] = {
                    "status": "sent",
                    "attempts": attempts,
                    "sent_at": now,
                    "provider_id": provider_id,
                    "next_attempt_at": None,
                    "last_error": None,
                }
                sent += 1
            else:
                retry = e_service.next_attempt_at(
                    attempts, now, max_attempts=sender.max_attempts, backoff_s=sender.backoff_s
                )
                values = {
                    "status": "pending" if retry else "failed",
                    "attempts": attempts,
                    "next_attempt_at": retry,
                    "last_error": error[:300],
                }
                log.warning("delivery %s attempt %s failed: %s", row.delivery_id, attempts, error)
            await store.record_attempt(uow.session, row.delivery_id, row.attempts, values)
            await uow.commit()
    return sent


# --- receipts and manual service -----------------------------------------------------------------


async def _serve_party_from_receipt(
    session: store.Session, ctx: ArbitrationContext, row: Any, case: ArbitrationCase
) -> None:
    """The party this award delivery went to has it: that party is served on its own first
    receipt, and its own periods run from that day (LDA Arts. 48-50, party_service.py)."""
    if row.kind not in e_service.AWARD_KINDS:
        return
    served_on = e_service.party_served_on(await store.of_party(session, row.document_id, row.party))
    if served_on is None:
        return
    if not case.award or row.party not in party_service.unserved(case.award):
        return
    before = drafts.snapshot(case)
    try:
        outcomes.serve_award(
            case, on=served_on, today=max(china_today(), served_on), calendar=ctx.calendar, party=row.party
        )
    except CaseRuleError as error:
        log.warning("award of %s not served from receipt: %s", case.application_id, error.code)
        return
    who = "劳动者" if row.party == "worker" else "用人单位"
    case.note(served_on, "e_service", f"裁决书已送达{who}（{served_on.isoformat()}签收）")
    await worker_prompts.queue(session=session, before=before, case=case, now=datetime.now(UTC))
    await repository.save(session=session, case=case)


async def _issue_proof(
    session: store.Session, case: ArbitrationCase, row: Any, **service: Any
) -> dict[str, Any] | None:
    """The 送达回证 of this delivery's service (service/documents.issue_proof)."""
    from labornet_arbitration.service import documents as issuing

    served = await store.document_header(session, row.document_id)
    return await issuing.issue_proof(
        session=session,
        case=case,
        service=drafts.Service(
            delivery_id=row.delivery_id,
            document_title=served.title,
            document_number=served.number,
            document_version=served.version,
            party=row.party,
            **service,
        ),
    )


async def _receive(
    uow: UnitOfWork, ctx: ArbitrationContext, delivery_id: str, *, at: datetime, receipt: str
) -> Any | None:
    """The first receipt of a delivery: it is received, the party is served (an award: its own
    periods start) and the electronic service gets its 送达回证."""
    row = await store.get(uow.session, delivery_id)
    if row is None:
        return None
    if row.status not in store.SERVED:
        if not await store.mark_received(uow.session, delivery_id, at=at, receipt=receipt):
            # another receipt of the same delivery committed first
            return row
        case = await repository.get(session=uow.session, application_id=row.application_id)
        if case is not None:
            await _serve_party_from_receipt(uow.session, ctx, row, case)
            commission = organisation_directory().name_of(case.commission_id) or case.commission_id
            await _issue_proof(
                uow.session,
                case,
                row,
                manner="electronic",
                served_on=e_service.service_date(at),
                served_by=f"{commission}（电子送达）",
                channel=row.channel,
                address_masked=row.address_masked,
                received_at=at,
                receipt=receipt,
            )
    return row


async def open_link(
    *, uow: UnitOfWork, ctx: ArbitrationContext, sender: Sender, delivery_id: str, signature: str, now: datetime
) -> dict[str, Any]:
    """The party opened the signed link: the read receipt; answers the document to download."""
    if not hmac.compare_digest(sender.sign(delivery_id).encode(), signature.encode("utf-8", "replace")):
        raise NotFound()
    async with uow:
        row = await _receive(uow, ctx, delivery_id, at=now, receipt="link")
        if row is None:
            raise NotFound()
        await uow.commit()
    async with uow:
        document = await documents_store.one(
            session=uow.session, application_id=row.application_id, document_id=row.document_id
        )
        assert document is not None
        return document


def verify_sms_receipt(sender: Sender, body: bytes, signature: str | None) -> dict[str, Any]:
    """The receipt's body, signed by the provider: ``reference``, ``status``, optional ``at``."""
    expected = hmac.new(sender.sms_secret, body, hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise BadSignature(detail="bad or missing X-Sms-Signature")
    try:
        parsed = json.loads(body)
        if not isinstance(parsed, dict):
            raise TypeError
        reference, status = str(parsed["reference"]), str(parsed["status"])
    except (ValueError, KeyError, TypeError):
        raise InvalidInput.at("reference", "missing") from None
    try:
        at = datetime.fromisoformat(parsed["at"]) if parsed.get("at") else None
    except (TypeError, ValueError):
        raise InvalidInput.at("at", "datetime_parsing") from None
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return {"reference": reference, "status": status, "at": at}


async def sms_receipt(
    *, uow: UnitOfWork, ctx: ArbitrationContext, sender: Sender, receipt: dict[str, Any], now: datetime
) -> bool:
    """The SMS gateway's delivery receipt: delivered counts as received (at the provider's time);
    undelivered is one failed attempt, retried or fallen back like a send that failed."""
    at: datetime = receipt["at"] or now
    async with uow:
        row = await store.get(uow.session, receipt["reference"])
        if row is None or row.channel != "sms":
            return False
        if receipt["status"] == "delivered":
            await _receive(uow, ctx, row.delivery_id, at=at, receipt="sms_receipt")
        elif row.status == "sent":
            retry = e_service.next_attempt_at(
                row.attempts, now, max_attempts=sender.max_attempts, backoff_s=sender.backoff_s
            )
            await store.sms_undelivered(
                uow.session,
                row.delivery_id,
                {
                    "status": "pending" if retry else "failed",
                    "next_attempt_at": retry,
                    "last_error": f"sms receipt: {receipt['status']}"[:300],
                },
            )
        await uow.commit()
    return True


def verify_app_receipt(sender: Sender, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """The app's receipt, a Standard Webhook signed with the app's secret: ``delivery_id``, optional
    ``at`` (when the worker's app received the document)."""
    try:
        verify_webhook(headers=headers, payload=body, secrets=sender.app_secrets)
    except (WebhookVerificationError, ValueError):
        raise BadSignature(detail="bad or missing webhook signature") from None
    try:
        parsed = json.loads(body)
        if not isinstance(parsed, dict):
            raise TypeError
        delivery_id = str(parsed["delivery_id"])
        at = datetime.fromisoformat(parsed["at"]) if parsed.get("at") else None
    except (ValueError, KeyError, TypeError):
        raise InvalidInput.at("delivery_id", "missing") from None
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return {"delivery_id": delivery_id, "at": at}


async def app_receipt(*, uow: UnitOfWork, ctx: ArbitrationContext, receipt: dict[str, Any], now: datetime) -> bool:
    """The worker's app received the document: the receipt (its day in China is the service date)."""
    async with uow:
        row = await store.get(uow.session, receipt["delivery_id"])
        if row is None or row.channel != "app":
            return False
        await _receive(uow, ctx, row.delivery_id, at=receipt["at"] or now, receipt="app_receipt")
        await uow.commit()
    return True


async def _staff_delivery(
    uow: UnitOfWork, principal: Principal, application_id: str, delivery_id: str
) -> tuple[ArbitrationCase, Any]:
    case = await repository.get(session=uow.session, application_id=application_id)
    if case is None or not action.readable(principal, case):
        raise NotFound()
    if not action.actionable(principal, DOCKET_ROLES, case):
        raise Forbidden()
    row = await store.get(uow.session, delivery_id, application_id)
    if row is None:
        raise NotFound()
    return case, row


async def record_manual(
    *,
    uow: UnitOfWork,
    ctx: ArbitrationContext,
    principal: Principal,
    application_id: str,
    delivery_id: str,
    served_on: date,
    manner: drafts.Manner = "direct",
    remarks: str | None = None,
) -> dict[str, Any] | None:
    """Staff served the document by hand, left it or posted it (``manner``; the recipient signed on
    ``served_on``, or the postal receipt names that day): that day counts, and the service's
    送达回证 is issued with it. Answers the 送达回证's document row."""
    if served_on > china_today():
        raise Unprocessable("arbitration.date_order", field="served_on")
    async with uow:
        case, row = await _staff_delivery(uow, principal, application_id, delivery_id)
        if row.status in ("received", "manual"):
            raise Conflict("arbitration.wrong_state", detail=f"delivery is {row.status}")
        issued_on = await store.document_issued_on(uow.session, row.document_id)
        if served_on < issued_on:  # served before the document existed
            raise Unprocessable("arbitration.date_order", field="served_on")
        if not await store.mark_manual(uow.session, delivery_id, served_on=served_on, served_by=principal.subject):
            # a receipt or another record of service committed first
            raise Conflict("arbitration.wrong_state", detail="delivery is already served")
        refreshed = await store.get(uow.session, delivery_id)
        await _serve_party_from_receipt(uow.session, ctx, refreshed, case)
        proof = await _issue_proof(
            uow.session,
            case,
            refreshed,
            manner=manner,
            served_on=served_on,
            served_by=principal.name or principal.subject,
            remarks=remarks,
        )
        await uow.commit()
    return proof


async def resend(*, uow: UnitOfWork, principal: Principal, application_id: str, delivery_id: str) -> None:
    async with uow:
        _case, row = await _staff_delivery(uow, principal, application_id, delivery_id)
        if row.status in ("received", "manual"):
            raise Conflict("arbitration.wrong_state", detail=f"delivery is {row.status}")
        await store.reset(uow.session, delivery_id, datetime.now(UTC))
        await uow.commit()


async def deliveries_of(
    *, uow: UnitOfWork, principal: Principal, application_id: str
) -> dict[str, list[dict[str, Any]]]:
    """The parties' consents (addresses masked) and every delivery with its status, receipt and
    送达回证 (once served)."""
    async with uow:
        case = await repository.get(session=uow.session, application_id=application_id)
        if case is None or not action.readable(principal, case):
            raise NotFound()
        rows = await store.listed(uow.session, application_id)
        consents = await store.consents_listed(uow.session, application_id)
        proofs = await store.proofs_of(uow.session, application_id, drafts.proof_kind(""))
    proof_of = {drafts.delivery_of(kind): document_id for kind, document_id in proofs}
    return {
        "consents": consents,
        "deliveries": [{**r, "proof_document_id": proof_of.get(r["delivery_id"])} for r in rows],
    }


def sender_from_settings(settings: Any) -> Sender:
    from labornet_arbitration.adapters.channels import AppWebhookChannel, HttpSmsChannel, SmtpChannel

    channels: dict[str, Channel] = {
        "email": SmtpChannel(settings.e_service_smtp_host, settings.e_service_smtp_port, settings.e_service_smtp_from)
    }
    if settings.e_service_sms_url:
        channels["sms"] = HttpSmsChannel(settings.e_service_sms_url)
    if settings.e_service_app_url and settings.e_service_app_secrets:
        channels["app"] = AppWebhookChannel(settings.e_service_app_url, tuple(settings.e_service_app_secrets))
    secret = settings.internal_secret.encode()
    return Sender(
        channels=channels,
        public_url=settings.e_service_public_url.rstrip("/"),
        link_key=hmac.new(secret, b"arbitration.e_service.link", hashlib.sha256).digest(),
        sms_secret=(settings.e_service_sms_secret or "").encode()
        or hmac.new(secret, b"arbitration.e_service.sms", hashlib.sha256).digest(),
        app_secrets=tuple(settings.e_service_app_secrets),
        max_attempts=settings.e_service_max_attempts,
        backoff_s=settings.e_service_backoff_s,
    )


async def send_round(*, uow_factory: Callable[[], UnitOfWork], cipher: PiiCipher, sender: Sender) -> int:
    """One round of the service's sender (a periodic job): the due deliveries go out (a restart
    resumes), then the worker prompts. Returns how many went out (0: the job backs off)."""
    sent = await send_due(uow_factory=uow_factory, cipher=cipher, sender=sender, now=datetime.now(UTC))
    return sent + await worker_prompts.send_due(
        uow_factory=uow_factory, cipher=cipher, sender=sender, now=datetime.now(UTC)
    )
