"""Arbitration and the court, end to end with every service a real process: a mediation
transfer to the 科技园 派出庭 (sent twice) becomes one application, an arbitrator of 洛阳 accepts
it through the gateway, issues an award, and the gateway delivers the court's webhook, which a
receiver here verifies with the Standard Webhooks signature."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import Envelope, to_kafka
from labornet_common.contracts.mediation import TransferredToArbitration
from labornet_common.security.auth import Principal, Role, TokenIssuer
from labornet_common.testing.api import WebhookReceiver
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
ADMIN = Principal(subject="demo:admin", roles=frozenset({Role.admin}), region_scopes=("*",))
AWARD_ISSUED = "cn.labornet.arbitration.award.issued.v1"


def _bearer(principal: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {ISSUER.issue(principal)}"}


async def _publish_transfer(broker: str, case_id: str, transfer_id: str) -> None:
    """Mediation's transfer, sent twice (a re-send after a timeout): two events, one transfer."""
    transfer = TransferredToArbitration(
        case_id=case_id,
        transfer_id=transfer_id,
        division_code="410311007",
        commission_id="arb-4103",
        tribunal_id="trib-410311-007",
        venue_name="科技园派出仲裁庭",
        grounds="timed_out",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        workplace_division="410311007",
        claims=[ClaimSummary(category="labor_remuneration", amount_fen=1_860_000)],
    )
    producer = AIOKafkaProducer(bootstrap_servers=broker, acks="all")
    await producer.start()
    try:
        for sequence in (1, 2):
            envelope = Envelope(
                id=str(uuid.uuid4()),
                type=transfer.event_type,
                source="/labornet/mediation",
                subject=case_id,
                data=transfer.model_dump(mode="json"),
                sequence=sequence,
            )
            record = to_kafka(envelope)
            await producer.send_and_wait(transfer.topic, value=record.value, key=record.key, headers=record.headers)
    finally:
        await producer.stop()


async def _until(check, timeout_s: float = 30.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while loop.time() < deadline:
        if result := await check():
            return result
        await asyncio.sleep(0.2)
    raise AssertionError("condition not met in time")


async def test_transfer_award_and_court_webhook(db_backend: str, broker: str, tmp_path: Path) -> None:
    async with WebhookReceiver("/court/hook", status=204) as court:
        env = {
            "LABORNET_IDP_PRIVATE_KEY_PEM": SIGNING_KEY,
            "LABORNET_WEBHOOK_ALLOWED_HOSTS": f"127.0.0.1:{court.port}",
            "LABORNET_WEBHOOK_POLL_INTERVAL_S": "0.1",
        }
        async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path, extra_env=env) as stack:
            async with httpx.AsyncClient(base_url=stack.gateway, timeout=15) as client:
                endpoint = await client.post(
                    "/api/v1/webhooks/endpoints",
                    headers=_bearer(ADMIN),
                    json={
                        "url": court.url,
                        "description": "洛阳中院 裁审衔接",
                        "event_types": ["cn.labornet.arbitration.*"],
                        "region_scopes": ["4103"],
                    },
                )
                assert endpoint.status_code == 201, endpoint.text
                court.secret = endpoint.json()["secret"]

                case_id = str(uuid.uuid4())
                await _publish_transfer(broker, case_id, transfer_id=str(uuid.uuid4()))
                me = _bearer(ARBITRATOR)

                async def application() -> list[dict]:
                    listed = (await client.get("/api/v1/arbitration/applications", headers=me)).json()
                    return [a for a in listed.get("items", []) if a["case_id"] == case_id]

                (app,) = await _until(application)
                assert app["tribunal_id"] == "trib-410311-007" and app["source"] == "mediation"
                url = f"/api/v1/arbitration/applications/{app['application_id']}"
                accepted = await client.post(f"{url}/accept", json={}, headers=me)
                assert accepted.status_code == 200, accepted.text + stack.log_tail("arbitration")
                number = accepted.json()["case_number"]
                assert number.startswith("洛劳人仲案字〔") and number.endswith("第1号")
                tribunal = await client.post(
                    f"{url}/tribunal",
                    headers=me,
                    json={"mode": "sole", "members": [{"arbitrator_id": "arbr-4103-01", "role": "sole"}]},
                )
                assert tribunal.status_code == 200, tribunal.text
                award = await client.post(
                    f"{url}/award",
                    headers=me,
                    json={
                        "items": [
                            {"category": "labor_remuneration", "amount_fen": 1_860_000, "description": "拖欠工资"}
                        ]
                    },
                )
                assert award.status_code == 200, award.text
                assert len(await application()) == 1  # the re-sent transfer made no second application

                async def award_webhook() -> list[dict]:
                    return [e for e in court.received if e["type"] == AWARD_ISSUED and e["subject"] == case_id]

                (delivered,) = await _until(award_webhook)
                assert delivered["data"]["case_number"] == number
                assert delivered["data"]["items"][0]["final"] is True  # ¥18,600 ≤ 12 x 河南 minimum wage
                assert court.rejected == 0
                types = {e["type"] for e in court.received}
                assert "cn.labornet.arbitration.application.accepted.v1" in types
