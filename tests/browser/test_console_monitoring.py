"""The monitoring dashboard and the administrator's webhook and audit desks in a real Chromium
against the real stack: the figures of a collective wage complaint against a named 和谐劳动关系
enterprise on screen and in print (the charts are images drawn on the server, nothing fetched
from elsewhere), the webhook desk, and the audit desk taking and checking a checkpoint.
Screenshots go to test-artifacts/browser/<backend>/monitoring-*.png."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from labornet_common.standards.uscc import org_code_check_char, uscc_check_char
from labornet_common.testing.api import eventually, sign_in
from labornet_common.testing.stack import running_stack

pytestmark = [pytest.mark.browser, pytest.mark.slow]
RUN = uuid.uuid4().hex[:6].upper()  # the broker is shared by the session's stacks
ORG = ("MB" + RUN)[:8]
USCC = "91410300" + ORG + org_code_check_char(ORG)
USCC += uscc_check_char(USCC)
HARMONY = f"洛阳和谐示范机械有限公司{RUN}"


async def _named_enterprise_with_a_collective_complaint(base: str) -> dict:
    """The figures once the complaint's alert has reached the dashboard."""
    async with httpx.AsyncClient(base_url=base, timeout=20) as client:
        admin = await sign_in(client, "admin", "admin-demo")
        body = {"name": HARMONY, "uscc": USCC, "level": "市级", "region": "4103"}
        assert (await client.post("/api/v1/reports/named-enterprises", json=body, headers=admin)).status_code == 201
        complaint = {
            "workplace_division": "410311007",
            "worker_name": "王五",
            "employer_name": HARMONY,
            "employer_uscc": USCC,
            "worker_count": 12,
            "facts": "拖欠三个月工资",
            "claims": [{"category": "labor_remuneration", "amount_fen": 3_600_000}],
        }
        key = {"Idempotency-Key": uuid.uuid4().hex}
        assert (await client.post("/api/v1/complaints", json=complaint, headers=key)).status_code == 201

        async def figures() -> dict:
            return (await client.get("/api/v1/reports/dashboard", headers=admin)).json()["figures"]

        def flagged(f: dict) -> bool:
            # The dashboard's figures come from several projections: wait until each has the filing.
            check = any(e["uscc"] == USCC and e["check"] and e["alerts"] >= 1 for e in f["enterprise_check"])
            return check and f["filings"] >= 1 and len(f["collective"]) >= 1

        found = await eventually(figures, flagged, 60)
        assert flagged(found), found["enterprise_check"]
        return found


async def _sign_in(page, base: str) -> None:
    await page.goto(f"{base}/console/login")
    await page.fill("input[name=username]", "admin")
    await page.fill("input[name=password]", "admin-demo")
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"{base}/console/")


async def _dashboard(page, base: str, shot, figures: dict) -> None:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:")) else None)
    await page.click("header nav.desks a[href='/console/reports']")
    await page.wait_for_url(f"{base}/console/reports")
    assert await page.locator("[data-testid=fig-filings] .big").inner_text() == str(figures["filings"])
    assert await page.locator("[data-testid=fig-collective] .big").inner_text() == str(len(figures["collective"]))
    check = page.locator(f"[data-testid=enterprise-check] tr[data-uscc='{USCC}']")
    assert "需动态核查" in await check.inner_text()
    charts = page.locator("img[data-testid^=chart-]")
    assert await charts.count() == 4
    for n in range(4):  # each chart decoded and drawn
        assert await charts.nth(n).evaluate("img => img.complete && img.naturalWidth > 0")
    assert outside == []
    await shot(page, "monitoring-01-dashboard")
    await page.emulate_media(media="print")
    assert not await page.locator("form[action='/console/reports/rebuild']").is_visible()  # not on paper
    await shot(page, "monitoring-02-dashboard-print")
    await page.emulate_media(media="screen")


async def _admin_desks(page, base: str, shot) -> None:
    await page.goto(f"{base}/console/admin/webhooks")
    assert await page.locator("[data-testid=add-endpoint]").is_visible()
    await shot(page, "monitoring-03-webhooks")
    await page.goto(f"{base}/console/admin/audit")
    assert await page.locator("[data-testid=verification]").get_attribute("data-ok") == "yes"
    await page.click("form[action='/console/admin/audit/checkpoint'] button")
    receipt = await page.locator("[data-testid=receipt]").inner_text()
    await shot(page, "monitoring-04-audit-checkpoint")
    await page.fill("textarea[name=receipt]", receipt)
    await page.click("form[action='/console/admin/audit/check-receipt'] button")
    assert await page.locator("[data-testid=receipt-check]").get_attribute("data-status") == "consistent"
    await shot(page, "monitoring-05-audit-receipt-checked")


async def test_dashboard_and_admin_desks(db_backend: str, broker: str, tmp_path: Path, chromium, screenshots) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        figures = await _named_enterprise_with_a_collective_complaint(stack.gateway)
        context = await chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = await context.new_page()
        try:
            await _sign_in(page, stack.gateway)
            await _dashboard(page, stack.gateway, screenshots, figures)
            await _admin_desks(page, stack.gateway, screenshots)
        except Exception:
            await screenshots(page, "monitoring-failure")
            raise
        finally:
            await context.close()
