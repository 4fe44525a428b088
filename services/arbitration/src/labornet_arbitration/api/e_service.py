"""Electronic service (电子送达): consent, deliveries and their receipts, re-sending and manual service.

The parties' links (``GET /api/v1/arbitration/e-service/{delivery_id}/{signature}``) and the SMS
gateway's receipts need no sign-in: the link is signed, the receipt carries ``X-Sms-Signature``
(HMAC-SHA-256 of the body under ``LABORNET_E_SERVICE_SMS_SECRET``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from labornet_arbitration.api.deps import ContextDep
from labornet_arbitration.domain import e_service as rules
from labornet_arbitration.service import documents as documents_service
from labornet_arbitration.service import e_service, worker_prompts
from labornet_common.platform.app import RuntimeDep, UowDep
from labornet_common.security.api_auth import CurrentPrincipal, OptionalPrincipal
from labornet_common.security.pii import PiiCipherDep

router = APIRouter(prefix="/api/v1/arbitration", tags=["arbitration"])
CASE = "/applications/{application_id}/e-service"


def get_sender(runtime: RuntimeDep) -> e_service.Sender:
    sender: e_service.Sender | None = runtime.context.sender
    assert sender is not None  # main.py builds the context with it
    return sender


SenderDep = Annotated[e_service.Sender, Depends(get_sender)]


class ConsentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: Literal["email", "sms", "app"] = Field(
        description="email, sms (the phone on file) or app (the worker's app, through the deployment's signed webhook)"
    )
    email: str | None = Field(default=None, max_length=254, description="for e-mail; SMS goes to the phone on file")


class ConsentRead(BaseModel):
    party: str
    channel: str
    address_masked: str


class DeliveryRead(BaseModel):
    delivery_id: str
    document_id: str
    kind: str
    party: str
    channel: str
    address_masked: str
    status: str = Field(description="pending, sent, received, failed (every attempt failed: serve by hand), manual")
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    sent_at: datetime | None
    received_at: datetime | None
    receipt: str | None = Field(description="link (read receipt), sms_receipt (the provider's), manual (送达回证)")
    served_on: date | None = Field(description="the service date the law counts: the day of receipt in China")
    served_by: str | None
    proof_document_id: str | None = Field(
        default=None, description="the 送达回证 of this service (…/documents/{id}/pdf), once the party is served"
    )


class EServiceRead(BaseModel):
    consents: list[ConsentRead]
    deliveries: list[DeliveryRead]


class ManualService(BaseModel):
    model_config = ConfigDict(extra="forbid")
    served_on: date = Field(description="the day the 送达回证 was signed (邮寄: the day on the postal receipt)")
    manner: Literal["direct", "left", "post"] = Field(
        default="direct",
        description="direct (直接送达, 民诉法 Art. 88), left (留置送达, Art. 89) or post (邮寄送达, Art. 91)",
    )
    remarks: str | None = Field(
        default=None, max_length=200, description="printed on the 送达回证, e.g. the witnesses of a 留置送达"
    )


def _read(found: dict[str, list[dict[str, Any]]]) -> EServiceRead:
    rows = []
    for d in found["deliveries"]:
        served_on = d["served_on"] or (rules.service_date(d["received_at"]) if d["received_at"] else None)
        rows.append(DeliveryRead.model_validate({**d, "served_on": served_on}))
    return EServiceRead(consents=[ConsentRead.model_validate(c) for c in found["consents"]], deliveries=rows)


@router.put(CASE + "/consents/{party}", response_model=ConsentRead)
async def give_consent(
    application_id: str,
    party: Literal["worker", "employer"],
    body: ConsentCreate,
    who: CurrentPrincipal,
    uow: UowDep,
    cipher: PiiCipherDep,
) -> ConsentRead:
    """A party consents to electronic service on one channel (民诉法 Art. 90); the worker with the
    worker token for themself, staff recording a party's written consent."""
    given = await e_service.give_consent(
        uow=uow,
        cipher=cipher,
        principal=who,
        application_id=application_id,
        party=party,
        channel=body.channel,
        email=body.email,
    )
    return ConsentRead.model_validate(given)


@router.delete(CASE + "/consents/{party}", status_code=204)
async def withdraw_consent(
    application_id: str, party: Literal["worker", "employer"], who: CurrentPrincipal, uow: UowDep
) -> Response:
    """Consent withdrawn: later documents are served by other means."""
    await e_service.withdraw_consent(uow=uow, principal=who, application_id=application_id, party=party)
    return Response(status_code=204)


@router.get(CASE, response_model=EServiceRead)
async def read_e_service(application_id: str, who: CurrentPrincipal, uow: UowDep) -> EServiceRead:
    """Consents and every delivery with its status, attempts and receipt."""
    return _read(await e_service.deliveries_of(uow=uow, principal=who, application_id=application_id))


