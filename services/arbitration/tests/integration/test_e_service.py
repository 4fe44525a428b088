"""Electronic service inside the service: consent, the award's deliveries written with it, e-mail
to a real local SMTP server (aiosmtpd) and SMS to a local fake provider (a small HTTP server),
receipts (the link, the provider's signed receipt), the award served on the day of the latest
receipt with the suit and set-aside periods counted from it across the National Day holiday; a
failing channel retried, then manual service; a sender cut off mid-way loses nothing."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import uuid
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from aiosmtpd.controller import Controller

from labornet_arbitration.adapters import documents_store
from labornet_arbitration.adapters.channels import AppWebhookChannel, HttpSmsChannel, SmtpChannel
from labornet_arbitration.adapters.pii import seal_party
from labornet_arbitration.domain.tribunal import Seat
from labornet_arbitration.service import admission_commands as admit
from labornet_arbitration.service import e_service, queries
from labornet_arbitration.service import proceedings_commands as steps
from labornet_arbitration.service.intake_commands import NewApplication, receive
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.security.auth import Principal, Role
from labornet_common.security.crypto import DEV_ACTIVE_KEY_ID, DEV_INDEX_KEY, DEV_KEYRING, PiiCipher
from labornet_common.security.webhooks import build_headers, generate_secret
from labornet_common.testing.api import WebhookReceiver
from labornet_common.testing.refusals import refusal
from tests.support.arbitration import staff

CIPHER = PiiCipher.from_settings(keyring=DEV_KEYRING, active=DEV_ACTIVE_KEY_ID, index_key=DEV_INDEX_KEY)
CLERK, ARBITRATOR = staff(Role.clerk, "4103"), staff(Role.arbitrator, "4103", "demo:arbitrator.luoyang")
PHONE = "13812341234"
SMS_SECRET = b"test-sms-secret"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        mail = message_from_bytes(envelope.content, policy=email_policy)
        self.messages.append((list(envelope.rcpt_tos), f"{mail['Subject']}\n{mail.get_content()}"))
        return "250 OK"


class FakeSmsProvider:
    """POST / with {"to", "text", "reference"} -> {"message_id"}; ``fail`` answers 503."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.fail = False
        self.server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
        body = json.loads(await reader.readexactly(length))
        if self.fail:
            payload, status = b'{"error":"unavailable"}', b"503 Service Unavailable"
        else:
            self.sent.append(body)
            payload, status = json.dumps({"message_id": f"m-{len(self.sent)}"}).encode(), b"200 OK"
        writer.write(
            b"HTTP/1.1 "
            + status
            + b"\r\ncontent-type: application/json\r\ncontent-length: "
            + str(len(payload)).encode()
            + b"\r\nconnection: close\r\n\r\n"
            + payload
        )
        await writer.drain()
        writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/send"

    async def __aexit__(self, *exc) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


def _receipt(reference: str, status: str, at: str) -> tuple[bytes, str]:
    body = json.dumps({"reference": reference, "status": status, "at": at}).encode()
    return body, hmac.new(SMS_SECRET, body, hashlib.sha256).hexdigest()


@pytest.fixture
def mailbox():
    box = Mailbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks its own port on start)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


async def _awarded(db, ctx, *, consents: list[tuple[str, str, str | None]]):
    party = seal_party(CIPHER, id_number=None, phone=PHONE, facts="拖欠工资")
    new = NewApplication(
        case_id=str(uuid.uuid4()),
        source="direct",
        source_key=f"direct:{uuid.uuid4()}",
        division_code="410311",
        commission_id="arb-4103",
        received_on=date(2026, 9, 1),
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        claims=[ClaimSummary(category="labor_remuneration", amount_fen=1_860_000)],
        worker_phone_masked=party.phone_masked,
        sealed=party.columns,
    )
    case, _ = await receive(uow=db.uow(), ctx=ctx, new=new)
    worker = Principal(subject="worker:1", roles=frozenset({Role.worker}), case_ids=frozenset({case.case_id}))
    for who, channel, email in consents:
        principal = worker if who == "worker" else CLERK
        await e_service.give_consent(
            uow=db.uow(),
            cipher=CIPHER,
            principal=principal,
            application_id=case.application_id,
            party=who,
            channel=channel,
            email=email,
        )
    case = await admit.accept(
        uow=db.uow(),
        ctx=ctx,
        principal=CLERK,
        application_id=case.application_id,
        on=date(2026, 9, 2),
        today=date(2026, 9, 2),
    )
    run = lambda step: steps.run(uow=db.uow(), principal=ARBITRATOR, application_id=case.application_id, step=step)  # noqa: E731
    await run(
        steps.tribunal(ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=date(2026, 9, 3))
    )
    items = [{"category": "labor_remuneration", "amount_fen": 1_860_000, "description": "拖欠工资"}]
    case = await run(steps.award(ctx, kind="award", items=items, on=date(2026, 9, 18), today=date(2026, 9, 18)))
    return case


