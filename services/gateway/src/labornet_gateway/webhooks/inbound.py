"""Court callbacks in (裁审衔接): verified like our own webhooks, replay-protected, published
as court events on court.events.v1 for the service that owns the case.

A callback names the case by the court's key, the docket number (案号), by LaborNet's case id,
or by both (which must agree). The case must be in the case index and inside the regions of the
court whose secret signed the callback; otherwise it is refused before anything is stored, so
the court may correct it and send it again under the same webhook-id."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from labornet_common.contracts.court import BY_KIND
from labornet_common.contracts.events import utcnow
from labornet_common.platform.errors import FieldError, Problem, invalid
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.webhooks import WebhookVerificationError, verify
from labornet_gateway.service.case_index import resolve
from labornet_gateway.webhooks.settings import CourtSender
from labornet_gateway.webhooks.tables import inbound

CourtKind = Literal[
    "lawsuit_filed",
    "set_aside_applied",
    "set_aside_decided",
    "enforcement_applied",
    "judicial_confirmation",
    "payment_order",
]


class CourtCallback(BaseModel):
    kind: CourtKind
    case_id: str | None = Field(default=None, min_length=1, max_length=100, description="LaborNet's case id")
    case_number: str | None = Field(
        default=None, min_length=1, max_length=100, description="docket number (案号), e.g. 洛劳人仲案字〔2026〕第12号"
    )
    party: Literal["worker", "employer"] | None = Field(default=None, description="the party who acted")
    court_name: str = Field(min_length=1, max_length=200)
    court_case_number: str = Field(default="", max_length=100)
    occurred_on: date
    division_code: str = Field(default="", pattern=r"^(\d{6})?$")
    outcome: str = Field(default="", max_length=200)
    ruling_id: str = Field(
        default="",
        pattern=r"^[0-9a-f]{0,40}$",
        description="a partial award (先行裁决) or 先予执行 ruling of the case the event is about; empty: the award",
    )


def _signed_by(*, headers: dict[str, str], body: bytes, senders: list[CourtSender], tolerance_s: int) -> CourtSender:
    """The sender whose secret signed the callback."""
    failure = WebhookVerificationError("no_matching_signature")
    for sender in senders:
        try:
            verify(headers=headers, payload=body, secrets=sender.secrets, tolerance_s=tolerance_s)
            return sender
        except WebhookVerificationError as exc:
            if exc.reason != "no_matching_signature":
                failure = exc  # malformed or stale: no other secret makes it right
                break
    raise Problem(401, "unauthorized", f"webhook signature: {failure}")


# A message id as Standard Webhooks senders make them (msg_…, UUIDs): no spaces or controls.
WEBHOOK_ID = re.compile(r"[A-Za-z0-9_.:\-]{1,200}")


def verified_callback(
    *, headers: dict[str, str], body: bytes, senders: list[CourtSender], tolerance_s: int
) -> tuple[CourtCallback, CourtSender]:
    """The callback and the court that signed it; 401 unless signed, 422 for bad fields."""
    if not senders:
        raise Problem(503, "unavailable", "court callbacks are not configured")
    sender = _signed_by(headers=headers, body=body, senders=senders, tolerance_s=tolerance_s)
    if not WEBHOOK_ID.fullmatch(headers.get("webhook-id", "")):
        # It keys the callback's exactly-once record (200 characters): refuse, never truncate.
        raise invalid(FieldError.of("webhook-id", "court.webhook_id_invalid"))
    try:
        callback = CourtCallback.model_validate_json(body)
    except ValidationError as exc:
        errors = [FieldError.of(".".join(str(p) for p in e["loc"]) or "body", e["type"]) for e in exc.errors()]
        raise invalid(*errors) from exc
    if not (callback.case_id or callback.case_number):
        raise invalid(FieldError.of("case_number", "court.case_key_missing"))
    return callback, sender


async def accept_callback(*, uow: UnitOfWork, webhook_id: str, callback: CourtCallback, sender: CourtSender) -> bool:
    """Publish the court event once, about the case it names inside the sender's regions;
    False when this webhook-id was already accepted. A refusal (404, 422) stores nothing."""
    async with uow:
        seen = await uow.session.scalar(select(inbound.c.webhook_id).where(inbound.c.webhook_id == webhook_id))
        if seen is not None:
            return False
        case = await resolve(
            session=uow.session, scopes=sender.regions, case_id=callback.case_id, case_number=callback.case_number
        )
        fields = callback.model_dump(exclude={"case_id", "case_number"})
        number = callback.case_number or case.case_number or ""
        event_cls = BY_KIND[callback.kind]
        uow.record(case.case_id, event_cls(**fields, case_id=case.case_id, case_number=number, callback_id=webhook_id))
        await uow.session.execute(insert(inbound).values(webhook_id=webhook_id, received_at=utcnow()))
        try:
            await uow.commit()
        except IntegrityError:
            return False  # the same callback, accepted concurrently
    return True
