"""The channels of electronic service behind one interface: e-mail over SMTP (aiosmtplib), an
HTTP SMS gateway, and the worker's app (a signed webhook to the app's endpoint). A channel sends
one message and answers the provider's id, or raises ChannelFailed; receipts come back separately
(the download link, the SMS gateway's callback, the app's signed callback)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import httpx

from labornet_common.security.webhooks import build_headers


class ChannelFailed(Exception):
    """The message did not leave; the delivery is tried again later, then falls back."""


@dataclass(frozen=True)
class Message:
    delivery_id: str
    to: str
    subject: str
    text: str
    link: str = ""  # the signed download link (also in the text, for the channels that carry text only)
    case_number: str = ""


class Channel(Protocol):
    async def send(self, message: Message) -> str | None: ...


@dataclass(frozen=True)
class SmtpChannel:
    host: str
    port: int
    sender: str
    timeout_s: float = 10.0

    async def send(self, message: Message) -> str | None:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, message.to, message.subject
        mail["Message-ID"] = f"<{message.delivery_id}@labornet>"
        mail.set_content(message.text)
        try:
            await aiosmtplib.send(mail, hostname=self.host, port=self.port, timeout=self.timeout_s)
        except (aiosmtplib.SMTPException, OSError) as error:
            raise ChannelFailed(f"smtp: {error}"[:300]) from None
        return mail["Message-ID"]


@dataclass(frozen=True)
class HttpSmsChannel:
    """POST {url} with ``{"to", "text", "reference"}``; the gateway answers ``{"message_id"}`` and
    later calls the receipt endpoint with the reference (the delivery id)."""

    url: str
    timeout_s: float = 10.0

    async def send(self, message: Message) -> str | None:
        body = {"to": message.to, "text": message.text, "reference": message.delivery_id}
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                answer = await client.post(self.url, json=body)
        except httpx.HTTPError as error:
            raise ChannelFailed(f"sms: {type(error).__name__}") from None
        if answer.status_code >= 300:
            raise ChannelFailed(f"sms: HTTP {answer.status_code}")
        try:
            return str(answer.json().get("message_id") or "") or None
        except ValueError:
            return None


@dataclass(frozen=True)
class AppWebhookChannel:
    """The worker's app: POST {url} signed as a Standard Webhook (webhook-id is the delivery id, so
    a retry is recognisably the same message) with a short notice and the signed download link,
    never an ID number or the document itself. ``to`` is the case id the worker's app signed in
    to (the worker token's case). The app answers 2xx, and later posts its signed receipt."""

    url: str
    secrets: tuple[str, ...]
    timeout_s: float = 10.0

    async def send(self, message: Message) -> str | None:
        payload = json.dumps(
            {
                "type": "arbitration.document.served",
                "delivery_id": message.delivery_id,
                "case_id": message.to,
                "case_number": message.case_number,
                "title": message.subject,
                "notice": message.text,
                "download_url": message.link,
            },
            ensure_ascii=False,
        ).encode()
        headers = build_headers(
            msg_id=message.delivery_id, timestamp=int(time.time()), payload=payload, secrets=self.secrets
        )
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                answer = await client.post(
                    self.url, content=payload, headers={**headers, "content-type": "application/json"}
                )
        except httpx.HTTPError as error:
            raise ChannelFailed(f"app: {type(error).__name__}") from None
        if answer.status_code >= 300:
            raise ChannelFailed(f"app: HTTP {answer.status_code}")
        return message.delivery_id