def _sender(sms_url: str, smtp_port: int) -> e_service.Sender:
    return e_service.Sender(
        channels={"email": SmtpChannel("127.0.0.1", smtp_port, "songda@labornet.test"), "sms": HttpSmsChannel(sms_url)},
        public_url="http://gateway.test",
        link_key=b"link-key",
        sms_secret=SMS_SECRET,
        max_attempts=3,
        backoff_s=1.0,
    )


async def _deliveries(db, case) -> list[dict]:
    return (await e_service.deliveries_of(uow=db.uow(), principal=CLERK, application_id=case.application_id))[
        "deliveries"
    ]


async def e_service_proof_text(db, case, document_id: str) -> str:
    """The stored text of a 送达回证 (its PDF is checked over HTTP in tests/api)."""
    async with db.uow() as uow:
        row = await documents_store.one(
            session=uow.session, application_id=case.application_id, document_id=document_id
        )
    assert row is not None and row["title"] == "送达回证"
    return row["text"]


async def test_consent_rules(db, ctx, file_application) -> None:
    case = await file_application()  # no phone on file
    with refusal() as no_phone:
        await e_service.give_consent(
            uow=db.uow(),
            cipher=CIPHER,
            principal=CLERK,
            application_id=case.application_id,
            party="worker",
            channel="sms",
            email=None,
        )
    assert no_phone.value.status == 422 and no_phone.value.errors[0].field == "channel"
    with refusal() as bad_email:
        await e_service.give_consent(
            uow=db.uow(),
            cipher=CIPHER,
            principal=CLERK,
            application_id=case.application_id,
            party="employer",
            channel="email",
            email="not-an-address",
        )
    assert bad_email.value.errors[0].field == "email"
    other_worker = Principal(subject="worker:2", roles=frozenset({Role.worker}), case_ids=frozenset({case.case_id}))
    with refusal() as for_employer:  # a worker consents only for themself
        await e_service.give_consent(
            uow=db.uow(),
            cipher=CIPHER,
            principal=other_worker,
            application_id=case.application_id,
            party="employer",
            channel="email",
            email="hr@example.com",
        )
    assert for_employer.value.status == 403


