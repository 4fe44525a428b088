"""Finding and exporting in a real Chromium against the real stack: among 500 cases, a mediator
finds one by the worker's name, narrows the queue, exports it to XLSX and the file holds the
rows the page shows; the export is in the gateway's trail of exports. The court liaison opens
the 裁审衔接 workspace and finds a case by its 案号. A clerk finds a complaint in the register
by the worker's name, with the ID number and phone masked on the page and in the export; an
inspector finds the recommended criminal referral that complaint raised and the incidents
recorded, each list with its export. An administrator names a 和谐劳动关系 enterprise in the
register, finds it, removes it (the removed entry exported as on screen), and the dashboard's
check no longer lists it.
Screenshots go to test-artifacts/browser/<backend>/."""

from __future__ import annotations

import asyncio
import csv
import io
import time
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from labornet_common.security.auth import Principal, Role
from labornet_common.testing.inprocess import SignedAs
from labornet_common.testing.stack import running_stack
from tests.support.arbitration import staff
from tests.support.mediation import LUOYANG_CLERK

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CASES = 500
NAME = "检索工人{:04d}"


async def _open_cases(mediation_url: str) -> None:
    """500 cases opened at 洛龙区's centre through the mediation service's own API, 16 at a time."""
    body = {
        "workplace_division": "410311007",
        "employer_name": "洛阳某建筑工程有限公司",
        "facts": "拖欠工资",
        "claims": [{"category": "labor_remuneration", "amount_fen": 100000}],
    }
    gate = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=mediation_url, timeout=30) as client:

        async def one(n: int) -> None:
            async with gate:
                r = await client.post(
                    "/api/v1/mediation/cases",
                    json={**body, "worker_name": NAME.format(n)},
                    headers=SignedAs(LUOYANG_CLERK),
                )
                assert r.status_code == 201, r.text

        await asyncio.gather(*(one(n) for n in range(CASES)))


async def _sign_in(page, base: str, username: str, password: str) -> None:
    await page.goto(f"{base}/console/login")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", password)
    await page.click("main button[type=submit]")


async def _search(page, text: str) -> None:
    await page.fill("[data-testid=search-q]", text)
    await page.click("[data-testid=search-submit]")
    await page.wait_for_load_state()


async def _rows(page) -> list[str]:
    return [
        await r.get_attribute("data-case-id") or ""
        for r in await page.locator("[data-testid=queue] tr[data-case-id]").all()
    ]


async def _mediator_finds_and_exports(page, base: str, shot) -> None:
    await _sign_in(page, base, "mediator.luoyang", "mediator-demo-4103")
    await page.goto(f"{base}/console/mediation")
    # Every page of the queue is shown: nothing is cut off at 50 or 100.
    assert len(await _rows(page)) >= CASES
    assert f"共 {len(await _rows(page))} 件" in await page.locator("[data-testid=list-count]").inner_text()
    await shot(page, "search-01-queue-500")

    await _search(page, NAME.format(123))
    found = page.locator("[data-testid=queue] tr[data-case-id]")
    assert await found.count() == 1 and NAME.format(123) in await found.inner_text()
    await shot(page, "search-02-found-by-worker")

    await _search(page, "检索工人012")  # 0120 … 0129
    shown = await _rows(page)
    assert len(shown) == 10
    await page.select_option("[data-testid=filter-status]", "RECEIVED")
    await page.click("[data-testid=search-submit]")
    await page.wait_for_load_state()
    assert await _rows(page) == shown
    await shot(page, "search-03-filtered")

    async with page.expect_download() as download_info:
        await page.click("[data-testid=export-xlsx]")
    download = await download_info.value
    assert download.suggested_filename == "mediation.queue.xlsx"
    content = await asyncio.to_thread(Path(await download.path()).read_bytes)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["受理编号", "劳动者", "用人单位"] and values[0][9] == "案件编号"
    assert [r[9] for r in values[1:]] == shown  # the same rows, in the page's order
    assert sorted(r[1] for r in values[1:]) == [NAME.format(n) for n in range(120, 130)]

    # A bad filter is told next to the filters, in Chinese, naming the field.
    await page.goto(f"{base}/console/mediation?from=2026-12-05&to=2026-12-01")
    assert await page.locator("[data-testid=list-error] [data-field=from]").count() == 1
    await shot(page, "search-04-bad-filter")


