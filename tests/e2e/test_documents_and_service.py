"""Documents and electronic service end to end, every service a real process, everything through
the gateway, the arbitration sender in its own worker process. A direct application with the
worker's phone; the worker consents to SMS and the employer to e-mail. The acceptance notice goes
to a real local SMTP server (aiosmtpd) and to a fake SMS provider that posts its delivery
receipts back asynchronously; the employer opens the e-mailed link (the read receipt). The sender
is stopped, the award issued (its PDF's text checked with pypdf), and the deliveries wait in the
database; the sender restarted sends them: the SMS is received (the provider reports 2026-09-20),
the e-mail is refused by the SMTP server, retried and marked failed, and staff record manual
service on 2026-09-20. The award is served that day: the suit window (LDA Art. 48) ends on
2026-10-08, past the National Day holiday, and the set-aside window (Art. 49) on 2026-10-20."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import json
import re
import socket
import uuid
from email import message_from_bytes
from email.policy import default as email_policy
from pathlib import Path

import httpx
import pypdf
import pytest
from aiosmtpd.controller import Controller

from labornet_common.testing.api import eventually, sign_in
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

SMS_SECRET = "e2e-sms-secret"
PHONE = "13812341234"
AWARD_RECEIVED_AT = "2026-09-20T10:00:00+08:00"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """aiosmtpd's handler: keeps each message; refuses awards while ``refuse_awards``."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str, str]] = []
        self.refuse_awards = False
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        mail = message_from_bytes(envelope.content, policy=email_policy)
        if self.refuse_awards and "仲裁裁决书" in str(mail["Subject"]):
            self.refused += 1
            return "554 mailbox unavailable"
        self.messages.append((list(envelope.rcpt_tos), str(mail["Subject"]), mail.get_content()))
        return "250 OK"