async def test_award_served_by_email_and_sms_from_the_receipts(db, ctx, mailbox) -> None:
    box, smtp_port = mailbox
    provider = FakeSmsProvider()
    async with provider as sms_url:
        sender = _sender(sms_url, smtp_port)
        case = await _awarded(db, ctx, consents=[("worker", "sms", None), ("employer", "email", "hr@example.com")])
        pending = await _deliveries(db, case)
        # The acceptance notice and the award, each to both parties, written with the documents.
        assert sorted((d["kind"], d["party"], d["status"]) for d in pending) == [
            ("acceptance_notice", "employer", "pending"),
            ("acceptance_notice", "worker", "pending"),
            ("award", "employer", "pending"),
            ("award", "worker", "pending"),
        ]
        assert {d["address_masked"] for d in pending} == {"138****1234", "h***@example.com"}
        assert await e_service.send_due(uow_factory=db.uow, cipher=CIPHER, sender=sender, now=datetime.now(UTC)) == 4

    assert [to for to, _ in box.messages] == [["hr@example.com"], ["hr@example.com"]]
    assert {m["to"] for m in provider.sent} == {PHONE}
    assert all(
        ("身份证" not in m["text"] and "仲裁裁决书" in m["text"]) or "受理通知书" in m["text"] for m in provider.sent
    )
    award = {d["party"]: d for d in await _deliveries(db, case) if d["kind"] == "award"}
    assert {d["status"] for d in award.values()} == {"sent"}

    # The employer opens the e-mailed link on 09-19 (Beijing): the read receipt.
    link = sender.link(award["employer"]["delivery_id"])
    assert any(link in text and "仲裁裁决书" in text for _, text in box.messages)
    delivery_id, signature = link.rsplit("/", 2)[-2:]
    with refusal():
        await e_service.open_link(
            uow=db.uow(), ctx=ctx, sender=sender, delivery_id=delivery_id, signature="0" * 32, now=datetime.now(UTC)
        )
    opened = datetime(2026, 9, 19, 1, 0, tzinfo=UTC)
    document = await e_service.open_link(
        uow=db.uow(), ctx=ctx, sender=sender, delivery_id=delivery_id, signature=signature, now=opened
    )
    assert document["kind"] == "award"
    found = await queries.get_application(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    assert not found.award.get("served_on")  # the worker has not received it yet

    # The provider's receipt: delivered to the worker's phone at 09-20 10:00 Beijing.
    body, signature = _receipt(award["worker"]["delivery_id"], "delivered", "2026-09-20T10:00:00+08:00")
    with refusal() as unsigned:
        e_service.verify_sms_receipt(sender, body, "forged")
    assert unsigned.value.status == 401
    receipt = e_service.verify_sms_receipt(sender, body, signature)
    assert await e_service.sms_receipt(uow=db.uow(), ctx=ctx, sender=sender, receipt=receipt, now=datetime.now(UTC))

    found = await queries.get_application(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    # Each party from its own receipt. The worker, 09-20: LDA Art. 48, 15 days -> 10-05, inside
    # the National Day holiday (10-01..10-07 2026), so 10-08 (民诉法 Art. 85). The employer, 09-19:
    # LDA Art. 49, 30 days -> 10-19 (a Monday). The award is served as a whole on the later day.
    assert found.award["service"] == {
        "worker": {"served_on": "2026-09-20", "suit_due_on": "2026-10-08", "set_aside_due_on": None},
        "employer": {"served_on": "2026-09-19", "suit_due_on": None, "set_aside_due_on": "2026-10-19"},
    }
    assert found.award["served_on"] == "2026-09-20"
    assert found.award["suit_due_on"] == "2026-10-08"
    assert found.award["set_aside_due_on"] == "2026-10-19"
    assert await db.outbox("cn.labornet.arbitration.award.served.v1")

    # Each completed electronic delivery has its 送达回证, named by the delivery and listed with the documents.
    award = {d["party"]: d for d in await _deliveries(db, case) if d["kind"] == "award"}
    listed = await queries.documents_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    proofs = {d["delivery_id"]: d for d in listed if d["kind"] == "proof_of_service"}
    assert set(proofs) == {award["worker"]["delivery_id"], award["employer"]["delivery_id"]}
    assert {d["document_id"] for d in proofs.values()} == {d["proof_document_id"] for d in award.values()}
    assert [p["issued_on"] for p in (proofs[award[who]["delivery_id"]] for who in ("employer", "worker"))] == [
        date(2026, 9, 19),
        date(2026, 9, 20),
    ]
    worker_proof = await e_service_proof_text(db, case, award["worker"]["proof_document_id"])
    assert "送达方式：电子送达" in worker_proof and "送达日期：2026年9月20日" in worker_proof
    assert "签收方式：短信服务商的送达回执" in worker_proof and PHONE not in worker_proof
    issued = [
        e for e in await db.outbox("cn.labornet.arbitration.document.issued.v1") if e["kind"] == "proof_of_service"
    ]
    assert sorted(e["document_id"] for e in issued) == sorted(d["document_id"] for d in proofs.values())


async def test_failing_sms_retried_then_manual_service(db, ctx, mailbox) -> None:
    _box, smtp_port = mailbox
    provider = FakeSmsProvider()
    provider.fail = True
    async with provider as sms_url:
        sender = _sender(sms_url, smtp_port)
        case = await _awarded(db, ctx, consents=[("worker", "sms", None)])
        now = datetime.now(UTC)
        for attempt in range(3):  # 3 attempts, 1 s then 2 s apart
            await e_service.send_due(uow_factory=db.uow, cipher=CIPHER, sender=sender, now=now)
            now += timedelta(seconds=5)
    award = next(d for d in await _deliveries(db, case) if d["kind"] == "award")
    assert (award["status"], award["attempts"]) == ("failed", 3) and "503" in award["last_error"]
    assert provider.sent == []

    await e_service.record_manual(
        uow=db.uow(),
        ctx=ctx,
        principal=CLERK,
        application_id=case.application_id,
        delivery_id=award["delivery_id"],
        served_on=date(2026, 9, 25),
    )
    award = next(d for d in await _deliveries(db, case) if d["kind"] == "award")
    assert (award["status"], award["receipt"], award["served_on"]) == ("manual", "manual", date(2026, 9, 25))
    proof = await e_service_proof_text(db, case, award["proof_document_id"])
    assert "送达方式：直接送达" in proof and "送达日期：2026年9月25日" in proof and "送达人：clerk@4103" in proof
    found = await queries.get_application(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    # The worker served by hand on 09-25: its own window to 10-10 (a make-up workday, Sat). The
    # employer, who gave no consent, is not served yet: the award is not served as a whole.
    assert found.award["service"]["worker"]["suit_due_on"] == "2026-10-10"
    assert "employer" not in found.award["service"] and "served_on" not in found.award


async def test_a_receipt_racing_another_finds_the_delivery_served(db, ctx, database_url: str) -> None:
    """Two receipts of one delivery (the link opened on two devices): the second reads the
    delivery as sent, then waits on its row while the first commits; it serves nothing again and
    issues no second 送达回证."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite admits one writer at a time: the second receipt cannot read before the first commits")
    case = await _awarded(db, ctx, consents=[("employer", "email", "hr@example.com")])
    award = next(d for d in await _deliveries(db, case) if d["kind"] == "award")
    sender = _sender("http://127.0.0.1:9/unused", 9)
    delivery_id, signature = sender.link(award["delivery_id"]).rsplit("/", 2)[-2:]
    async with db.uow() as first:
        await e_service._receive(first, ctx, delivery_id, at=datetime(2026, 9, 19, 1, 0, tzinfo=UTC), receipt="link")
        second = asyncio.create_task(
            e_service.open_link(
                uow=db.uow(),
                ctx=ctx,
                sender=sender,
                delivery_id=delivery_id,
                signature=signature,
                now=datetime(2026, 9, 20, 1, 0, tzinfo=UTC),
            )
        )
        await asyncio.sleep(0.5)  # the second has read the delivery as sent and waits on its row
        assert not second.done()
        await first.commit()
    await second
    listed = await queries.documents_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    proofs = [d for d in listed if d["delivery_id"] == award["delivery_id"]]
    assert [(p["version"], p["issued_on"]) for p in proofs] == [(1, date(2026, 9, 19))]
    (served,) = [d for d in await _deliveries(db, case) if d["delivery_id"] == award["delivery_id"]]
    assert served["received_at"] == datetime(2026, 9, 19, 1, 0, tzinfo=UTC)
    found = await queries.get_application(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    assert found.award["service"]["employer"]["served_on"] == "2026-09-19"


async def test_a_sender_cut_off_mid_way_loses_nothing(db, ctx, mailbox) -> None:
    box, smtp_port = mailbox

    class Crash(Exception):
        pass

    class Dies:
        async def send(self, message):
            raise Crash  # the process died while sending: nothing written

    case = await _awarded(db, ctx, consents=[("employer", "email", "hr@example.com")])
    dying = e_service.Sender(channels={"email": Dies()}, public_url="http://gw", link_key=b"k", sms_secret=b"s")
    with pytest.raises(Crash):
        await e_service.send_due(uow_factory=db.uow, cipher=CIPHER, sender=dying, now=datetime.now(UTC))
    assert {d["status"] for d in await _deliveries(db, case)} == {"pending"}
    restarted = _sender("http://127.0.0.1:9/none", smtp_port)
    assert await e_service.send_due(uow_factory=db.uow, cipher=CIPHER, sender=restarted, now=datetime.now(UTC)) == 2
    assert len(box.messages) == 2 and {d["status"] for d in await _deliveries(db, case)} == {"sent"}


async def test_worker_prompts_sent_and_opt_out(db, ctx, mailbox) -> None:
    from labornet_arbitration.service import worker_prompts

    _box, smtp_port = mailbox
    provider = FakeSmsProvider()
    async with provider as sms_url:
        sender = _sender(sms_url, smtp_port)
        case = await _awarded(db, ctx, consents=[])
        listed = await worker_prompts.prompts_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
        assert [(p["stage"], p["status"]) for p in listed["prompts"]] == [("accepted", "pending")]
        assert (
            await worker_prompts.send_due(uow_factory=db.uow, cipher=CIPHER, sender=sender, now=datetime.now(UTC)) == 1
        )
        (sms,) = provider.sent
        assert sms["to"] == PHONE and "已受理" in sms["text"] and case.case_number in sms["text"]

        worker = Principal(subject="worker:1", roles=frozenset({Role.worker}), case_ids=frozenset({case.case_id}))
        await worker_prompts.set_opt_out(
            uow=db.uow(), principal=worker, application_id=case.application_id, opted_out=True
        )
        served = await steps.run(
            uow=db.uow(),
            principal=ARBITRATOR,
            application_id=case.application_id,
            step=steps.award_service(ctx, on=date(2026, 9, 20), today=date(2026, 9, 20)),
        )
        assert served.award["served_on"] == "2026-09-20"
        listed = await worker_prompts.prompts_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
        assert listed["opted_out"] and listed["prompts"][-1]["stage"] == "award_served"
        assert listed["prompts"][-1]["status"] == "opted_out"
        assert (
            await worker_prompts.send_due(uow_factory=db.uow, cipher=CIPHER, sender=sender, now=datetime.now(UTC)) == 0
        )
        assert len(provider.sent) == 1


async def test_the_workers_app_gets_a_signed_webhook_and_its_signed_receipt_serves_the_award(db, ctx) -> None:
    """The app channel: a Standard Webhook (verified by the receiver with the ``standardwebhooks``
    package) with a short notice and the signed link, never an ID number or the phone; a refused
    webhook is retried; the app's signed receipt serves the award on the worker (09-20: to 10-08)."""
    secret = generate_secret()
    async with WebhookReceiver(path="/app/hooks", status=503) as app:
        app.secret = secret
        sender = e_service.Sender(
            channels={"app": AppWebhookChannel(app.url, (secret,))},
            public_url="http://gateway.test",
            link_key=b"link-key",
            sms_secret=SMS_SECRET,
            app_secrets=(secret,),
            max_attempts=3,
            backoff_s=1.0,
        )
        case = await _awarded(db, ctx, consents=[("worker", "app", None)])
        now = datetime.now(UTC)
        assert await e_service.send_due(uow_factory=db.uow, cipher=CIPHER, sender=sender, now=now) == 0
        refused = [d for d in await _deliveries(db, case) if d["kind"] == "award"]
        assert [(d["status"], d["attempts"], d["last_error"]) for d in refused] == [("pending", 1, "app: HTTP 503")]
        app.status = 200
        assert (
            await e_service.send_due(uow_factory=db.uow, cipher=CIPHER, sender=sender, now=now + timedelta(seconds=5))
            == 2
        )
    assert app.rejected == 0
    award = next(d for d in await _deliveries(db, case) if d["kind"] == "award")
    (notice,) = [m for m in app.received if m["delivery_id"] == award["delivery_id"]]
    assert notice["case_id"] == case.case_id and notice["download_url"] == sender.link(award["delivery_id"])
    assert "仲裁裁决书" in notice["notice"] and PHONE not in json.dumps(notice, ensure_ascii=False)
    assert award["address_masked"] == "劳动者App"

    body = json.dumps({"delivery_id": award["delivery_id"], "at": "2026-09-20T09:00:00+08:00"}).encode()
    with refusal() as forged:
        e_service.verify_app_receipt(
            sender, body, build_headers(msg_id="r1", timestamp=1, payload=body, secrets=[secret])
        )
    assert forged.value.status == 401  # stale timestamp
    headers = build_headers(msg_id="r2", timestamp=int(datetime.now(UTC).timestamp()), payload=body, secrets=[secret])
    receipt = e_service.verify_app_receipt(sender, body, headers)
    assert await e_service.app_receipt(uow=db.uow(), ctx=ctx, receipt=receipt, now=datetime.now(UTC))
    found = await queries.get_application(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    assert found.award["service"]["worker"] == {
        "served_on": "2026-09-20",
        "suit_due_on": "2026-10-08",  # LDA Art. 48, 10-05 in the National Day holiday (民诉法 Art. 85)
        "set_aside_due_on": None,
    }