async def _docketed_in_weihai(arbitration_url: str) -> str:
    """An application at 威海's commission, accepted by its arbitrator: the 案号 the court looks up."""
    body = {
        "commission_id": "arb-3710",
        "workplace_division": "371002",
        "worker_name": "案号查询工人",
        "employer_name": "威海某船舶配件有限公司",
        "claims": [{"category": "labor_remuneration", "amount_fen": 2_000_000}],
    }
    async with httpx.AsyncClient(base_url=arbitration_url, timeout=30) as client:
        clerk = SignedAs(staff(Role.clerk, "3710"))
        filed = await client.post("/api/v1/arbitration/applications", json=body, headers=clerk)
        assert filed.status_code == 201, filed.text
        arbitrator = SignedAs(staff(Role.arbitrator, "3710", "demo:arbitrator.weihai"))
        url = f"/api/v1/arbitration/applications/{filed.json()['application_id']}/accept"
        accepted = await client.post(url, json={}, headers=arbitrator)
        assert accepted.status_code == 200, accepted.text
        return str(accepted.json()["case_number"])


async def _court_finds_by_docket_number(page, base: str, shot, docket: str) -> None:
    await page.context.clear_cookies()
    await _sign_in(page, base, "court.weihai", "court-demo-3710")
    await page.goto(f"{base}/console/")
    await page.click("text=裁审衔接")
    await page.wait_for_url(f"{base}/console/court")
    await shot(page, "court-01-workspace")
    result = page.locator("[data-testid=found-case-number]")
    for _ in range(100):  # the court's index learns the 案号 from arbitration's event (Kafka)
        await page.fill("[data-testid=case-number]", docket)
        await page.click("[data-testid=lookup-submit]")
        await page.wait_for_load_state()
        if await result.count():
            break
        await page.wait_for_timeout(200)
    assert await result.inner_text() == docket
    assert "案号查询工人" in await page.locator("[data-testid=lookup-result]").inner_text()
    assert await page.locator("[data-testid=found-status]").inner_text() == "已立案"
    await shot(page, "court-02-found-by-docket-number")
    # A 案号 of no case in the court's jurisdiction is told as such.
    await page.fill("[data-testid=case-number]", "洛劳人仲案字〔2026〕第99999号")
    await page.click("[data-testid=lookup-submit]")
    assert "没有该案号" in await page.locator("[data-testid=lookup-message]").inner_text()


ID_NUMBER, PHONE = "11010519491231002X", "13812341234"


async def _complaint_with_three_months_unpaid(intake_url: str) -> str:
    """Filed at another window of 洛阳 (so the demo clerk sees the ID number and phone masked):
    one worker, three whole months, 5,000 yuan, the 2013 interpretation's Art. 3(一) floor that
    makes wage-arrears recommend a criminal referral."""
    body = {
        "channel": "window",
        "workplace_division": "410311",
        "worker_name": "登记簿工人",
        "worker_id_number": ID_NUMBER,
        "worker_phone": PHONE,
        "employer_name": "洛阳某移送测试建筑有限公司",
        "facts": "拖欠三个月工资",
        "claims": [
            {
                "category": "labor_remuneration",
                "amount_fen": 500_000,
                "period_from": "2026-07-01",
                "period_to": "2026-09-30",
            }
        ],
    }
    other_clerk = SignedAs(staff(Role.clerk, "4103", "clerk.other@4103", org=None))
    async with httpx.AsyncClient(base_url=intake_url, timeout=30) as client:
        r = await client.post("/api/v1/complaints", json=body, headers={**other_clerk, "Idempotency-Key": "register-1"})
        assert r.status_code == 201, r.text
        return str(r.json()["tracking_number"])


async def _download(page, testid: str) -> tuple[str, bytes]:
    async with page.expect_download() as download_info:
        await page.click(f"[data-testid={testid}]")
    download = await download_info.value
    return download.suggested_filename, await asyncio.to_thread(Path(await download.path()).read_bytes)


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