class FakeSmsProvider:
    """POST /send {"to", "text", "reference"} -> {"message_id"}; a moment later it posts the
    signed delivery receipt to the gateway, as SMS gateways do."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.receipts_to = ""
        self.server: asyncio.Server | None = None
        self.tasks: set[asyncio.Task] = set()

    async def _receipt(self, body: dict) -> None:
        await asyncio.sleep(0.3)
        at = AWARD_RECEIVED_AT if "仲裁裁决书" in body["text"] else None
        payload = json.dumps({"reference": body["reference"], "status": "delivered", "at": at}).encode()
        signature = hmac.new(SMS_SECRET.encode(), payload, hashlib.sha256).hexdigest()
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.post(self.receipts_to, content=payload, headers={"X-Sms-Signature": signature})
            assert answer.status_code == 204, answer.text

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length"))
        body = json.loads(await reader.readexactly(length))
        self.sent.append(body)
        payload = json.dumps({"message_id": f"m-{len(self.sent)}"}).encode()
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: "
            + str(len(payload)).encode()
            + b"\r\n\r\n"
            + payload
        )
        await writer.drain()
        writer.close()
        task = asyncio.create_task(self._receipt(body))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/send"

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


async def test_award_served_electronically_and_by_hand(db_backend: str, broker: str, tmp_path: Path) -> None:
    mailbox, sms = Mailbox(), FakeSmsProvider()
    smtp_port = _free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    sms_url = await sms.start()
    env = {
        "LABORNET_E_SERVICE_SMTP_PORT": str(smtp_port),
        "LABORNET_E_SERVICE_SMS_URL": sms_url,
        "LABORNET_E_SERVICE_SMS_SECRET": SMS_SECRET,
        "LABORNET_E_SERVICE_BACKOFF_S": "0.2",
        "LABORNET_E_SERVICE_POLL_S": "0.2",
    }
    try:
        async with running_stack(
            backend=db_backend, broker=broker, workdir=tmp_path, extra_env=env, workers=["arbitration"]
        ) as stack:
            # The provider posts its receipts to the gateway (known once the stack has its ports).
            sms.receipts_to = f"{stack.gateway}/api/v1/arbitration/e-service/sms-receipts"
            async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
                await _scenario(client, stack, mailbox, sms)
    finally:
        await sms.stop()
        smtp.stop()


async def _scenario(client: httpx.AsyncClient, stack, mailbox: Mailbox, sms: FakeSmsProvider) -> None:
    clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
    arbitrator = await sign_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")
    filed = await client.post(
        "/api/v1/arbitration/applications",
        json={
            "commission_id": "arb-4103",
            "workplace_division": "410311",
            "worker_name": "王师傅",
            "worker_phone": PHONE,
            "employer_name": "洛阳某建筑工程有限公司",
            "claims": [{"category": "labor_remuneration", "amount_fen": 1_860_000}],
            "received_on": "2026-09-01",
        },
        headers={**clerk, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert filed.status_code == 201, filed.text
    url = f"/api/v1/arbitration/applications/{filed.json()['application_id']}"
    worker = await client.put(f"{url}/e-service/consents/worker", json={"channel": "sms"}, headers=clerk)
    assert worker.status_code == 200 and worker.json()["address_masked"] == "138****1234", worker.text
    employer = await client.put(
        f"{url}/e-service/consents/employer", json={"channel": "email", "email": "hr@example.com"}, headers=clerk
    )
    assert employer.status_code == 200, employer.text

    # Acceptance: the notice goes out by e-mail and SMS; the SMS receipt comes back by itself.
    assert (await client.post(f"{url}/accept", json={"on": "2026-09-02"}, headers=clerk)).status_code == 200

    async def deliveries() -> list[dict]:
        return (await client.get(f"{url}/e-service", headers=clerk)).json()["deliveries"]

    def of(kind: str, party: str, rows: list[dict]) -> dict:
        return next(d for d in rows if d["kind"] == kind and d["party"] == party)

    rows = await eventually(deliveries, lambda r: of("acceptance_notice", "worker", r)["status"] == "received")
    assert of("acceptance_notice", "worker", rows)["receipt"] == "sms_receipt"
    (to, subject, text) = await eventually(lambda: _first(mailbox), bool)
    assert to == ["hr@example.com"] and "受理通知书" in subject and "身份证" not in text
    link = re.search(r"(http\S+/e-service/\S+?) ", text)
    assert link is not None and link.group(1).startswith("http://127.0.0.1:8000/api/v1/")  # the public address
    path = "/api/v1/" + link.group(1).split("/api/v1/", 1)[1]  # the same path at this stack's gateway
    opened = await client.get(path)  # no sign-in: the signed link is the key
    assert opened.status_code == 200 and opened.headers["content-type"] == "application/pdf"
    assert "受理通知书" in _pdf_text(opened.content)
    rows = await deliveries()
    assert (
        of("acceptance_notice", "employer", rows)["status"],
        of("acceptance_notice", "employer", rows)["receipt"],
    ) == (
        "received",
        "link",
    )

    # The sender stops; the award is issued; its deliveries wait in the database.
    worker_process = stack.processes["arbitration-worker"]
    worker_process.kill()
    worker_process.wait(timeout=15)
    tribunal = {"mode": "sole", "members": [{"arbitrator_id": "arbr-4103-01", "role": "sole"}], "on": "2026-09-03"}
    assert (await client.post(f"{url}/tribunal", json=tribunal, headers=arbitrator)).status_code == 200
    award_body = {"items": [{"category": "labor_remuneration", "amount_fen": 1_860_000}], "on": "2026-09-18"}
    awarded = await client.post(f"{url}/award", json=award_body, headers=arbitrator)
    assert awarded.status_code == 200, awarded.text
    rows = await deliveries()
    assert {of("award", p, rows)["status"] for p in ("worker", "employer")} == {"pending"}
    documents = (await client.get(f"{url}/documents", headers=clerk)).json()
    award_doc = next(d for d in documents if d["kind"] == "award")
    pdf = await client.get(f"{url}/documents/{award_doc['document_id']}/pdf", headers=arbitrator)
    assert pdf.status_code == 200
    award_text = _pdf_text(pdf.content)
    assert "仲裁裁决书" in award_text and "18,600.00元" in award_text and "本裁决第一项为终局裁决" in award_text
    assert "第四十九条" in award_text

    # The sender restarted: the SMS goes and is received; the e-mail is refused three times.
    mailbox.refuse_awards = True
    stack.start("arbitration-worker")
    rows = await eventually(
        deliveries,
        lambda r: of("award", "worker", r)["status"] == "received" and of("award", "employer", r)["status"] == "failed",
        timeout_s=60,
    )
    worker_award, employer_award = of("award", "worker", rows), of("award", "employer", rows)
    assert worker_award["served_on"] == "2026-09-20" and worker_award["receipt"] == "sms_receipt"
    assert employer_award["attempts"] == 3 and mailbox.refused == 3 and "554" in employer_award["last_error"]
    assert not (await client.get(url, headers=clerk)).json()["award"].get("served_on")  # the employer lacks it

    # The arbitrator sees the failure on the console and records manual service (送达回证).
    console = await Console.signed_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")
    page_path = f"/console/arbitration/applications/{filed.json()['application_id']}"
    shown = await console.get(page_path)
    assert shown.status_code == 200
    assert "仲裁裁决书" in shown.text and "发送失败，需人工送达" in shown.text and "短信送达回执" in shown.text
    assert "hr@example.com" not in shown.text and PHONE not in shown.text  # masked
    download = re.search(r'href="(/console/arbitration/applications/[^"]+\.pdf)"', shown.text)
    assert download is not None
    pdf_from_console = await console.get(download.group(1))
    assert pdf_from_console.status_code == 200 and pdf_from_console.content.startswith(b"%PDF")
    manual = await console.post(
        f"{page_path}/deliveries/{employer_award['delivery_id']}/manual",
        {"served_on": "2026-09-20", "manner": "post"},
        form_page=page_path,
    )
    assert manual.status_code == 303, manual.text
    served_page = (await console.get(page_path)).text
    assert "已人工送达" in served_page

    # Beside each served delivery its 送达回证 (the SMS receipt's and the posted one's), as a PDF.
    def proof_link(delivery_id: str) -> str:
        row = re.search(rf'data-delivery-id="{delivery_id}".*?</tr>', served_page, re.S)
        link = re.search(r'href="([^"]+\.pdf)" data-testid="delivery-proof"', row.group(0)) if row else None
        assert link is not None, delivery_id
        return link.group(1)

    assert proof_link(worker_award["delivery_id"]) != proof_link(employer_award["delivery_id"])
    posted = await console.get(proof_link(employer_award["delivery_id"]))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(posted.content)).pages)
    assert "送达回证" in text and "送达方式：邮寄送达" in text and "送达日期：2026年9月20日" in text
    award = (await client.get(url, headers=clerk)).json()["award"]
    # Served 2026-09-20: 15 days end 10-05, inside the National Day holiday, so 10-08 (民诉法
    # Art. 85); 30 days end 10-20, a Tuesday.
    assert (award["served_on"], award["suit_due_on"], award["set_aside_due_on"]) == (
        "2026-09-20",
        "2026-10-08",
        "2026-10-20",
    )
    assert sum(1 for m in sms.sent if "仲裁裁决书" in m["text"]) == 1  # sent once, nothing lost or repeated
    # The worker's prompts by SMS: accepted, then the award served with the last day to sue.
    prompts = await eventually(
        lambda: _texts(sms), lambda texts: any("10月8日前向人民法院起诉" in t for t in texts), timeout_s=30
    )
    # No ID number in them; the links' signatures are hexadecimal and may hold 18 digits in a row.
    words = [re.sub(r"https?://\S+", "", t) for t in prompts]
    assert any("已受理" in t for t in words) and not any(re.search(r"\d{17}[\dX]", t) for t in words)


class Console:
    """A signed-in console session (cookies kept by hand: plain http)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client, self.cookies = client, {}

    def _keep(self, r: httpx.Response) -> None:
        for header in r.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]

    def _cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def get(self, path: str) -> httpx.Response:
        r = await self.client.get(path, headers={"cookie": self._cookie()})
        self._keep(r)
        return r

    async def post(self, path: str, data: dict[str, str], *, form_page: str) -> httpx.Response:
        page = await self.get(form_page)
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert token, page.text[:500]
        r = await self.client.post(
            path, data={**data, "csrf_token": token.group(1)}, headers={"cookie": self._cookie()}
        )
        self._keep(r)
        return r

    @classmethod
    async def signed_in(cls, client: httpx.AsyncClient, username: str, password: str) -> Console:
        console = cls(client)
        r = await console.post(
            "/console/login",
            {"username": username, "password": password, "next": "/console/"},
            form_page="/console/login",
        )
        assert r.status_code == 303, r.text
        return console


async def _texts(sms: FakeSmsProvider) -> list[str]:
    return [m["text"] for m in sms.sent]


async def _first(mailbox: Mailbox):
    return mailbox.messages[0] if mailbox.messages else None


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
