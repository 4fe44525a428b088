"""Court callbacks in: signature verified (malformed → 401, never 500), replays absorbed,
one court event per callback in the gateway's outbox, about a case the gateway knows."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from labornet_common.contracts.events import Envelope
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.webhooks import generate_secret
from labornet_common.testing.refusals import refusal
from labornet_gateway.adapters.orm import messaging, metadata
from labornet_gateway.service.case_index import index_event
from labornet_gateway.webhooks.inbound import accept_callback, verified_callback
from labornet_gateway.webhooks.settings import CourtSender

SECRET = generate_secret()
SENDERS = [CourtSender(name="court", regions=["*"], secrets=[SECRET])]
BODY = (
    b'{"kind":"lawsuit_filed","case_id":"case-42","court_name":"\xe6\xb4\x9b\xe9\x98\xb3\xe5\xb8\x82'
    b'\xe6\xb4\x9b\xe9\xbe\x99\xe5\x8c\xba\xe4\xba\xba\xe6\xb0\x91\xe6\xb3\x95\xe9\x99\xa2",'
    b'"court_case_number":"(2026)\xe8\xb1\xab0311\xe6\xb0\x91\xe5\x88\x9d1234\xe5\x8f\xb7",'
    b'"occurred_on":"2026-11-20","division_code":"410311"}'
)


ACCEPTED = Envelope(
    id="e-accepted",
    type="cn.labornet.arbitration.application.accepted.v1",
    source="/labornet/arbitration",
    subject="case-42",
    sequence=2,
    data={
        "case_id": "case-42",
        "application_id": "app-42",
        "division_code": "410311",
        "commission_id": "arb-4103",
        "case_number": "洛劳人仲案字〔2026〕第7号",
        "accepted_on": "2026-11-18",
        "award_due_on": "2027-01-04",
    },
)


def _signed(body: bytes = BODY, msg_id: str = "msg_court_1") -> dict[str, str]:
    ts = datetime.now(UTC)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(ts.timestamp())),
        "webhook-signature": Webhook(SECRET).sign(msg_id, ts, body.decode()),
    }


def test_a_correctly_signed_callback_is_parsed() -> None:
    cb, sender = verified_callback(headers=_signed(), body=BODY, senders=SENDERS, tolerance_s=300)
    assert sender.name == "court"
    assert cb.kind == "lawsuit_filed" and cb.court_name == "洛阳市洛龙区人民法院"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"webhook-id": "x", "webhook-timestamp": "not-a-number", "webhook-signature": "v1,abc"},
        {"webhook-id": "x", "webhook-timestamp": str(int(time.time())), "webhook-signature": "garbage"},
        {"webhook-id": "x", "webhook-timestamp": str(int(time.time())), "webhook-signature": "v1,%%%"},
        {"webhook-id": "x", "webhook-timestamp": str(int(time.time()) - 3600), "webhook-signature": "v1,AAAA"},
    ],
)
def test_bad_or_malformed_signatures_are_401(headers) -> None:
    with refusal() as caught:
        verified_callback(headers=headers, body=BODY, senders=SENDERS, tolerance_s=300)
    assert caught.value.status == 401


def test_tampered_body_is_401_and_bad_fields_are_422() -> None:
    with refusal() as caught:
        verified_callback(
            headers=_signed(), body=BODY.replace(b"case-42", b"case-43"), senders=SENDERS, tolerance_s=300
        )
    assert caught.value.status == 401
    bad = b'{"kind":"verdict","case_id":"c","court_name":"x","occurred_on":"2026-13-01"}'
    with refusal() as caught:
        verified_callback(headers=_signed(bad), body=bad, senders=SENDERS, tolerance_s=300)
    assert caught.value.status == 422
    assert {e.field for e in caught.value.errors} == {"kind", "occurred_on"}


async def test_a_callback_delivered_twice_publishes_one_court_event(database_url: str) -> None:
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    try:
        cb, sender = verified_callback(headers=_signed(), body=BODY, senders=SENDERS, tolerance_s=300)

        def uow() -> UnitOfWork:
            return UnitOfWork(session_factory(engine), messaging, source="/labornet/gateway")

        async with uow() as u:  # the gateway learnt of the case from arbitration's acceptance
            await index_event(u, ACCEPTED, ACCEPTED.data)
            await u.commit()
        assert await accept_callback(uow=uow(), webhook_id="msg_court_1", callback=cb, sender=sender) is True
        assert await accept_callback(uow=uow(), webhook_id="msg_court_1", callback=cb, sender=sender) is False
        async with engine.connect() as conn:
            rows = (await conn.execute(select(messaging.outbox))).all()
        assert len(rows) == 1
        assert rows[0].event_type == "cn.labornet.court.lawsuit_filed.v1"
        assert rows[0].topic == "court.events.v1" and rows[0].partition_key == "case-42"
        assert rows[0].data["callback_id"] == "msg_court_1"
        assert rows[0].data["case_number"] == "洛劳人仲案字〔2026〕第7号"  # the court named the id: both keys go out
    finally:
        await engine.dispose()


def test_a_callback_naming_no_case_is_422_naming_the_docket_number() -> None:
    body = b'{"kind":"lawsuit_filed","court_name":"x","occurred_on":"2026-11-20"}'
    with refusal() as caught:
        verified_callback(headers=_signed(body), body=body, senders=SENDERS, tolerance_s=300)
    assert caught.value.status == 422 and [e.field for e in caught.value.errors] == ["case_number"]


def test_the_signing_court_is_known_by_its_secret() -> None:
    other = CourtSender(name="威海中院", regions=["3710"], secrets=[generate_secret()])
    _cb, sender = verified_callback(headers=_signed(), body=BODY, senders=[other, *SENDERS], tolerance_s=300)
    assert sender.name == "court"
    with refusal() as caught:
        verified_callback(headers=_signed(), body=BODY, senders=[other], tolerance_s=300)
    assert caught.value.status == 401


@pytest.mark.parametrize("msg_id", ["m" * 201, "msg with spaces", "msg\x01ctl", "消息"])
def test_a_webhook_id_that_cannot_key_the_callback_is_422_naming_the_header(msg_id: str) -> None:
    # Signed correctly: the id is refused for what it is, not for the signature (never a 500
    # from a column too short, never an id with spaces accepted).
    with refusal() as refused:
        verified_callback(headers=_signed(msg_id=msg_id), body=BODY, senders=SENDERS, tolerance_s=300)
    assert refused.value.status == 422 and refused.value.errors[0].field == "webhook-id"
    accepted, _sender = verified_callback(
        headers=_signed(msg_id="m" * 200), body=BODY, senders=SENDERS, tolerance_s=300
    )
    assert accepted.kind
