"""The arbitrator's screens for arbitration as practised, over HTTP without a browser: the simplified
procedure (and the sole arbitrator it needs), 公告送达 left out of the award period, 先予执行
transferred to the court, a postponement that leaves the award period running, a partial award
and its service, a withdrawal with its settlement and the limitation period, a deemed withdrawal
and a default award (LDA Art. 36); each refusal of the API shown next to the field it concerns.
In Chromium: the administrator's arbitrator roster desk (LDA Art. 20), with a screenshot."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from labornet_common.testing.inprocess import Services, running_services
from tests.browser.console_forms import csrf_of, sign_in

pytestmark = pytest.mark.asyncio(loop_scope="module")

VENUE = "洛阳市劳动人事争议仲裁院第一仲裁庭"
CLAIMS = [
    {"category": "labor_remuneration", "amount_fen": 1_860_000},
    {"category": "labor_contract", "description": "恢复劳动关系"},
    {"category": "economic_compensation", "amount_fen": 4_000_000},
]


def beijing_day(days: int = 0) -> str:
    return (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=days)).isoformat()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Services]:
    workdir: Path = tmp_path_factory.mktemp(f"console-arbitration-practice-{backend}")
    async with running_services(
        ["intake", "arbitration", "gateway"], backend=backend, broker=broker, workdir=workdir, sign_in_burst=1000
    ) as running:
        yield running


async def _filed(console: httpx.AsyncClient, employer: str, received_on: str) -> str:
    clerk = {"grant_type": "password", "username": "clerk.luoyang", "password": "clerk-demo-4103"}
    token = (await console.post("/api/v1/auth/token", data=clerk)).json()["access_token"]
    filed = await console.post(
        "/api/v1/arbitration/applications",
        json={
            "commission_id": "arb-4103",
            "workplace_division": "410311",
            "worker_name": "周师傅",
            "employer_name": employer,
            "claims": CLAIMS,
            "received_on": received_on,
        },
        headers={"authorization": f"Bearer {token}"},
    )
    assert filed.status_code == 201, filed.text
    return filed.json()["application_id"]


async def _step(console: httpx.AsyncClient, application_id: str, action: str, data: dict) -> httpx.Response:
    url = f"/console/arbitration/applications/{application_id}"
    token = csrf_of(await console.get(url))
    return await console.post(f"{url}/{action}", data={**data, "csrf_token": token})


async def _ok(console: httpx.AsyncClient, application_id: str, action: str, data: dict) -> str:
    done = await _step(console, application_id, action, data)
    assert done.status_code == 303, (action, done.status_code, re.findall(r'data-field="[^"]+">[^<]+', done.text))
    return (await console.get(done.headers["location"])).text


def _section(page: str, testid: str, end: str = "table") -> str:
    found = re.search(rf'data-testid="{testid}".*?</{end}>', page, re.S)
    assert found, testid
    return found.group(0)


async def test_simplified_publication_provisional_postponement_partial_award_and_withdrawal(
    console: httpx.AsyncClient,
) -> None:
    application_id = await _filed(console, "洛阳某简易处理测试有限公司", beijing_day())
    assert (await sign_in(console, "arbitrator.luoyang", "arbitrator-demo-4103")).status_code == 303
    page = await _ok(console, application_id, "accept", {})
    assert 'data-action="simplified"' in page and "一般程序" in _section(page, "procedure-mode", "td")

    none = await _step(console, application_id, "simplified", {})
    assert none.status_code == 422 and 'data-field="grounds"' in none.text
    excluded = await _step(
        console, application_id, "simplified", {"grounds": "clear_facts", "exclusions": "major_impact"}
    )
    assert excluded.status_code == 422 and re.search(r'data-field="exclusions">[^<]*不适用简易处理', excluded.text)
    page = await _ok(console, application_id, "simplified", {"grounds": "clear_facts"})
    assert "本案已适用简易处理。" in page and "简易处理（独任仲裁）" in _section(page, "procedure-mode", "td")
    panel = await _step(
        console,
        application_id,
        "tribunal",
        {"mode": "panel", "presiding": "arbr-4103-01", "member_1": "arbr-4103-02", "member_2": "arbr-4103-03"},
    )
    assert panel.status_code == 422 and re.search(r'data-field="mode">简易处理的案件由一名仲裁员独任仲裁', panel.text)
    await _ok(console, application_id, "tribunal", {"mode": "sole", "sole": "arbr-4103-01"})

    page = await _ok(
        console, application_id, "publication", {"document": "application_copy", "published_on": beijing_day()}
    )
    publications = _section(page, "publications")
    # 30 days, or more when the 30th falls on a holiday (民诉法 Arts. 85, 95)
    assert "仲裁申请书副本" in publications and re.search(r"(3\d|[4-9]\d) 日", publications)

    refused = await _step(
        console,
        application_id,
        "provisional-execution",
        {"items.0.category": "labor_contract", "items.0.amount": "100", "rights_clear": "on"},
    )
    assert refused.status_code == 422 and 'data-field="items"' in refused.text
    page = await _ok(
        console,
        application_id,
        "provisional-execution",
        {
            "items.0.category": "labor_remuneration",
            "items.0.amount": "18600",
            "rights_clear": "on",
            "living_seriously_affected": "on",
            "court_name": "洛阳市洛龙区人民法院",
        },
    )
    provisional = _section(page, "provisional")
    assert "准予，移送洛阳市洛龙区人民法院执行" in provisional and "不可起诉" in provisional

    await _ok(
        console,
        application_id,
        "hearings",
        {"hearing_on": beijing_day(10), "notice_served_on": beijing_day(), "venue": VENUE},
    )
    absent = await _step(console, application_id, "default-award", {"items.0.category": "labor_remuneration"})
    assert absent.status_code == 422 and 'data-field="reason">' in absent.text  # how the respondent was absent
    absent = await _step(
        console, application_id, "default-award", {"items.0.category": "labor_remuneration", "reason": "未到庭"}
    )
    assert absent.status_code == 422
    assert re.search(r'data-field="on">[^<]*缺席只能在开庭之日或之后记录', absent.text), re.findall(
        r"data-field=\"[^\"]+\">[^<]+", absent.text
    )
    before = re.search(r'data-testid="main-clock">.*?data-testid="due-on">([0-9-]+)<', page, re.S)
    page = await _ok(
        console,
        application_id,
        "postponement",
        {
            "requested_by": "employer",
            "reason": "代理律师住院",
            "granted": "yes",
            "hearing_on": beijing_day(20),
            "notice_served_on": beijing_day(),
            "venue": VENUE,
        },
    )
    assert "代理律师住院" in _section(page, "postponements") and beijing_day(20) in _section(page, "postponements")
    after = re.search(r'data-testid="main-clock">.*?data-testid="due-on">([0-9-]+)<', page, re.S)
    assert before and after and before.group(1) == after.group(1)  # the award period keeps running

    page = await _ok(
        console,
        application_id,
        "partial-award",
        {"items.0.category": "labor_contract", "items.0.description": "恢复劳动关系", "items.0.granted": "on"},
    )
    assert "非终局" in _section(page, "partial-awards") and "尚未生效" in _section(page, "partial-awards")
    part_id = re.search(r'name="part_id" value="([0-9a-f]+)"', page)
    assert part_id
    page = await _ok(console, application_id, "partial-award-service", {"part_id": part_id.group(1)})
    assert "起诉期至" in _section(page, "partial-awards")

    missing = await _step(console, application_id, "withdrawal", {"settled": "on", "settlement": " "})
    assert missing.status_code == 422 and 'data-field="settlement"' in missing.text
    page = await _ok(console, application_id, "withdrawal", {"settled": "on", "settlement": "用人单位已付清工资"})
    assert 'data-testid="application-status">已撤回<' in page
    closure = _section(page, "closure", "td")
    assert "用人单位已付清工资" in closure and "重新计算" in closure and "main-clock" not in page
    assert 'data-action="withdrawal"' not in page  # nothing left to do


async def test_deemed_withdrawal_and_default_award_after_the_hearing_day(console: httpx.AsyncClient) -> None:
    assert (await sign_in(console, "arbitrator.luoyang", "arbitrator-demo-4103")).status_code == 303
    ids = []
    for employer in ("洛阳某视为撤回测试有限公司", "洛阳某缺席裁决测试有限公司"):
        application_id = await _filed(console, employer, beijing_day(-25))
        await _ok(console, application_id, "accept", {"on": beijing_day(-24)})
        await _ok(console, application_id, "tribunal", {"mode": "sole", "sole": "arbr-4103-01", "on": beijing_day(-23)})
        await _ok(
            console,
            application_id,
            "hearings",
            {"hearing_on": beijing_day(), "notice_served_on": beijing_day(-20), "venue": VENUE},
        )
        ids.append(application_id)
    page = await _ok(console, ids[0], "deemed-withdrawal", {"reason": "经书面通知，无正当理由拒不到庭"})
    assert 'data-testid="application-status">视为撤回<' in page
    assert "视为撤回仲裁申请" in _section(page, "closure-notice", "p")
    page = await _ok(
        console,
        ids[1],
        "default-award",
        {
            "reason": "被申请人经书面通知无正当理由拒不到庭",
            "items.0.category": "labor_remuneration",
            "items.0.amount": "18600",
            "items.0.granted": "on",
        },
    )
    assert "已缺席裁决。" in page and 'data-testid="award"' in page


async def test_the_arbitrator_roster_desk_in_chromium(
    services: Services, backend: str, console: httpx.AsyncClient
) -> None:
    """An administrator adds an arbitrator in Chromium, who then sits on a tribunal; retired, the
    unfinished case's tribunal is formed again with another arbitrator and the desk shows that
    seat handed over, no new tribunal may name them, and the retirement is in the gateway's audit
    trail."""
    from playwright.async_api import async_playwright
    from sqlalchemy import text

    from labornet_common.platform.db import create_engine
    from labornet_common.testing.api import eventually
    from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, CHROMIUM_PRESENT

    if not CHROMIUM_PRESENT:
        pytest.skip(f"browser test: {CHROMIUM} is absent")
    base, desk = services.urls["gateway"], "/console/admin/arbitrators"
    shots = ARTIFACTS / backend
    shots.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = await (await browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})).new_page()
        page.set_default_timeout(15_000)
        try:
            await page.goto(f"{base}/console/login")
            await page.fill("input[name=username]", "admin")
            await page.fill("input[name=password]", "admin-demo")
            await page.click("main button[type=submit]")
            await page.wait_for_url(f"{base}/console/")
            await page.goto(f"{base}{desk}")
            enrol = page.locator("form[data-action=enrol]")
            await enrol.locator("select[name=commission_id]").select_option("arb-4103")
            await enrol.locator("input[name=name]").fill("周新任")
            await enrol.locator("input[name=arbitrator_id]").fill("arbr-4103-21")
            await enrol.locator("button").click()
            await page.wait_for_selector("[data-testid=done]")
            assert "在册" in await page.locator("tr[data-arbitrator-id=arbr-4103-21]").inner_text()

            # The arbitrator added sits on a tribunal.
            assert (await sign_in(console, "arbitrator.luoyang", "arbitrator-demo-4103")).status_code == 303
            seated = await _filed(console, "洛阳某名册测试有限公司", beijing_day())
            await _ok(console, seated, "accept", {})
            await _ok(console, seated, "tribunal", {"mode": "sole", "sole": "arbr-4103-21"})

            retire = page.locator("form[data-action=retire]")
            await retire.locator("input[name=arbitrator_id]").fill("arbr-4103-21")
            await retire.locator("input[name=reason]").fill("调离")
            await retire.locator("button").click()
            # The retirement formed the open case's tribunal again: the desk shows the seat handed over.
            await page.wait_for_selector("[data-testid=reassignments] tr[data-just-changed]")
            row = page.locator(f"[data-testid=reassignments] tr[data-application-id='{seated}']")
            assert "仲裁庭已组成" in await row.inner_text()
            assert "arbr-4103-21" in await row.locator("[data-testid=from]").inner_text()
            assert "arbr-4103-0" in await row.locator("[data-testid=to]").inner_text()
            status = await page.locator(
                "tr[data-arbitrator-id=arbr-4103-21] [data-testid=arbitrator-status]"
            ).inner_text()
            assert status.startswith("已退出")
            assert "arbitrator.retired" in await page.locator("[data-testid=changes]").inner_text()
            await page.screenshot(path=str(shots / "arbitration-roster-retired.png"), full_page=True)
        finally:
            await browser.close()

    other = await _filed(console, "洛阳某名册测试二有限公司", beijing_day())
    await _ok(console, other, "accept", {})
    refused = await _step(console, other, "tribunal", {"mode": "sole", "sole": "arbr-4103-21"})
    assert refused.status_code == 422 and re.search(r'data-field="members">[^<]*已不在仲裁员名册', refused.text)
    await _ok(console, seated, "tribunal", {"mode": "sole", "sole": "arbr-4103-02"})  # formed again by hand too

    engine = create_engine(services.databases["gateway"])

    async def audited() -> list[tuple]:
        async with engine.connect() as conn:
            query = text("SELECT subject, method, status FROM audit_log WHERE route LIKE :route")
            return [tuple(r) for r in (await conn.execute(query, {"route": "%/admin/arbitrators/%/retire"})).all()]

    try:
        assert await eventually(audited, bool) == [("demo:admin", "POST", 200)]
    finally:
        await engine.dispose()
