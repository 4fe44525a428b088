"""Intake's documents over HTTP: a clerk's 补正通知书 (a changed list is a new version, the law
cited, within 5 days of receipt only), the 移送函 of a redirected complaint, and who reads them:
the case's worker and staff in scope; another worker and staff of another region get 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader

from labornet_common.platform.clock import local_date
from labornet_common.security.auth import Role
from labornet_common.testing.intake_support import as_, clerk, complaint_body, outbox_events, staff, worker

pytestmark = pytest.mark.asyncio(loop_scope="module")
TODAY = local_date(datetime.now(UTC))
MISSING = ["劳动合同或者工资发放记录", "用人单位的准确名称和住所"]


async def _file(intake, who=None, **overrides) -> dict:
    async with intake.client() as client:
        r = await client.post("/api/v1/complaints", json=complaint_body(**overrides), headers=as_(who))
    assert r.status_code == 201, r.text
    return r.json()


async def _correction(intake, case_id: str, who, **body):
    async with intake.client() as client:
        return await client.post(f"/api/v1/complaints/{case_id}/correction-notice", json=body, headers=as_(who))


async def _get(intake, path: str, who):
    async with intake.client() as client:
        return await client.get(f"/api/v1/complaints/{path}", headers=as_(who))


async def test_a_correction_notice_is_numbered_versioned_announced_and_read_by_its_worker(intake) -> None:
    case_id = (await _file(intake, employer_name="补正通知测试公司"))["case_id"]
    due = str(TODAY + timedelta(days=10))
    first = await _correction(intake, case_id, clerk("4103"), missing=MISSING[:1], due_on=due)
    assert first.status_code == 201, first.text
    notice = first.json()
    assert notice["title"] == "补正通知书" and notice["version"] == 1
    assert notice["number"].startswith(f"410311窗〔{TODAY.year}〕") and notice["number"].endswith("号")
    again = await _correction(intake, case_id, clerk("4103"), missing=MISSING[:1], due_on=due)
    assert again.json()["document_id"] == notice["document_id"]  # the same list: the notice as it stands
    changed = (await _correction(intake, case_id, clerk("4103"), missing=MISSING, due_on=due)).json()
    assert (changed["number"], changed["version"]) == (notice["number"], 2)

    issued = [data for kind, data in await outbox_events(intake.database_url, case_id) if kind == "issued"]
    assert [e["version"] for e in issued] == [1, 2] and issued[0]["kind"] == "correction_notice"
    assert "王师傅" not in str(issued) and "补正通知测试公司" not in str(issued)  # no party in the event

    listed = await _get(intake, f"{case_id}/documents", worker(case_id))
    assert listed.status_code == 200 and [d["version"] for d in listed.json()] == [1, 2]
    pdf = await _get(intake, f"{case_id}/documents/{changed['document_id']}/pdf", worker(case_id))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages).replace(" ", "")
    assert "补正通知书" in text and "用人单位的准确名称和住所" in text and "第二十九条" in text
    assert "（第2版，更正）" in text

    for outsider in (worker("another-case"), clerk("3710")):
        assert (await _get(intake, f"{case_id}/documents", outsider)).status_code == 404
        missing = await _get(intake, f"{case_id}/documents/{changed['document_id']}/pdf", outsider)
        assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
        assert (await _correction(intake, case_id, outsider, missing=MISSING, due_on=due)).status_code == 404


async def test_bad_requests_name_their_field_and_others_than_clerks_are_refused(intake) -> None:
    case_id = (await _file(intake, employer_name="补正校验测试公司"))["case_id"]
    past = await _correction(intake, case_id, clerk("4103"), missing=MISSING, due_on=str(TODAY))
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "due_on"
    empty = await _correction(intake, case_id, clerk("4103"), missing=[], due_on=str(TODAY + timedelta(days=5)))
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "missing"
    blank = await _correction(intake, case_id, clerk("4103"), missing=["  "], due_on=str(TODAY + timedelta(days=5)))
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"].startswith("missing")
    mediator = staff(Role.mediator, "4103")
    refused = await _correction(intake, case_id, mediator, missing=MISSING, due_on=str(TODAY + timedelta(days=5)))
    assert refused.status_code == 403 and refused.json()["type"].endswith("intake.correction_not_allowed")


async def test_after_five_days_from_receipt_no_correction_is_asked_for(intake) -> None:
    received = datetime.now(UTC) - timedelta(days=6)  # 办案规则 Art. 29: 5 days from receipt
    filed = await _file(
        intake, clerk("4103"), channel="window", employer_name="补正逾期测试公司", received_at=received.isoformat()
    )
    late = await _correction(
        intake, filed["case_id"], clerk("4103"), missing=MISSING, due_on=str(TODAY + timedelta(days=5))
    )
    assert late.status_code == 409 and late.json()["type"].endswith("intake.correction_too_late")


async def test_a_redirected_complaint_gets_its_referral_letter(intake) -> None:
    filed = await _file(
        intake, employer_name="移送函测试公司", requested_route="inspection", pending_proceedings="arbitration"
    )
    (letter,) = (await _get(intake, f"{filed['case_id']}/documents", clerk("4103"))).json()
    assert letter["title"] == "移送函" and letter["kind"] == "referral_letter" and letter["version"] == 1
    pdf = await _get(intake, f"{filed['case_id']}/documents/{letter['document_id']}/pdf", clerk("4103"))
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages).replace(" ", "")
    assert "移送函" in text and "第二十一条" in text and "仲裁委员会" in text
