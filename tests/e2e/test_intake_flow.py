"""Intake end to end, every service a real process, everything through the gateway: a clerk
files at the window, intake routes it to the street's mediation centre, mediation opens the
case from the routed event, and the worker's status page shows mediation's step. A complaint
accepted in 鼓楼 for a 洛阳 workplace reaches 洛阳's mediation once 洛阳's clerk takes it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from labornet_common.testing.api import eventually, sign_in
from labornet_common.testing.intake_support import complaint_body, id_number
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow


async def _file_and_follow(client: httpx.AsyncClient, clerk: dict, mediator: dict) -> None:
    body = complaint_body(
        channel="window",
        oral=True,
        worker_id_number=id_number("41030219900101123"),
        worker_phone="13812341234",
        project="洛龙安置房三期",
    )
    filed = await client.post("/api/v1/complaints", json=body, headers={**clerk, "Idempotency-Key": "e2e-intake-1"})
    assert filed.status_code == 201, filed.text
    case = filed.json()
    assert case["route"] == "mediation" and case["routing"]["target_org_id"] == "med-410311007"

    async def mediation_case() -> httpx.Response:
        return await client.get(f"/api/v1/mediation/cases/{case['case_id']}", headers=mediator)

    opened = await eventually(mediation_case, lambda r: r.status_code == 200)
    assert opened.status_code == 200 and opened.json()["division_code"] == "410311007"

    token = await client.post(
        "/api/v1/auth/worker-token",
        json={"tracking_number": case["tracking_number"], "access_code": case["access_code"]},
    )
    assert token.status_code == 200, token.text
    as_worker = {"Authorization": f"Bearer {token.json()['access_token']}"}

    async def status() -> dict:
        return (await client.get(f"/api/v1/tracking/{case['case_id']}", headers=as_worker)).json()

    seen = await eventually(status, lambda v: any(e["source"] == "mediation" for e in v.get("timeline", [])))
    texts = [e["text_zh"] for e in seen["timeline"]]
    assert texts[0] == f"投诉已受理，受理编号{case['tracking_number']}"
    assert any(t.startswith("调解组织已收到您的案件") for t in texts), texts
    assert seen["handled_by"] == "洛龙区科技园街道劳动争议调解中心"


async def _joint_acceptance(client: httpx.AsyncClient, luoyang: dict, gulou: dict, mediator: dict) -> None:
    body = complaint_body(channel="window", joint_acceptance=True, employer_name="联动受理端到端测试公司")
    filed = await client.post("/api/v1/complaints", json=body, headers=gulou)
    assert filed.status_code == 201 and filed.json()["status"] == "FORWARDED", filed.text
    case_id, forward_id = filed.json()["case_id"], filed.json()["joint_acceptance"]["forward_id"]

    async def pending() -> list:
        r = await client.get("/api/v1/complaints/joint-acceptance", params={"status": "pending"}, headers=luoyang)
        return [f for f in r.json() if f["forward_id"] == forward_id]

    assert await eventually(pending, bool)
    answer = await client.post(
        f"/api/v1/complaints/joint-acceptance/{forward_id}/answer", json={"decision": "accepted"}, headers=luoyang
    )
    assert answer.status_code == 200, answer.text

    async def mediation_case() -> httpx.Response:
        return await client.get(f"/api/v1/mediation/cases/{case_id}", headers=mediator)

    assert (await eventually(mediation_case, lambda r: r.status_code == 200)).status_code == 200
    for who in (gulou, luoyang):  # both regions see the same, routed case
        seen = (await client.get(f"/api/v1/complaints/{case_id}", headers=who)).json()
        assert (seen["status"], seen["region_code"], seen["joint_status"]) == ("ROUTED", "410311", "accepted")


async def test_filed_routed_mediated_and_tracked(db_backend: str, broker: str, tmp_path: Path) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=10) as client:
            luoyang = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
            gulou = await sign_in(client, "clerk.gulou", "clerk-demo-350102")
            mediator = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
            await _file_and_follow(client, luoyang, mediator)
            await _joint_acceptance(client, luoyang, gulou, mediator)
