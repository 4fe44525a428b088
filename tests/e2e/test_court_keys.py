"""The court's own keys, end to end with every service a real process: an application accepted
with a docket number (案号) reaches the gateway's case index; the court's liaison finds the case
by that 案号 (not from another region); a lawsuit callback naming only the 案号 reaches
arbitration (IN_COURT) carrying both keys; callbacks about an unknown 案号, about a case outside
the signing court's regions, or with keys that disagree are refused and never published, and a
refused webhook-id stays free for the corrected retry."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import Envelope, from_kafka, to_kafka
from labornet_common.contracts.mediation import TransferredToArbitration
from labornet_common.platform.bus.topics import COURT
from labornet_common.security.auth import Principal, Role, TokenIssuer
from labornet_common.security.webhooks import build_headers, generate_secret
from labornet_common.testing.api import get_once_present, sign_in
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

SIGNING_KEY = TokenIssuer(issuer="-", audience="-").private_key_pem().decode("ascii")
ISSUER = TokenIssuer(issuer="labornet-gateway", audience="labornet-api", private_key_pem=SIGNING_KEY)
ARBITRATOR = Principal(
    subject="demo:arbitrator.luoyang",
    name="洛阳 仲裁员",
    roles=frozenset({Role.arbitrator}),
    region_scopes=("4103",),
    org_id="arb-4103",
)
LIAISON = Principal(
    subject="court:luoyang",
    name="洛阳中院 联络员",
    roles=frozenset({Role.court_liaison}),
    region_scopes=("4103",),
    org_id="court-4103",
)
LUOYANG_SECRET, WEIHAI_SECRET = generate_secret(), generate_secret()
SENDERS = [
    {"name": "洛阳市中级人民法院", "regions": ["4103"], "secrets": [LUOYANG_SECRET]},
    {"name": "威海市中级人民法院", "regions": ["3710"], "secrets": [WEIHAI_SECRET]},
]


def _bearer(principal: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {ISSUER.issue(principal)}"}


async def _publish_transfer(broker: str, case_id: str) -> None:
    transfer = TransferredToArbitration(
        case_id=case_id,
        transfer_id=str(uuid.uuid4()),
        division_code="410311007",
        commission_id="arb-4103",
        tribunal_id="trib-410311-007",
        venue_name="科技园派出仲裁庭",
        grounds="timed_out",
        worker_name="李师傅",
        employer_name="洛阳某机械制造有限公司",
        workplace_division="410311007",
        claims=[ClaimSummary(category="labor_remuneration", amount_fen=2_400_000)],
    )
    envelope = Envelope(
        id=str(uuid.uuid4()),
        type=transfer.event_type,
        source="/labornet/mediation",
        subject=case_id,
        data=transfer.model_dump(mode="json"),
        sequence=1,
    )
    record = to_kafka(envelope)
    producer = AIOKafkaProducer(bootstrap_servers=broker, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(transfer.topic, value=record.value, key=record.key, headers=record.headers)
    finally:
        await producer.stop()


async def _court_topic(broker: str) -> list[dict]:
    """The data of every event on court.events.v1 so far."""
    consumer = AIOKafkaConsumer(bootstrap_servers=broker, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()  # fetch the metadata
        parts = [TopicPartition(COURT, p) for p in consumer.partitions_for_topic(COURT) or ()]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        ends = await consumer.end_offsets(parts)
        events: list[dict] = []
        while [tp for tp in parts if await consumer.position(tp) < ends[tp]]:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                events.extend(from_kafka(key=r.key, value=r.value, headers=r.headers).data for r in records)
        return events
    finally:
        await consumer.stop()


async def _published(broker: str, case_id: str, run: str, count: int) -> list[dict]:
    """The court events about the case or from this run's callbacks, once ``count`` are out."""
    for _ in range(60):
        events = [
            e
            for e in await _court_topic(broker)
            if e.get("case_id") == case_id or e.get("callback_id", "").startswith(f"msg-{run}-")
        ]
        if len(events) >= count:
            return events
        await asyncio.sleep(0.5)
    return events


async def _callback(client: httpx.AsyncClient, msg_id: str, secret: str, **body: object) -> httpx.Response:
    payload = json.dumps(
        {"kind": "lawsuit_filed", "court_name": "洛阳市洛龙区人民法院", "occurred_on": "2026-12-04", **body},
        ensure_ascii=False,
    ).encode()
    headers = build_headers(msg_id=msg_id, timestamp=int(time.time()), payload=payload, secrets=[secret])
    return await client.post(
        "/api/v1/court/callbacks", content=payload, headers={**headers, "content-type": "application/json"}
    )


