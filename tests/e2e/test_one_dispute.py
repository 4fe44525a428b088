"""One dispute, one truth across the network, every service a real process, everything through
the gateway: a complaint about a dispute docketed directly at the commission joins it (it is not
opened again in mediation) and says where it is; a co-worker who complains after docketing is
added in arbitration too, with a code of their own; a co-worker joining a case in mediation is
counted by mediation; intake, arbitration, mediation and the shared passport agree on the
worker count and the stage."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from labornet_common.testing.api import eventually, sign_in
from labornet_common.testing.intake_support import complaint_body, id_number
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

USCC = "91350100M000100Y43"
WANG = id_number("41030319900101123")
LI = id_number("41030319850505222")
ZHAO = id_number("41030319920707333")
QIAN = id_number("41030319880808444")


async def _worker(client: httpx.AsyncClient, answer: dict) -> dict[str, str]:
    token = await client.post(
        "/api/v1/auth/worker-token",
        json={"tracking_number": answer["tracking_number"], "access_code": answer["access_code"]},
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def _docketed_directly(client: httpx.AsyncClient, arbitrator: dict) -> dict:
    """王 applies at the commission directly (no complaint at intake), and is docketed."""
    filed = await client.post(
        "/api/v1/arbitration/applications",
        headers=arbitrator,
        json={
            "commission_id": "arb-4103",
            "workplace_division": "410311007",
            "employer_division": "410311",
            "worker_name": "王师傅",
            "worker_id_number": WANG,
            "employer_name": "洛阳直接立案建筑公司",
            "employer_uscc": USCC,
            "claims": [{"category": "labor_remuneration", "amount_fen": 1_860_000}],
        },
    )
    assert filed.status_code == 201, filed.text
    application = filed.json()
    accepted = await client.post(
        f"/api/v1/arbitration/applications/{application['application_id']}/accept", headers=arbitrator, json={}
    )
    assert accepted.status_code == 200, accepted.text
    return accepted.json()


async def _complaints_about_a_docketed_dispute(
    client: httpx.AsyncClient, clerk: dict, arbitrator: dict, mediator: dict
) -> None:
    docket = await _docketed_directly(client, arbitrator)
    case_id, number = docket["case_id"], docket["case_number"]

    async def passport() -> httpx.Response:
        return await client.get(f"/api/v1/disputes/{case_id}", headers=clerk)

    known = await eventually(passport, lambda r: r.status_code == 200 and r.json()["stage"] == "docketed")
    assert known.json()["case_number"] == number, known.text

    # 王 complains online about the same dispute: linked to the docketed case, not a new mediation case.
    same = complaint_body(worker_id_number=WANG, employer_uscc=USCC, employer_name="洛阳直接立案建筑公司")
    again = await client.post("/api/v1/complaints", json=same)
    assert again.status_code == 200, again.text
    body = again.json()
    assert (body["outcome"], body["case_id"], body["status"], body["route"]) == (
        "linked_duplicate",
        case_id,
        "DOCKETED",
        "arbitration",
    )
    assert body["dispute"]["case_number"] == number and number in body["notice_zh"]
    assert body["access_code"], "the worker gets a code to follow the case at intake's window"
    mediation = await client.get(f"/api/v1/mediation/cases/{case_id}", headers=mediator)
    assert mediation.status_code == 404, "no mediation case was opened for a docketed dispute"
    view = (await client.get(f"/api/v1/tracking/{case_id}", headers=await _worker(client, body))).json()
    assert view["dispute"]["stage"] == "docketed" and view["status_zh"].startswith("劳动人事争议仲裁委员会已立案")

    # 李, a co-worker, complains after docketing: added to the dispute in intake AND in arbitration.
    co = complaint_body(
        worker_id_number=LI, worker_name="李师傅", employer_uscc=USCC, employer_name="洛阳直接立案建筑公司"
    )
    joined = await client.post("/api/v1/complaints", json=co)
    assert joined.status_code == 200, joined.text
    assert (joined.json()["outcome"], joined.json()["case_id"], joined.json()["worker_count"]) == (
        "grouped",
        case_id,
        2,
    )
    assert joined.json()["access_code"] and joined.json()["access_code"] != body["access_code"]
    await _worker(client, joined.json())  # 李's own code opens the case

    async def application() -> httpx.Response:
        return await client.get(f"/api/v1/arbitration/applications/{docket['application_id']}", headers=arbitrator)

    counted = await eventually(application, lambda r: r.json().get("worker_count") == 2)
    assert counted.json()["worker_count"] == 2, counted.text
    agreed = await eventually(passport, lambda r: r.json()["worker_count"] == 2)
    assert (agreed.json()["worker_count"], agreed.json()["stage"]) == (2, "docketed")


async def _co_worker_joins_in_mediation(client: httpx.AsyncClient, clerk: dict, mediator: dict) -> None:
    first = await client.post(
        "/api/v1/complaints",
        json=complaint_body(worker_id_number=ZHAO, worker_name="赵师傅", employer_name="洛阳调解阶段公司"),
    )
    assert first.status_code == 201, first.text
    case_id = first.json()["case_id"]

    async def mediation_case() -> httpx.Response:
        return await client.get(f"/api/v1/mediation/cases/{case_id}", headers=mediator)

    assert (await eventually(mediation_case, lambda r: r.status_code == 200)).status_code == 200

    async def passport() -> httpx.Response:
        return await client.get(f"/api/v1/disputes/{case_id}", headers=clerk)

    assert (await eventually(passport, lambda r: r.json().get("stage") == "mediation")).json()["holder_id"]
    joined = await client.post(
        "/api/v1/complaints",
        json=complaint_body(worker_id_number=QIAN, worker_name="钱师傅", employer_name="洛阳调解阶段公司"),
    )
    assert joined.status_code == 200 and joined.json()["outcome"] == "grouped", joined.text
    assert (joined.json()["status"], joined.json()["route"]) == ("IN_MEDIATION", "mediation")
    counted = await eventually(mediation_case, lambda r: r.json().get("worker_count") == 2)
    assert counted.json()["worker_count"] == 2, counted.text
    repeat = await client.post(
        "/api/v1/complaints",
        json=complaint_body(worker_id_number=ZHAO, worker_name="赵师傅", employer_name="洛阳调解阶段公司"),
    )
    assert repeat.json()["outcome"] == "linked_duplicate" and "access_code" not in repeat.json()
    assert "调解组织调解中" in repeat.json()["notice_zh"]


async def test_one_dispute_reads_the_same_in_every_service(db_backend: str, broker: str, tmp_path: Path) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=15) as client:
            clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
            arbitrator = await sign_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")
            mediator = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
            await _complaints_about_a_docketed_dispute(client, clerk, arbitrator, mediator)
            await _co_worker_joins_in_mediation(client, clerk, mediator)
