"""Mediation agreements of every kind end to end, every service a real process, everything
through the gateway (one stack per backend):

- a co-worker's complaint that intake groups into the case joins it in mediation too, once, and
  the transfer carries the count (LDA Art. 7);
- a reinstatement (non-monetary) agreement is breached: the breach is recorded term by term, a
  payment order is refused naming the field (LDA Art. 16), the case goes to arbitration once
  (LDA Art. 15) and the one application's claims include the breached reinstatement;
- a wage agreement breached in part: the payment order covers what is unpaid (LDA Art. 16);
- the documents of one case through the gateway: intake's 补正通知书 and mediation's 调解协议书 as
  PDFs (text extracted) for the case's worker and the region's clerk, 404 to another region's clerk.
"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta
from pathlib import Path

import httpx
import pypdf
import pytest

from labornet_common.contracts.events import utcnow
from labornet_common.platform.bus.topics import MEDIATION
from labornet_common.platform.clock import local_date
from labornet_common.testing.api import eventually, get_once_present, sign_in
from labornet_common.testing.intake_support import complaint_body, id_number
from labornet_common.testing.messaging import read_topic
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

EMPLOYER = "洛阳某精密机械端到端有限公司"
DISMISSAL = [{"category": "dismissal", "description": "违法解除劳动合同，要求恢复劳动关系"}]
TYPE = "cn.labornet.mediation.case.{}.v1"


def _dates() -> tuple[str, str]:
    """An agreement that took effect three weeks ago, its terms due five days ago."""
    today = local_date(utcnow())
    return (today - timedelta(days=21)).isoformat(), (today - timedelta(days=5)).isoformat()


async def _file(client: httpx.AsyncClient, *, worker: str, first17: str, employer: str, claims: list) -> dict:
    body = complaint_body(
        worker_name=worker,
        worker_id_number=id_number(first17),
        employer_name=employer,
        claims=claims,
        worker_phone="13812341234",
    )
    filed = await client.post("/api/v1/complaints", json=body)
    assert filed.status_code in (200, 201), filed.text  # 200: joined an open case
    return filed.json()


async def _accepted(client: httpx.AsyncClient, me: dict, case_id: str) -> str:
    opened = await get_once_present(client, f"/api/v1/mediation/cases/{case_id}", me)
    assert opened.status_code == 200, opened.text
    base = f"/api/v1/mediation/cases/{case_id}"
    accepted = await client.post(f"{base}/accept", headers=me)
    assert accepted.status_code == 200, accepted.text
    return base


async def _agree(client: httpx.AsyncClient, me: dict, base: str, term: dict) -> None:
    effective_on, due_on = _dates()
    body = {
        "terms": [{"payer": EMPLOYER, "payee": "劳动者", "due_on": due_on, **term}],
        "signed_and_sealed": True,
        "effective_on": effective_on,
    }
    agreed = await client.post(f"{base}/agreement", json=body, headers=me)
    assert agreed.status_code == 201 and agreed.json()["status"] == "AGREED", agreed.text


async def _applications(client: httpx.AsyncClient, case_id: str) -> list[dict]:
    arbitrator = await sign_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")

    async def listed() -> list[dict]:
        r = await client.get("/api/v1/arbitration/applications", headers=arbitrator, params={"limit": 100})
        assert r.status_code == 200, r.text
        return [a for a in r.json()["items"] if a["case_id"] == case_id]

    await eventually(listed, bool, timeout_s=20)
    return await eventually(listed, lambda found: len(found) > 1, timeout_s=1)  # a second would follow


async def _reinstatement_breached_and_transferred(client: httpx.AsyncClient, me: dict) -> str:
    first = await _file(client, worker="赵师傅", first17="41030219880301123", employer=EMPLOYER, claims=DISMISSAL)
    case_id = first["case_id"]
    base = await _accepted(client, me, case_id)
    await _file(client, worker="钱师傅", first17="41030219900202234", employer=EMPLOYER, claims=DISMISSAL)

    async def case() -> dict:
        return (await client.get(base, headers=me)).json()

    joined = await eventually(case, lambda c: c["worker_count"] == 2)
    assert joined["worker_count"] == 2 and len(joined["claims"]) == 2, joined

    await _agree(client, me, base, {"kind": "non_monetary", "item": "reinstatement", "description": "恢复钳工岗位"})
    not_money = {"items": [{"term_no": 1, "outcome": "breached", "unpaid_fen": 100}]}
    refused = await client.post(f"{base}/agreement/performance", json=not_money, headers=me)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "items.0.unpaid_fen", refused.text
    breach = {"items": [{"term_no": 1, "outcome": "breached", "not_done": "拒绝安排上岗"}]}
    breached = await client.post(f"{base}/agreement/performance", json=breach, headers=me)
    assert breached.status_code == 200 and breached.json()["status"] == "BREACHED", breached.text
    assert breached.json()["agreement"]["items"][0]["state"]["status"] == "breached"

    order = await client.post(f"{base}/court-requests", json={"kind": "payment_order"}, headers=me)
    assert order.status_code == 422, order.text
    assert order.headers["content-type"].startswith("application/problem+json")
    assert order.json()["errors"][0]["field"] == "kind" and "第十六条" in order.json()["title_zh"]

    moved = await client.post(f"{base}/transfer", headers=me)
    again = await client.post(f"{base}/transfer", headers=me)
    assert (moved.status_code, again.status_code) == (201, 200), moved.text
    assert moved.json()["grounds"] == "agreement_breached"
    (application,) = await _applications(client, case_id)
    reinstatement = [c for c in application["claims"] if "恢复劳动关系" in c.get("description", "")]
    assert reinstatement and reinstatement[0]["category"] == "labor_contract", application["claims"]
    return case_id


async def _wage_breach_goes_to_a_payment_order(client: httpx.AsyncClient, me: dict) -> None:
    wages = [{"category": "labor_remuneration", "amount_fen": 1_240_000}]
    filed = await _file(
        client, worker="孙师傅", first17="41030219850505345", employer="洛阳某工资端到端公司", claims=wages
    )
    base = await _accepted(client, me, filed["case_id"])
    await _agree(client, me, base, {"item": "labor_remuneration", "amount_fen": 1_240_000})
    breach = {"items": [{"term_no": 1, "outcome": "breached", "unpaid_fen": 400_000}]}
    breached = await client.post(f"{base}/agreement/performance", json=breach, headers=me)
    assert breached.json()["status"] == "BREACHED", breached.text
    order = await client.post(f"{base}/court-requests", json={"kind": "payment_order"}, headers=me)
    assert order.status_code == 201, order.text
    assert (order.json()["amount_fen"], order.json()["term_nos"]) == (400_000, [1])


async def _documents_read_through_the_gateway(client: httpx.AsyncClient, me: dict) -> None:
    """Intake's 补正通知书 and mediation's 调解协议书 of one case, as PDFs through the gateway: the
    case's worker and the region's clerk read them; staff of another region get 404."""
    wages = [{"category": "labor_remuneration", "amount_fen": 560_000}]
    filed = await _file(
        client, worker="李师傅", first17="41030219870707456", employer="洛阳某文书端到端公司", claims=wages
    )
    case_id = filed["case_id"]
    clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
    due = (local_date(utcnow()) + timedelta(days=10)).isoformat()
    notice = await client.post(
        f"/api/v1/complaints/{case_id}/correction-notice",
        json={"missing": ["工资发放记录"], "due_on": due},
        headers=clerk,
    )
    assert notice.status_code == 201, notice.text
    base = await _accepted(client, me, case_id)
    await _agree(client, me, base, {"item": "labor_remuneration", "amount_fen": 560_000})
    token = await client.post(
        "/api/v1/auth/worker-token",
        json={"tracking_number": filed["tracking_number"], "access_code": filed["access_code"]},
    )
    assert token.status_code == 200, token.text
    worker = {"Authorization": f"Bearer {token.json()['access_token']}"}
    outsider = await sign_in(client, "clerk.gulou", "clerk-demo-350102")
    for documents, kind, title, needle in (
        (f"/api/v1/complaints/{case_id}/documents", "correction_notice", "补正通知书", "工资发放记录"),
        (f"{base}/documents", "agreement", "调解协议书", "5,600.00"),
    ):
        listed = await client.get(documents, headers=clerk)
        assert listed.status_code == 200, listed.text
        (document,) = [d for d in listed.json() if d["kind"] == kind]
        pdf_path = f"{documents}/{document['document_id']}/pdf"
        for reader in (worker, clerk):
            pdf = await client.get(pdf_path, headers=reader)
            assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf", pdf.text
            assert hashlib.sha256(pdf.content).hexdigest() == pdf.headers["etag"].strip('"')
            text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
            assert title in text.replace(" ", "") and needle in text, (title, text)
        for path in (documents, pdf_path):
            refused = await client.get(path, headers=outsider)
            assert refused.status_code == 404 and refused.headers["content-type"].startswith("application/problem+json")


async def test_agreements_of_every_kind_breach_transfer_and_payment_order(
    db_backend: str, broker: str, tmp_path: Path
) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=10) as client:
            me = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
            case_id = await _reinstatement_breached_and_transferred(client, me)
            await _wage_breach_goes_to_a_payment_order(client, me)
            await _documents_read_through_the_gateway(client, me)

        records = await read_topic(broker, MEDIATION, keys={case_id}, expected=8)
        events = [(h.get("ce_type", b"").decode(), json.loads(v)) for _k, h, v in records]
        joined = [e for t, e in events if t == TYPE.format("workers_joined")]
        assert [(e["worker_count"], e["collective"]) for e in joined] == [(2, False)]
        (transfer,) = [e for t, e in events if t == TYPE.format("transferred")]
        assert (transfer["worker_count"], transfer["grounds"]) == (2, "agreement_breached")
        assert transfer["agreement"]["breached_terms"][0]["item"] == "reinstatement"