async def _accepted_case(client: httpx.AsyncClient, broker: str, case_id: str) -> tuple[str, str]:
    """The transferred case, accepted by 洛阳's arbitrator: its application's URL and its 案号."""
    await _publish_transfer(broker, case_id)
    me = _bearer(ARBITRATOR)
    for _ in range(150):
        listed = (await client.get("/api/v1/arbitration/applications", headers=me)).json()
        if found := [a for a in listed.get("items", []) if a["case_id"] == case_id]:
            break
        await asyncio.sleep(0.2)
    url = f"/api/v1/arbitration/applications/{found[0]['application_id']}"
    accepted = await client.post(f"{url}/accept", json={}, headers=me)
    assert accepted.status_code == 200, accepted.text
    return url, accepted.json()["case_number"]


def _refused(response: httpx.Response, status: int, field: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    (error,) = [e for e in response.json()["errors"] if e["field"] == field]
    assert error["message_zh"] and error["message_en"]


async def test_the_court_finds_and_answers_a_case_by_its_docket_number(
    db_backend: str, broker: str, tmp_path: Path
) -> None:
    env = {"LABORNET_IDP_PRIVATE_KEY_PEM": SIGNING_KEY, "LABORNET_COURT_WEBHOOK_SENDERS": json.dumps(SENDERS)}
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path, extra_env=env) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=15) as client:
            case_id, run = str(uuid.uuid4()), uuid.uuid4().hex[:8]
            msg = [f"msg-{run}-{n}" for n in range(5)]
            url, number = await _accepted_case(client, broker, case_id)

            # The court's liaison finds the case by its 案号; 威海's liaison does not.
            lookup = await get_once_present(client, f"/api/v1/court/cases?case_number={number}", _bearer(LIAISON))
            assert lookup.status_code == 200, lookup.text + stack.log_tail("gateway")
            found = lookup.json()
            assert found["case_id"] == case_id and found["case_number"] == number
            assert found["commission_id"] == "arb-4103" and found["stage"] == "docketed"
            assert found["links"]["arbitration"] == url
            weihai = await sign_in(client, "court.weihai", "court-demo-3710")
            for path in (f"/api/v1/court/cases?case_number={number}", f"/api/v1/court/cases/{case_id}"):
                assert (await client.get(path, headers=weihai)).status_code == 404
            unknown_number = "洛劳人仲案字〔2026〕第98765号"
            assert (
                await client.get(f"/api/v1/court/cases?case_number={unknown_number}", headers=_bearer(LIAISON))
            ).status_code == 404

            # Refused: an unknown 案号, a case outside the signing court's regions, keys that disagree.
            _refused(await _callback(client, msg[1], LUOYANG_SECRET, case_number=unknown_number), 404, "case_number")
            _refused(await _callback(client, msg[2], WEIHAI_SECRET, case_number=number), 404, "case_number")
            _refused(
                await _callback(client, msg[3], LUOYANG_SECRET, case_number=number, case_id=str(uuid.uuid4())),
                422,
                "case_id",
            )

            # The corrected callback, under the refused one's webhook-id, names only the 案号.
            sued = await _callback(client, msg[1], LUOYANG_SECRET, case_number=number, party="employer")
            assert sued.status_code == 202 and sued.json()["accepted"] is True, sued.text
            # A callback by case id alone remains valid (the worker sues too).
            joined = await _callback(client, msg[4], LUOYANG_SECRET, case_id=case_id, party="worker")
            assert joined.status_code == 202 and joined.json()["accepted"] is True, joined.text

            me = _bearer(ARBITRATOR)
            in_court = await _until_status(client, url, me, "IN_COURT")
            assert in_court["status"] == "IN_COURT", in_court

            published = await _published(broker, case_id, run, count=2)
            assert sorted(e["callback_id"] for e in published) == [msg[1], msg[4]]
            assert all(e["case_id"] == case_id and e["case_number"] == number for e in published)
            staged = await _until_stage(client, number, "court")
            assert staged["stage"] == "court", staged


async def _until_status(client: httpx.AsyncClient, url: str, headers: dict[str, str], status: str) -> dict:
    for _ in range(150):
        current = (await client.get(url, headers=headers)).json()
        if current.get("status") == status:
            return current
        await asyncio.sleep(0.2)
    return current


async def _until_stage(client: httpx.AsyncClient, number: str, stage: str) -> dict:
    for _ in range(150):
        current = (await client.get(f"/api/v1/court/cases?case_number={number}", headers=_bearer(LIAISON))).json()
        if current.get("stage") == stage:
            return current
        await asyncio.sleep(0.2)
    return current
