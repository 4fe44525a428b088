"""The documents over real HTTP: the award's PDF listed and read back by staff in region and by
the case's worker, refused (404) outside the region and to another case's worker; manual service
recorded with its 送达回证, whose PDF names the document, recipient, manner, day and server."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import httpx
import pypdf
import pytest

from labornet_common.security.api_auth import ANONYMOUS
from labornet_common.security.auth import Principal, Role
from labornet_common.testing.inprocess import SignedAs, running_services
from tests.support.arbitration import staff

BASE = "/api/v1/arbitration"
CLERK = SignedAs(staff(Role.clerk, "4103"))
ARBITRATOR = SignedAs(staff(Role.arbitrator, "4103", "demo:arbitrator.luoyang"))
WEIHAI = SignedAs(staff(Role.arbitrator, "3710", "demo:arbitrator.weihai"))
APPLICATION = {
    "commission_id": "arb-4103",
    "workplace_division": "410311",
    "worker_name": "王师傅",
    "employer_name": "洛阳某建筑工程有限公司",
    "claims": [{"category": "labor_remuneration", "amount_fen": 1_860_000}],
    "received_on": "2026-09-28",
}


def _worker(case_id: str) -> dict[str, str]:
    return SignedAs(
        Principal(subject=f"worker:{case_id}", roles=frozenset({Role.worker}), case_ids=frozenset({case_id}))
    )


@pytest.fixture
async def api(db_backend: str, broker: str, tmp_path: Path):
    async with running_services(["arbitration"], backend=db_backend, broker=broker, workdir=tmp_path) as services:
        async with httpx.AsyncClient(base_url=services.urls["arbitration"], timeout=20) as client:
            yield client


async def test_award_pdf_listed_and_read_back_in_scope(api: httpx.AsyncClient) -> None:
    created = await api.post(f"{BASE}/applications", json=APPLICATION, headers={**CLERK, "Idempotency-Key": "doc-1"})
    assert created.status_code == 201, created.text
    app = created.json()
    url = f"{BASE}/applications/{app['application_id']}"
    for path, body, who in (
        ("accept", {"on": "2026-09-29"}, CLERK),
        ("tribunal", {"mode": "sole", "members": [{"arbitrator_id": "arbr-4103-01", "role": "sole"}]}, ARBITRATOR),
        ("hearings", {"hearing_on": "2026-10-12", "notice_served_on": "2026-09-30", "venue": "第一仲裁庭"}, ARBITRATOR),
        (
            "award",
            {"items": [{"category": "labor_remuneration", "amount_fen": 1_860_000}], "on": "2026-10-16"},
            ARBITRATOR,
        ),
    ):
        answer = await api.post(f"{url}/{path}", json=body, headers=who)
        assert answer.status_code == 200, (path, answer.text)

    listed = await api.get(f"{url}/documents", headers=CLERK)
    assert listed.status_code == 200, listed.text
    docs = listed.json()
    assert [d["kind"] for d in docs] == ["acceptance_notice", "hearing_notice", "award"]
    award = docs[-1]
    assert award["title"] == "仲裁裁决书" and award["version"] == 1 and award["issued_on"] == "2026-10-16"

    pdf = await api.get(f"{url}/documents/{award['document_id']}/pdf", headers=_worker(app["case_id"]))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == pdf.headers["etag"].strip('"')
    relisted = {d["document_id"]: d for d in (await api.get(f"{url}/documents", headers=CLERK)).json()}
    assert relisted[award["document_id"]]["sha256"] == hashlib.sha256(pdf.content).hexdigest()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "本裁决第一项为终局裁决" in text and "18,600.00元" in text

    assert (await api.get(f"{url}/documents", headers=WEIHAI)).status_code == 404
    assert (await api.get(f"{url}/documents", headers=_worker("someone-else"))).status_code == 404
    missing = await api.get(f"{url}/documents/not-a-document/pdf", headers=CLERK)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")


async def test_e_service_over_http(api: httpx.AsyncClient) -> None:
    created = await api.post(f"{BASE}/applications", json=APPLICATION, headers={**CLERK, "Idempotency-Key": "doc-2"})
    app = created.json()
    url = f"{BASE}/applications/{app['application_id']}/e-service"
    bad = await api.put(f"{url}/consents/employer", json={"channel": "email", "email": "nope"}, headers=CLERK)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "email"
    assert "title_zh" in bad.json()
    given = await api.put(
        f"{url}/consents/employer", json={"channel": "email", "email": "hr@example.com"}, headers=CLERK
    )
    assert given.status_code == 200 and given.json()["address_masked"] == "h***@example.com"
    accepted = await api.post(
        f"{BASE}/applications/{app['application_id']}/accept", json={"on": "2026-09-29"}, headers=CLERK
    )
    assert accepted.status_code == 200
    read = (await api.get(url, headers=CLERK)).json()
    assert read["consents"] == [{"party": "employer", "channel": "email", "address_masked": "h***@example.com"}]
    (delivery,) = read["deliveries"]
    assert delivery["kind"] == "acceptance_notice" and "hr@example.com" not in str(read)
    assert (await api.get(url, headers=WEIHAI)).status_code == 404

    anyone = SignedAs(ANONYMOUS)  # the gateway's assertion for a caller not signed in
    forged = await api.get(f"{BASE}/e-service/{delivery['delivery_id']}/{'0' * 32}", headers=anyone)
    assert forged.status_code == 404
    unsigned = await api.post(
        f"{BASE}/e-service/sms-receipts", content=b'{"reference":"x","status":"delivered"}', headers=anyone
    )
    assert unsigned.status_code == 401

    early = await api.post(  # before the notice existed (issued 09-29)
        f"{url}/deliveries/{delivery['delivery_id']}/manual", json={"served_on": "2026-09-28"}, headers=CLERK
    )
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "served_on"
    unknown = await api.post(
        f"{url}/deliveries/{delivery['delivery_id']}/manual",
        json={"served_on": "2026-09-30", "manner": "pigeon"},
        headers=CLERK,
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "manner"
    manual = await api.post(
        f"{url}/deliveries/{delivery['delivery_id']}/manual",
        json={"served_on": "2026-09-30", "manner": "left", "remarks": "见证人：物业管理员"},
        headers=CLERK,
    )
    assert manual.status_code == 200, manual.text
    (served,) = manual.json()["deliveries"]
    assert (served["status"], served["served_on"], served["receipt"]) == ("manual", "2026-09-30", "manual")

    # The 送达回证: beside the delivery, among the documents, a PDF for staff in scope and the worker.
    documents = f"{BASE}/applications/{app['application_id']}/documents"
    proof = next(d for d in (await api.get(documents, headers=CLERK)).json() if d["kind"] == "proof_of_service")
    assert proof["document_id"] == served["proof_document_id"] and proof["delivery_id"] == delivery["delivery_id"]
    assert proof["title"] == "送达回证" and proof["issued_on"] == "2026-09-30"
    pdf = await api.get(f"{documents}/{proof['document_id']}/pdf", headers=_worker(app["case_id"]))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    notice = next(d for d in (await api.get(documents, headers=CLERK)).json() if d["kind"] == "acceptance_notice")
    for line in (
        "送达回证",
        f"送达文书：受理通知书（{notice['number']}）",
        "受送达人：被申请人洛阳某建筑工程有限公司",
        "送达方式：留置送达",
        "送达日期：2026年9月30日",
        "送达人：clerk@4103",
        "见证人：物业管理员",
    ):
        assert line in text, line
    assert proof["number"] in text and proof["number"] != notice["number"]
    assert (await api.get(f"{documents}/{proof['document_id']}/pdf", headers=WEIHAI)).status_code == 404
    other_worker = _worker("someone-else")
    assert (await api.get(f"{documents}/{proof['document_id']}/pdf", headers=other_worker)).status_code == 404
    again = await api.post(f"{url}/deliveries/{delivery['delivery_id']}/resend", json={}, headers=CLERK)
    assert again.status_code == 409
    assert (await api.delete(f"{url}/consents/employer", headers=CLERK)).status_code == 204