async def _clerk_finds_in_the_register(page, base: str, shot, tracking: str) -> None:
    await page.context.clear_cookies()
    await _sign_in(page, base, "clerk.luoyang", "clerk-demo-4103")
    await page.goto(f"{base}/console/")
    await page.click("header nav.desks a[href='/console/clerk/complaints']")
    await page.wait_for_url(f"{base}/console/clerk/complaints")
    await _search(page, "登记簿工人")
    rows = page.locator("[data-testid=complaints] tr[data-case-id]")
    assert await rows.count() == 1
    assert await rows.locator("[data-testid=tracking-number]").inner_text() == tracking + "\n窗口受理"
    shown_id = await rows.locator("[data-testid=worker-id-number]").inner_text()
    shown_phone = await rows.locator("[data-testid=worker-phone]").inner_text()
    assert "*" in shown_id and shown_id != ID_NUMBER and "*" in shown_phone and shown_phone != PHONE
    await shot(page, "register-01-clerk-found-by-worker")
    await _search(page, tracking)
    assert await rows.count() == 1
    name, content = await _download(page, "export-csv")
    assert name == "intake.complaints.csv"
    header, *exported = _csv_rows(content)
    assert [dict(zip(header, r, strict=True))["受理编号"] for r in exported] == [tracking]
    assert (exported[0][header.index("身份证号码")], exported[0][header.index("联系电话")]) == (shown_id, shown_phone)
    assert ID_NUMBER not in content.decode("utf-8-sig") and PHONE not in content.decode("utf-8-sig")


async def _inspector_finds_referrals_and_incidents(page, base: str, shot, wage_arrears_url: str) -> None:
    await page.context.clear_cookies()
    await _sign_in(page, base, "inspector.luoyang", "inspector-demo-4103")
    rows = page.locator("[data-testid=referrals] tr[data-referral-id]")
    for _ in range(150):  # wage-arrears learns of the complaint from intake's event (Kafka)
        await page.goto(f"{base}/console/referrals?q=移送测试")
        if await rows.count():
            break
        await page.wait_for_timeout(200)
    assert await rows.count() == 1 and "洛阳某移送测试建筑有限公司" in await rows.inner_text()
    referral_id = await rows.get_attribute("data-referral-id")
    await shot(page, "register-02-referrals")
    name, content = await _download(page, "export-xlsx")
    assert name == "wage-arrears.referrals.xlsx"
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][-1] == "移送编号" and [r[-1] for r in values[1:]] == [referral_id]

    inspector = SignedAs(
        Principal(subject="demo:inspector.luoyang", roles=frozenset({Role.inspector}), region_scopes=("4103",))
    )
    async with httpx.AsyncClient(base_url=wage_arrears_url, timeout=30) as client:
        for n in range(3):
            event = {
                "region_code": "410311",
                "employer_name": f"洛阳某事件{n}劳务有限公司",
                "kind": "mass",
                "occurred_on": "2026-11-0" + str(n + 1),
                "serious_impact": n == 0,
                "workers_involved": 20 + n,
            }
            r = await client.post("/api/v1/wage-arrears/incidents", json=event, headers=inspector)
            assert r.status_code == 201, r.text
    await page.goto(f"{base}/console/incidents")
    incidents = page.locator("[data-testid=incidents] tr[data-incident-id]")
    assert await incidents.count() == 3
    assert "共 3 件" in await page.locator("[data-testid=list-count]").inner_text()
    assert "洛阳某事件2劳务有限公司" in await incidents.first.inner_text()  # the latest day first
    await _search(page, "事件1劳务")
    assert await incidents.count() == 1 and "洛阳某事件1劳务有限公司" in await incidents.inner_text()
    await shot(page, "register-03-incidents-searched")
    name, content = await _download(page, "export-csv")
    header, *exported = _csv_rows(content)
    assert name == "wage-arrears.incidents.csv" and [r[header.index("涉及人数")] for r in exported] == ["21"]


HARMONY = "洛阳和谐名册测试机械有限公司"


