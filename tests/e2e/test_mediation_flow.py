"""Mediation end to end, every service a real process: a complaint filed through the gateway
about a workplace on 科技园街道 (洛阳 洛龙区) reaches that street's centre as a mediation case; the
demo mediator accepts it, records that mediation failed and transfers it; the transfer is
published on mediation.cases.v1 naming the centre's 派出仲裁庭 (LDA Art. 14), and the arbitration
service holds exactly one application for the case, at that tribunal, for 洛阳's arbitrator."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from labornet_common.platform.bus.topics import MEDIATION
from labornet_common.testing.api import eventually, get_once_present, sign_in
from labornet_common.testing.messaging import read_topic
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

STREET = "410311007"  # 科技园街道, served by med-410311007 with its tribunal trib-410311-007
COMPLAINT = {
    "channel": "online",
    "workplace_division": STREET,
    "worker_name": "李师傅",
    "employer_name": "洛阳某科技园建设有限公司",
    "facts": "2026年9月至10月工资未发放",
    "claims": [{"category": "labor_remuneration", "amount_fen": 1240000}],
}
TRANSFERRED = b"cn.labornet.mediation.case.transferred.v1"


async def _applications_for(client: httpx.AsyncClient, case_id: str) -> list[dict]:
    """The arbitration applications of the case, once the transfer has crossed Kafka."""
    arbitrator = await sign_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")

    async def listed() -> list[dict]:
        r = await client.get("/api/v1/arbitration/applications", headers=arbitrator, params={"limit": 100})
        assert r.status_code == 200, r.text
        return [a for a in r.json()["items"] if a["case_id"] == case_id]

    await eventually(listed, bool, timeout_s=20)
    await asyncio.sleep(0.5)  # a second application would arrive right behind the first
    return await listed()


async def test_a_failed_mediation_is_transferred_to_the_centres_tribunal(
    db_backend: str, broker: str, tmp_path: Path
) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=10) as client:
            filed = await client.post("/api/v1/complaints", json=COMPLAINT)
            assert filed.status_code == 201, filed.text
            case_id = filed.json()["case_id"]

            me = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
            opened = await get_once_present(client, f"/api/v1/mediation/cases/{case_id}", me)
            assert opened.status_code == 200, stack.log_tail("mediation")
            assert opened.json()["centre_id"] == "med-410311007" and opened.json()["tribunal_id"] == "trib-410311-007"
            queue = (await client.get("/api/v1/mediation/queue", headers=me)).json()["items"]
            assert case_id in {item["case_id"] for item in queue}

            base = f"/api/v1/mediation/cases/{case_id}"
            accepted = await client.post(f"{base}/accept", headers=me)
            assert accepted.status_code == 200 and accepted.json()["mediator_id"], accepted.text
            no_deal = {"reason": "no_agreement", "note": "金额分歧"}
            failed = await client.post(f"{base}/failure", json=no_deal, headers=me)
            assert failed.json()["status"] == "FAILED", failed.text
            moved = await client.post(f"{base}/transfer", headers=me)
            again = await client.post(f"{base}/transfer", headers=me)
            assert (moved.status_code, again.status_code) == (201, 200), moved.text
            assert moved.json()["transfer_id"] == again.json()["transfer_id"]
            applications = await _applications_for(client, case_id)
            assert len(applications) == 1, applications
            (application,) = applications
            assert (application["source"], application["tribunal_id"], application["commission_id"]) == (
                "mediation",
                "trib-410311-007",
                "arb-4103",
            )
            assert application["status"] == "SUBMITTED" and application["claims"][0]["amount_fen"] == 1240000

        records = await read_topic(broker, MEDIATION, keys={case_id}, expected=6)
        transfers = [json.loads(value) for _key, headers, value in records if headers.get("ce_type") == TRANSFERRED]
        assert len(transfers) == 1, [h.get("ce_type") for _k, h, _v in records]
        (event,) = transfers
        assert (event["tribunal_id"], event["commission_id"], event["grounds"]) == (
            "trib-410311-007",
            "arb-4103",
            "mediation_failed",
        )
        assert event["venue_name"] == "洛阳市劳动人事争议仲裁委员会科技园派出仲裁庭"
        assert event["transfer_id"] == moved.json()["transfer_id"] and event["worker_name"] == "李师傅"
        assert event["claims"][0]["amount_fen"] == 1240000 and event["history_zh"]