@router.post(CASE + "/deliveries/{delivery_id}/manual", response_model=EServiceRead)
async def manual_service(
    application_id: str, delivery_id: str, body: ManualService, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> EServiceRead:
    """Served by hand, left or posted (the fallback when electronic service failed): recorded with
    its 送达回证, listed among the documents and named by the delivery's ``proof_document_id``."""
    await e_service.record_manual(
        uow=uow,
        ctx=ctx,
        principal=who,
        application_id=application_id,
        delivery_id=delivery_id,
        served_on=body.served_on,
        manner=body.manner,
        remarks=body.remarks,
    )
    return _read(await e_service.deliveries_of(uow=uow, principal=who, application_id=application_id))


@router.post(CASE + "/deliveries/{delivery_id}/resend", response_model=EServiceRead)
async def resend(application_id: str, delivery_id: str, who: CurrentPrincipal, uow: UowDep) -> EServiceRead:
    """Send again now, attempts counted afresh."""
    await e_service.resend(uow=uow, principal=who, application_id=application_id, delivery_id=delivery_id)
    return _read(await e_service.deliveries_of(uow=uow, principal=who, application_id=application_id))


@router.get(
    "/e-service/{delivery_id}/{signature}",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the document served"}},
)
async def open_link(
    delivery_id: str, signature: str, _who: OptionalPrincipal, uow: UowDep, ctx: ContextDep, sender: SenderDep
) -> Response:
    """The party's download link: opening it is the read receipt, and its day the service date."""
    row = await e_service.open_link(
        uow=uow, ctx=ctx, sender=sender, delivery_id=delivery_id, signature=signature, now=datetime.now(UTC)
    )
    font = documents_service.font()
    async with uow:
        from labornet_arbitration.adapters import documents_store

        row = await documents_store.render_missing(session=uow.session, row=row, font=font)
        await uow.commit()
    name = quote(f"{row['title']}-{row['number']}.pdf")
    return Response(
        content=row["content"],
        media_type="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}", "Cache-Control": "private, no-store"},
    )


@router.post("/e-service/sms-receipts", status_code=204)
async def sms_receipt(
    request: Request,
    _who: OptionalPrincipal,
    uow: UowDep,
    ctx: ContextDep,
    sender: SenderDep,
    x_sms_signature: Annotated[str | None, Header()] = None,
) -> Response:
    """The SMS gateway's delivery receipt: ``{"reference", "status": delivered|undelivered, "at"}``."""
    receipt = e_service.verify_sms_receipt(sender, await request.body(), x_sms_signature)
    await e_service.sms_receipt(uow=uow, ctx=ctx, sender=sender, receipt=receipt, now=datetime.now(UTC))
    return Response(status_code=204)


@router.post("/e-service/app-receipts", status_code=204)
async def app_receipt(
    request: Request, _who: OptionalPrincipal, uow: UowDep, ctx: ContextDep, sender: SenderDep
) -> Response:
    """The worker's app received a document: ``{"delivery_id", "at"}``, a Standard Webhook signed
    with the app's secret (401 otherwise); the day of receipt in China is the service date."""
    receipt = e_service.verify_app_receipt(sender, await request.body(), request.headers)
    await e_service.app_receipt(uow=uow, ctx=ctx, receipt=receipt, now=datetime.now(UTC))
    return Response(status_code=204)


class PromptRead(BaseModel):
    stage: str = Field(description="accepted, hearing, award_served")
    text: str
    status: str = Field(description="pending, sent, failed, limited (too many in 24 hours), opted_out")
    attempts: int
    created_at: datetime
    sent_at: datetime | None


class PromptsRead(BaseModel):
    opted_out: bool
    prompts: list[PromptRead]


class OptOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    opted_out: bool = Field(description="true: no more prompts (退订); false: prompts again")


@router.get("/applications/{application_id}/worker-prompts", response_model=PromptsRead)
async def read_prompts(application_id: str, who: CurrentPrincipal, uow: UowDep) -> PromptsRead:
    """The SMS prompts to the worker (accepted, hearing, award served and the last day to sue)."""
    return PromptsRead.model_validate(
        await worker_prompts.prompts_of(uow=uow, principal=who, application_id=application_id)
    )


@router.put("/applications/{application_id}/worker-prompts/opt-out", response_model=PromptsRead)
async def opt_out(application_id: str, body: OptOut, who: CurrentPrincipal, uow: UowDep) -> PromptsRead:
    """The worker opts out of prompts (or back in); prompts not yet sent are not sent."""
    await worker_prompts.set_opt_out(uow=uow, principal=who, application_id=application_id, opted_out=body.opted_out)
    return PromptsRead.model_validate(
        await worker_prompts.prompts_of(uow=uow, principal=who, application_id=application_id)
    )