async def _admin_keeps_the_enterprise_register(page, base: str, shot) -> None:
    await page.context.clear_cookies()
    await _sign_in(page, base, "admin", "admin-demo")
    await page.goto(f"{base}/console/reports")
    assert HARMONY not in await page.locator("[data-testid=enterprise-check]").inner_text()
    await page.click("[data-testid=enterprise-register]")
    await page.wait_for_url(f"{base}/console/reports/enterprises")
    form = page.locator("form[data-action=name]")
    await form.locator("input[name=name]").fill(HARMONY)
    await form.locator("input[name=region]").fill("41a")
    await form.locator("button[type=submit]").click()
    await page.wait_for_load_state()
    assert await form.locator(".field-error[data-field=region]").count() == 1  # refused at its field
    await form.locator("input[name=region]").fill("4103")
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(f"{base}/console/reports/enterprises?done=named")
    await page.goto(f"{base}/console/reports")
    assert HARMONY in await page.locator("[data-testid=enterprise-check]").inner_text()

    await page.goto(f"{base}/console/reports/enterprises")
    await _search(page, "名册测试")
    row = page.locator("[data-testid=enterprises] tr[data-enterprise-id]")
    assert await row.count() == 1 and await row.get_attribute("data-status") == "named"
    await shot(page, "register-04-enterprise-named")
    await row.locator("input[name=reason]").fill("命名已被撤销")
    await row.locator("button[type=submit]").click()
    await page.wait_for_url(f"{base}/console/reports/enterprises?done=removed")
    await page.goto(f"{base}/console/reports/enterprises?status=removed&q=名册测试")
    assert (
        await row.count() == 1 and "命名已被撤销" in await row.locator("[data-testid=enterprise-status]").inner_text()
    )
    await shot(page, "register-05-enterprise-removed")
    name, content = await _download(page, "export-xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    exported = [[c.value for c in r] for r in sheet.iter_rows()]
    assert name == "reports.named_enterprises.xlsx" and [(r[0], r[5]) for r in exported[1:]] == [(HARMONY, "已移除")]
    await page.goto(f"{base}/console/reports")
    assert HARMONY not in await page.locator("[data-testid=enterprise-check]").inner_text()


async def _export_trail(base: str) -> list[dict]:
    async with httpx.AsyncClient(base_url=base) as client:
        r = await client.post("/api/v1/auth/token", json={"username": "admin", "password": "admin-demo"})
        token = r.json()["access_token"]
        trail = await client.get("/api/v1/audit/exports", headers={"authorization": f"Bearer {token}"})
        assert trail.status_code == 200, trail.text
        return trail.json()


async def test_find_among_500_and_export(db_backend: str, broker: str, tmp_path: Path, chromium, screenshots) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        started = time.monotonic()
        await _open_cases(stack.urls["mediation"])
        print(f"{CASES} cases opened in {time.monotonic() - started:.1f} s")
        context = await chromium.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        page = await context.new_page()
        try:
            started = time.monotonic()
            await _mediator_finds_and_exports(page, stack.gateway, screenshots)
            docket = await _docketed_in_weihai(stack.urls["arbitration"])
            await _court_finds_by_docket_number(page, stack.gateway, screenshots, docket)
            tracking = await _complaint_with_three_months_unpaid(stack.urls["intake"])
            await _clerk_finds_in_the_register(page, stack.gateway, screenshots, tracking)
            await _inspector_finds_referrals_and_incidents(page, stack.gateway, screenshots, stack.urls["wage-arrears"])
            await _admin_keeps_the_enterprise_register(page, stack.gateway, screenshots)
            print(f"found and exported in {time.monotonic() - started:.1f} s")
        except Exception:
            await screenshots(page, "search-failure")
            raise
        finally:
            await context.close()
        trail = await _export_trail(stack.gateway)
        [noted] = [e for e in trail if e["list_name"] == "mediation.queue"]
        assert noted["subject"] == "demo:mediator.luoyang"
        assert noted["filters"] == {"q": "检索工人012", "status": "RECEIVED"} and noted["rows"] == 10
        assert noted["format"] == "xlsx"
        by_list = {e["list_name"]: (e["subject"], e["rows"], e["format"]) for e in trail}
        assert by_list["intake.complaints"] == ("demo:clerk.luoyang", 1, "csv")
        assert by_list["wage-arrears.referrals"] == ("demo:inspector.luoyang", 1, "xlsx")
        assert by_list["wage-arrears.incidents"] == ("demo:inspector.luoyang", 1, "csv")
        assert by_list["reports.named_enterprises"] == ("demo:admin", 1, "xlsx")
        assert len(trail) == 5
