"""The backbone end to end, with every service a real process: a complaint POSTed through the
gateway (anonymously, on the online channel) is stored by intake, its event reaches mediation
through Kafka, and the gateway shows mediation's case to a mediator of the region."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from labornet_common.testing.api import get_once_present, sign_in
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

COMPLAINT = {
    "channel": "online",
    "workplace_division": "410311",
    "worker_name": "王师傅",
    "employer_name": "洛阳某建筑工程有限公司",
    "facts": "2026年8月至10月工资未发放",
    "claims": [{"category": "labor_remuneration", "amount_fen": 1860000}],
}


async def test_complaint_flows_from_intake_to_mediation(db_backend: str, broker: str, tmp_path: Path) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=10) as client:
            ready = (await client.get("/readyz")).json()
            assert ready["ready"] and set(ready["services"]) == {
                "intake",
                "mediation",
                "arbitration",
                "wage-arrears",
                "gateway",
            }

            api = (await client.get("/api/v1/openapi.json")).json()  # one document for every service
            assert {"/api/v1/complaints", "/api/v1/mediation/cases/{case_id}", "/api/v1/webhooks/endpoints"} <= set(
                api["paths"]
            )
            assert "x-labornet-unavailable" not in api and not any(p.startswith("/internal") for p in api["paths"])

            created = await client.post("/api/v1/complaints", json=COMPLAINT, headers={"Idempotency-Key": "e2e-1"})
            assert created.status_code == 201, created.text
            case = created.json()
            assert case["route"] == "mediation" and case["tracking_number"].startswith("410311-")

            again = await client.post("/api/v1/complaints", json=COMPLAINT, headers={"Idempotency-Key": "e2e-1"})
            assert again.json()["case_id"] == case["case_id"]
            assert again.headers.get("idempotent-replayed") == "true"

            luoyang = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
            mediation = await get_once_present(client, f"/api/v1/mediation/cases/{case['case_id']}", luoyang)
            assert mediation.status_code == 200, stack.log_tail("mediation")
            body = mediation.json()
            assert body["division_code"] == "410311" and body["status"] == "RECEIVED"
            assert body["due_on"] > body["received_on"]

            stored = (await client.get(f"/api/v1/complaints/{case['case_id']}", headers=luoyang)).json()
            assert stored["employer_name"] == COMPLAINT["employer_name"]

            # Reading needs a signed-in caller, and a mediator of another region sees nothing.
            assert (await client.get(f"/api/v1/mediation/cases/{case['case_id']}")).status_code == 401
            gulou = await sign_in(client, "mediator.gulou", "mediator-demo-350102")
            other = await client.get(f"/api/v1/mediation/cases/{case['case_id']}", headers=gulou)
            assert other.status_code == 404

            bad = await client.post("/api/v1/complaints", json={**COMPLAINT, "workplace_division": "41"})
            assert bad.status_code == 422
            assert bad.headers["content-type"].startswith("application/problem+json")
            assert bad.json()["errors"][0]["field"] == "workplace_division"
            # Only one mediation case for the retried complaint: the replay made no new event.
            assert (await client.get("/api/v1/mediation/cases/unknown", headers=luoyang)).status_code == 404
