"""Finding and exporting in a real Chromium against the real stack: among 500 cases, a mediator
finds one by the worker's name, narrows the queue, exports it to XLSX and the file holds the
rows the page shows; the export is in the gateway's trail of exports. The court liaison opens
the 裁审衔接 workspace and finds a case by its 案号.
Screenshots go to test-artifacts/browser/<backend>/."""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from labornet_common.auth import Role
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
            print(f"found and exported in {time.monotonic() - started:.1f} s")
        except Exception:
            await screenshots(page, "search-failure")
            raise
        finally:
            await context.close()
        (noted,) = await _export_trail(stack.gateway)
        assert noted["subject"] == "demo:mediator.luoyang" and noted["list_name"] == "mediation.queue"
        assert noted["filters"] == {"q": "检索工人012", "status": "RECEIVED"} and noted["rows"] == 10
        assert noted["format"] == "xlsx"
