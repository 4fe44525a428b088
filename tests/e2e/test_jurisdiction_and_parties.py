"""One dispute, one commission, end to end through the gateway with every service a real process:
the same dispute applied for at the employer's seat (洛阳 city commission, by the employer) and at
the place of performance (偃师's commission, by the worker) is docketed once, the other referred
with notice (LDA Art. 21; Rules Arts. 8, 9); the city's arbitrator reads the county commission's
application but is refused acting on it (403); a co-worker who complains through intake after
the case was docketed is counted by arbitration, with the award period restarted (LDA Art. 7;
Rules Art. 46(一)); a street centre's mediator reads the district centre's case but only the
district centre's mediator works it."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from labornet_common.testing.api import eventually, sign_in
from labornet_common.testing.intake_support import complaint_body, id_number
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

BASE = "/api/v1/arbitration/applications"
USCC = "91350100M000100Y43"
WORKER_ID = id_number("41030719850505123")
SAME_DISPUTE = {
    "workplace_division": "410307",
    "employer_division": "410302",
    "employer_uscc": USCC,
    "employer_name": "洛阳某管辖测试建筑有限公司",
    "worker_name": "刘师傅",
    "worker_id_number": WORKER_ID,
    "worker_phone": "13812345678",
    "facts": f"身份证{WORKER_ID}，电话13812345678，2026年8月起工资未发放",
    "claims": [{"category": "labor_remuneration", "amount_fen": 1_860_000}],
}


async def _one_dispute_one_docket(client: httpx.AsyncClient, yanshi: dict, city_clerk: dict, city: dict) -> None:
    worker_side = await client.post(BASE, json={**SAME_DISPUTE, "commission_id": "arb-410307"}, headers=yanshi)
    assert worker_side.status_code == 201, worker_side.text
    kept = worker_side.json()
    assert kept["applicant_side"] == "worker"
    assert kept["worker_id_masked"] == WORKER_ID[:6] + "********" + WORKER_ID[-4:]
    assert kept["worker_phone_masked"] == "138****5678"

    # The city's arbitrator reads the county commission's application (in its region), never acts on it.
    url = f"{BASE}/{kept['application_id']}"
    assert (await client.get(url, headers=city)).status_code == 200
    refused = await client.post(f"{url}/accept", json={}, headers=city)
    assert refused.status_code == 403, refused.text

    employer_side = await client.post(
        BASE, json={**SAME_DISPUTE, "commission_id": "arb-4103", "applicant_side": "employer"}, headers=city_clerk
    )
    assert employer_side.status_code == 201, employer_side.text
    referred = employer_side.json()
    assert referred["applicant"] == SAME_DISPUTE["employer_name"] and referred["respondents"] == ["刘师傅"]
    assert referred["status"] == "REFERRED" and referred["referred_to"] == "arb-410307"
    assert referred["merged_into"] == kept["application_id"]
    notice = referred["history"][0]["text_zh"]
    assert "第二十一条" in notice and "移送洛阳市偃师区劳动人事争议仲裁委员会" in notice
    again = await client.post(f"{BASE}/{referred['application_id']}/accept", json={}, headers=city)
    assert again.status_code == 409  # referred: the city never dockets it

    docketed = await client.post(f"{url}/accept", json={}, headers=yanshi)
    assert docketed.status_code == 200, docketed.text
    assert docketed.json()["case_number"].startswith("偃劳人仲") and docketed.json()["history"][0]["text_zh"] == notice
    assert WORKER_ID not in docketed.text and "13812345678" not in docketed.text


async def _coworker_joins_after_docketing(client: httpx.AsyncClient, clerk: dict, city: dict) -> None:
    key = uuid.uuid4().hex
    employer = f"洛阳某追加当事人测试有限公司{key[:6]}"
    first = complaint_body(
        channel="window",
        requested_route="arbitration",
        workplace_division="410311",
        employer_name=employer,
        worker_id_number=id_number("41031119900101123"),
    )
    filed = await client.post("/api/v1/complaints", json=first, headers={**clerk, "Idempotency-Key": key})
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["case_id"]

    async def application() -> dict | None:
        page = (await client.get(BASE, params={"limit": 50}, headers=city)).json()
        return next((a for a in page["items"] if a["case_id"] == case_id), None)

    app = await eventually(application, lambda a: a is not None)
    assert app is not None and app["worker_count"] == 1
    accepted = await client.post(f"{BASE}/{app['application_id']}/accept", json={}, headers=city)
    assert accepted.status_code == 200, accepted.text

    second = {**first, "worker_name": "赵师傅", "worker_id_number": id_number("41031119920303456")}
    grouped = await client.post("/api/v1/complaints", json=second, headers={**clerk, "Idempotency-Key": key + "-2"})
    assert grouped.status_code in (200, 201), grouped.text
    assert grouped.json()["case_id"] == case_id  # intake grouped the co-worker into the docketed case

    async def joined() -> dict:
        return (await client.get(f"{BASE}/{app['application_id']}", headers=city)).json()

    seen = await eventually(joined, lambda a: a["worker_count"] == 2)
    assert seen["worker_count"] == 2 and seen["status"] == "ACCEPTED"
    note = next(h for h in seen["history"] if h["kind"] == "parties_joined")
    assert note["worker_count"] == 2 and "仲裁期限自" in note["text_zh"] and "重新计算" in note["text_zh"]


async def _mediators_act_for_their_own_centre(client: httpx.AsyncClient, street: dict, district: dict) -> None:
    body = complaint_body(workplace_division="410311", employer_name="洛阳某调解中心职责测试有限公司")
    filed = await client.post("/api/v1/complaints", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert filed.status_code == 201, filed.text
    url = f"/api/v1/mediation/cases/{filed.json()['case_id']}"

    async def opened() -> httpx.Response:
        return await client.get(url, headers=street)

    seen = await eventually(opened, lambda r: r.status_code == 200)
    assert seen.status_code == 200 and seen.json()["centre_id"] == "med-410311"  # 科技园's mediator reads it
    assert (await client.post(f"{url}/accept", headers=street)).status_code == 403
    accepted = await client.post(f"{url}/accept", headers=district)
    assert accepted.status_code == 200, accepted.text


async def test_one_dispute_one_docket_and_parties_joining(db_backend: str, broker: str, tmp_path: Path) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=10) as client:
            yanshi = await sign_in(client, "arbitrator.yanshi", "arbitrator-demo-410307")
            city = await sign_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")
            clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
            await _one_dispute_one_docket(client, yanshi, clerk, city)
            await _coworker_joins_after_docketing(client, clerk, city)
            street = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
            district = await sign_in(client, "mediator.luolong", "mediator-demo-410311")
            await _mediators_act_for_their_own_centre(client, street, district)
