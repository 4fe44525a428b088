"""Court callbacks in (裁审衔接): verified like our own webhooks, replay-protected, published
as court events on court.events.v1 for the service that owns the case."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from labornet_common.contracts.court import BY_KIND
from labornet_common.errors import FieldError, Problem, invalid
from labornet_common.events import utcnow
from labornet_common.uow import UnitOfWork
from labornet_common.webhooks import WebhookVerificationError, verify
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
    case_id: str = Field(min_length=1, max_length=100)
    court_name: str = Field(min_length=1, max_length=200)
    court_case_number: str = Field(default="", max_length=100)
    occurred_on: date
    division_code: str = Field(default="", pattern=r"^(\d{6})?$")
    outcome: str = Field(default="", max_length=200)


def verified_callback(*, headers: dict[str, str], body: bytes, secrets: list[str], tolerance_s: int) -> CourtCallback:
    if not secrets:
        raise Problem(503, "unavailable", "court callbacks are not configured")
    try:
        verify(headers=headers, payload=body, secrets=secrets, tolerance_s=tolerance_s)
    except WebhookVerificationError as exc:
        raise Problem(401, "unauthorized", f"webhook signature: {exc}") from exc
    try:
        return CourtCallback.model_validate_json(body)
    except ValidationError as exc:
        errors = [FieldError.of(".".join(str(p) for p in e["loc"]) or "body", e["type"]) for e in exc.errors()]
        raise invalid(*errors) from exc


async def accept_callback(*, uow: UnitOfWork, webhook_id: str, callback: CourtCallback) -> bool:
    """Publish the court event once; False when this webhook-id was already accepted."""
    async with uow:
        seen = await uow.session.scalar(select(inbound.c.webhook_id).where(inbound.c.webhook_id == webhook_id))
        if seen is not None:
            return False
        event_cls = BY_KIND[callback.kind]
        uow.record(
            callback.case_id,
            event_cls(**callback.model_dump(), callback_id=webhook_id),
        )
        await uow.session.execute(insert(inbound).values(webhook_id=webhook_id, received_at=utcnow()))
        try:
            await uow.commit()
        except IntegrityError:
            return False  # the same callback, accepted concurrently
    return True
