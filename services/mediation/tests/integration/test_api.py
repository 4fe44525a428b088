"""The mediation API over real HTTP (the service served in the test's loop, as the gateway calls
it): centres and mediators by region, the case workflow, problem+json, the printable agreement."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from labornet_common.security.auth import Principal, Role
from labornet_common.testing.inprocess import Services, assertion, running_services
from tests.support.mediation import GULOU_MEDIATOR, LUOYANG_CLERK, LUOYANG_MEDIATOR, staff_of

pytestmark = pytest.mark.asyncio(loop_scope="module")
LUOYANG_ARBITRATOR = Principal(subject="arb@4103", roles=frozenset({Role.arbitrator}), region_scopes=("4103",))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    from labornet_common.testing.databases import POSTGRES_ENV, postgres_base_url

    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    return str(request.param)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory):
    workdir: Path = tmp_path_factory.mktemp(f"mediation-api-{backend}")
    async with running_services(["mediation"], backend=backend, broker=broker, workdir=workdir) as running:
        yield running


async def _call(services: Services, method: str, path: str, who: Principal, **kwargs) -> httpx.Response:
    async with httpx.AsyncClient(base_url=services.urls["mediation"]) as client:
        return await client.request(method, f"/api/v1/mediation{path}", headers=assertion(who), **kwargs)


async def test_centres_of_my_region_with_their_tribunal_and_mediators(services) -> None:
    r = await _call(services, "GET", "/centres", LUOYANG_MEDIATOR)
    ids = {c["centre_id"] for c in r.json()}
    assert "med-410311007" in ids and not any(i.startswith("med-350102") for i in ids)
    centre = (await _call(services, "GET", "/centres/med-410311007", LUOYANG_MEDIATOR)).json()
    assert centre["tribunal"]["tribunal_id"] == "trib-410311-007"
    assert centre["commission"]["commission_id"] == "arb-4103"
    assert "demo:mediator.luoyang" in {m["subject"] for m in centre["mediators"]}
    assert (await _call(services, "GET", "/centres/med-410311007", GULOU_MEDIATOR)).status_code == 404
    gulou = (await _call(services, "GET", "/mediators", GULOU_MEDIATOR, params={"centre_id": "med-350102001"})).json()
    assert "demo:mediator.gulou" in {m["subject"] for m in gulou}
    other = await _call(services, "GET", "/mediators", GULOU_MEDIATOR, params={"centre_id": "med-410311007"})
    assert other.json() == []


async def test_open_accept_agree_breach_and_the_printable_agreement(services) -> None:
    body = {
        "workplace_division": "410311007",
        "worker_name": "王师傅",
        "employer_name": "洛阳某建筑工程有限公司",
        "facts": "拖欠工资",
        "claims": [{"category": "labor_remuneration", "amount_fen": 1860000}],
    }
    created = await _call(services, "POST", "/cases", LUOYANG_CLERK, json=body)
    assert created.status_code == 201, created.text
    case_id = created.json()["case_id"]
    accepted = (await _call(services, "POST", f"/cases/{case_id}/accept", LUOYANG_MEDIATOR)).json()
    assert accepted["status"] == "ACCEPTED" and accepted["centre_id"] == "med-410311007"
    assert accepted["clock"]["article"] == "LDA Art 14" and accepted["days_left"] == accepted["clock"]["days_left"]
    session = {"starts_at": "2026-12-01T09:00:00+08:00", "video_link": "https://meet.example.cn/r/1"}
    scheduled = await _call(services, "POST", f"/cases/{case_id}/sessions", LUOYANG_MEDIATOR, json=session)
    assert scheduled.status_code == 201
    attendance = await _call(
        services,
        "POST",
        f"/cases/{case_id}/sessions/{scheduled.json()['id']}/attendance",
        LUOYANG_MEDIATOR,
        json={"attended": ["王师傅", "单位代理人张某"]},
    )
    assert attendance.json()["sessions"][0]["attended"] == ["王师傅", "单位代理人张某"]
    assert attendance.json()["history_zh"][-1].endswith("调解会议出席：王师傅、单位代理人张某")
    note = {"text": "双方同意分期支付"}
    assert (await _call(services, "POST", f"/cases/{case_id}/notes", LUOYANG_MEDIATOR, json=note)).status_code == 201
    term = {
        "payer": "洛阳某建筑工程有限公司",
        "payee": "王师傅",
        "item": "welfare",
        "amount_fen": 90000,
        "due_on": "2026-11-20",
    }  # fell due before today: a breach can be recorded (LDA Art. 15)
    agreed = await _call(
        services,
        "POST",
        f"/cases/{case_id}/agreement",
        LUOYANG_MEDIATOR,
        json={"terms": [term], "signed_and_sealed": True, "effective_on": "2026-11-02"},
    )
    assert agreed.status_code == 201 and agreed.json()["status"] == "AGREED", agreed.text
    doc = await _call(services, "GET", f"/cases/{case_id}/agreement/document", LUOYANG_CLERK)
    assert doc.headers["content-type"].startswith("text/html") and "劳动争议调解协议书" in doc.text
    text = await _call(
        services, "GET", f"/cases/{case_id}/agreement/document", LUOYANG_CLERK, params={"format": "text"}
    )
    assert "调解员签名" in text.text and "洛龙区科技园街道劳动争议调解中心（调解组织印章）" in text.text
    breached = await _call(
        services, "POST", f"/cases/{case_id}/agreement/performance", LUOYANG_MEDIATOR, json={"outcome": "breached"}
    )
    assert breached.json()["status"] == "BREACHED"
    refused = await _call(
        services, "POST", f"/cases/{case_id}/court-requests", LUOYANG_MEDIATOR, json={"kind": "payment_order"}
    )
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["errors"][0]["field"] == "kind"
    assert refused.json()["type"].endswith("mediation.payment_order_ineligible")
    assert "第十六条" in refused.json()["title"]
    moved = await _call(services, "POST", f"/cases/{case_id}/transfer", LUOYANG_MEDIATOR)
    again = await _call(services, "POST", f"/cases/{case_id}/transfer", LUOYANG_MEDIATOR)
    assert (moved.status_code, again.status_code) == (201, 200)
    assert moved.json()["transfer_id"] == again.json()["transfer_id"]
    assert moved.json()["tribunal_id"] == "trib-410311-007"
    detail = (await _call(services, "GET", f"/cases/{case_id}", LUOYANG_CLERK)).json()
    assert detail["status"] == "TRANSFERRED" and detail["clock"]["status"] == "stopped" and detail["notes"]


async def test_bad_input_and_out_of_scope_calls(services) -> None:
    bad = await _call(
        services,
        "POST",
        "/cases",
        LUOYANG_CLERK,
        json={"workplace_division": "419999", "worker_name": "x", "employer_name": "y"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "workplace_division"
    elsewhere = await _call(
        services,
        "POST",
        "/cases",
        GULOU_MEDIATOR,
        json={"workplace_division": "410311007", "worker_name": "x", "employer_name": "y"},
    )
    assert elsewhere.status_code == 403
    kaiyuan = {"workplace_division": "410311002", "worker_name": "x", "employer_name": "y"}
    other_centre = await _call(services, "POST", "/cases", LUOYANG_CLERK, json=kaiyuan)
    assert other_centre.status_code == 403  # 科技园's clerk does not act for 开元路's centre
    kaiyuan_clerk = staff_of(LUOYANG_CLERK, "med-410311002")
    created = await _call(services, "POST", "/cases", kaiyuan_clerk, json=kaiyuan)
    case_id = created.json()["case_id"]
    not_ours = await _call(services, "POST", f"/cases/{case_id}/notes", LUOYANG_CLERK, json={"text": "x"})
    assert not_ours.status_code == 403
    for path in ("/accept", "/transfer", "/notes"):
        r = await _call(services, "POST", f"/cases/{case_id}{path}", GULOU_MEDIATOR, json={"text": "x"})
        assert r.status_code == 404, path
    # An arbitrator of the region reads mediation files but does not work them.
    assert (await _call(services, "GET", f"/cases/{case_id}", LUOYANG_ARBITRATOR)).status_code == 200
    assert (await _call(services, "POST", f"/cases/{case_id}/accept", LUOYANG_ARBITRATOR)).status_code == 403
    wrong = await _call(
        services,
        "POST",
        f"/cases/{case_id}/sessions",
        kaiyuan_clerk,
        json={"starts_at": "2026-12-01T09:00:00+08:00", "place": "调解室"},
    )
    assert wrong.status_code == 409  # not accepted yet
    failed = await _call(services, "POST", f"/cases/{case_id}/failure", kaiyuan_clerk, json={"reason": "timed_out"})
    assert failed.status_code == 422 and failed.json()["errors"][0]["field"] == "reason"  # only the scanner times out


async def test_the_queue_lists_my_open_cases_nearest_deadline_first(services) -> None:
    for received in ("2026-11-02", "2026-10-20", "2026-11-01"):
        await _call(
            services,
            "POST",
            "/cases",
            LUOYANG_CLERK,
            json={
                "workplace_division": "410311007",
                "worker_name": "x",
                "employer_name": "y",
                "received_on": received,
            },
        )
    items = (await _call(services, "GET", "/queue", LUOYANG_MEDIATOR)).json()["items"]
    due = [i["due_on"] for i in items]
    assert due == sorted(due) and len(items) >= 3
    assert all(i["status"] in ("RECEIVED", "ACCEPTED", "MEDIATING") for i in items)
    assert (await _call(services, "GET", "/queue", GULOU_MEDIATOR)).json()["items"] == []


async def test_the_filtered_queue_exports_as_csv_and_xlsx_with_the_rows_of_the_screen(services) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    body = {
        "workplace_division": "410311007",
        "employer_name": "洛阳某检索测试有限公司",
        "facts": "拖欠工资",
        "claims": [{"category": "labor_remuneration", "amount_fen": 100000}],
    }
    for name in ("导出甲", "导出乙", "另一人"):
        created = await _call(services, "POST", "/cases", LUOYANG_CLERK, json={**body, "worker_name": name})
        assert created.status_code == 201, created.text
    params = {"q": "导出", "sort": "received"}
    screen = (await _call(services, "GET", "/queue", LUOYANG_MEDIATOR, params=params)).json()["items"]
    assert sorted(c["worker_name"] for c in screen) == ["导出乙", "导出甲"]

    as_csv = await _call(services, "GET", "/queue/export", LUOYANG_MEDIATOR, params={**params, "format": "csv"})
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["x-export-rows"] == "2" and as_csv.headers["x-export-list"] == "mediation.queue"
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["受理编号", "劳动者", "用人单位"]
    assert [r[1] for r in rows[1:]] == [c["worker_name"] for c in screen]

    as_xlsx = await _call(services, "GET", "/queue/export", LUOYANG_MEDIATOR, params={**params, "format": "xlsx"})
    assert as_xlsx.status_code == 200 and as_xlsx.headers["x-export-format"] == "xlsx"
    sheet = load_workbook(io.BytesIO(as_xlsx.content), read_only=True).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [r[1] for r in values[1:]] == [c["worker_name"] for c in screen]
    assert [r[9] for r in values[1:]] == [c["case_id"] for c in screen]

    # Another region's mediator exports nothing of this region; a bad format or filter is 422 naming it.
    other = await _call(services, "GET", "/queue/export", GULOU_MEDIATOR, params={**params, "format": "csv"})
    assert other.headers["x-export-rows"] == "0"
    for bad, field in (({"format": "pdf"}, "format"), ({"format": "csv", "status": "NOPE"}, "status")):
        refused = await _call(services, "GET", "/cases/export", LUOYANG_CLERK, params=bad)
        assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["title_zh"] and problem["title"]
        assert [e["field"] for e in problem["errors"]] == [field], problem
        assert all(e["message_zh"] and e["message_en"] for e in problem["errors"])


async def test_the_agreement_pdf_for_the_case_worker_and_staff_in_scope_only(services) -> None:
    body = {
        "workplace_division": "410311007",
        "worker_name": "李师傅",
        "employer_name": "洛阳某机械制造有限公司",
        "facts": "拖欠加班费",
        "claims": [{"category": "labor_remuneration", "amount_fen": 560000}],
    }
    case_id = (await _call(services, "POST", "/cases", LUOYANG_CLERK, json=body)).json()["case_id"]
    assert (await _call(services, "POST", f"/cases/{case_id}/accept", LUOYANG_MEDIATOR)).status_code == 200
    term = {"payer": "洛阳某机械制造有限公司", "payee": "李师傅", "item": "labor_remuneration", "amount_fen": 560000}
    agreement = {"terms": [{**term, "due_on": "2026-12-31"}], "signed_and_sealed": True}
    agreed = await _call(services, "POST", f"/cases/{case_id}/agreement", LUOYANG_MEDIATOR, json=agreement)
    assert agreed.status_code == 201, agreed.text
    worker = Principal(subject="worker:li", roles=frozenset({Role.worker}), case_ids=frozenset({case_id}))
    stranger = Principal(subject="worker:zhao", roles=frozenset({Role.worker}), case_ids=frozenset({"other-case"}))
    listed = await _call(services, "GET", f"/cases/{case_id}/documents", worker)
    assert listed.status_code == 200, listed.text
    (doc,) = listed.json()
    assert doc["title"] == "劳动争议调解协议书" and doc["number"].startswith("med-410311007调〔")
    pdf = await _call(services, "GET", f"/cases/{case_id}/documents/{doc['document_id']}/pdf", LUOYANG_CLERK)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    (rendered,) = (await _call(services, "GET", f"/cases/{case_id}/documents", LUOYANG_CLERK)).json()
    assert pdf.headers["etag"] == f'"{rendered["sha256"]}"' and rendered["size_bytes"] == len(pdf.content)
    again = await _call(services, "GET", f"/cases/{case_id}/documents/{doc['document_id']}/pdf", worker)
    assert again.status_code == 200 and again.content == pdf.content
    for outsider in (stranger, GULOU_MEDIATOR):
        assert (await _call(services, "GET", f"/cases/{case_id}/documents", outsider)).status_code == 404
        missing = await _call(services, "GET", f"/cases/{case_id}/documents/{doc['document_id']}/pdf", outsider)
        assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
