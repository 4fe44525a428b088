"""The channels of electronic service behind one interface: e-mail over SMTP (aiosmtplib) and an
HTTP SMS gateway. A channel sends one message and answers the provider's id, or raises
ChannelFailed; receipts come back separately (the download link, the SMS gateway's callback)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import httpx


class ChannelFailed(Exception):
    """The message did not leave; the delivery is tried again later, then falls back."""


@dataclass(frozen=True)
class Message:
    delivery_id: str
    to: str
    subject: str
    text: str


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
