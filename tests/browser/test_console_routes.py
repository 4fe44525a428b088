"""The console's routes over HTTP, without a browser: sign-in and its cookie, CSRF, redirects,
the filing form's inline errors, the receipt, the worker's status page, the complaint's page with
intake's documents and the correction notice, the audit trail, and the arbitrator's desk (docket,
scope, the steps' inline errors)."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pypdf
import pytest
import pytest_asyncio
from sqlalchemy import select

from labornet_common.platform.db import create_engine
from labornet_common.reference.calendar import Period, default_calendar
from labornet_common.testing.inprocess import Services, running_services
from labornet_gateway.adapters.audit_tables import audit_log
from tests.browser.console_forms import csrf_of, sign_in

pytestmark = pytest.mark.asyncio(loop_scope="module")

FILING = {
    "channel": "window",
    "workplace_division": "410311",
    "worker_name": "李师傅",
    "worker_phone": "13812341234",
    "employer_name": "洛阳某机械厂",
    "facts": "2026年9月工资未发",
    "claims.0.category": "labor_remuneration",
    "claims.0.amount": "6800.50",
    "idempotency_key": "route-test-1",
}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Services]:
    """conftest's services, with arbitration behind the gateway for the arbitrator's desk."""
    workdir: Path = tmp_path_factory.mktemp(f"console-routes-{backend}")
    async with running_services(
        ["intake", "arbitration", "gateway"], backend=backend, broker=broker, workdir=workdir, sign_in_burst=1000
    ) as running:
        yield running


async def test_pages_need_a_session_and_sign_in_returns_to_them(console: httpx.AsyncClient) -> None:
    r = await console.get("/console/clerk/complaints/new")
    assert r.status_code == 303
    assert r.headers["location"] == "/console/login?next=/console/clerk/complaints/new"
    assert (await console.post("/console/clerk/complaints", data=FILING)).status_code == 303


async def test_sign_in_sets_a_strict_httponly_secure_cookie(console: httpx.AsyncClient) -> None:
    wrong = await sign_in(console, "clerk.luoyang", "not-the-password")
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    r = await sign_in(console, "clerk.luoyang", "clerk-demo-4103")
    assert r.status_code == 303 and r.headers["location"] == "/console/"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("labornet_console="))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=strict", "secure", "path=/console"} <= flags
    home = await console.get("/console/")
    # A clerk keeps two desks (the window's form and the register of complaints): a choice page.
    assert home.status_code == 200, home.text
    assert 'href="/console/clerk/complaints/new"' in home.text and 'href="/console/clerk/complaints"' in home.text


async def test_sign_in_never_redirects_off_the_console(console: httpx.AsyncClient) -> None:
    form = await console.get("/console/login")
    r = await console.post(
        "/console/login",
        data={
            "username": "clerk.luoyang",
            "password": "clerk-demo-4103",
            "csrf_token": csrf_of(form),
            "next": "//evil.example/phish",
        },
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/"


async def test_form_posts_without_the_csrf_token_are_refused(console: httpx.AsyncClient) -> None:
    login = await console.post("/console/login", data={"username": "clerk.luoyang", "password": "clerk-demo-4103"})
    assert login.status_code == 403 and "labornet_console=" not in login.headers.get("set-cookie", "")
    assert (await sign_in(console, "clerk.luoyang", "clerk-demo-4103")).status_code == 303
    form = await console.get("/console/clerk/complaints/new")
    token = csrf_of(form)
    assert (await console.post("/console/clerk/complaints", data=FILING)).status_code == 403
    forged = await console.post("/console/clerk/complaints", data={**FILING, "csrf_token": "0" * 64})
    assert forged.status_code == 403 and "表单已过期或来源不明" in forged.text
    # A token from another session (another user's page) does not fit this session either.
    async with httpx.AsyncClient(transport=console._transport, base_url="https://console.test") as other:
        assert (await sign_in(other, "clerk.gulou", "clerk-demo-350102")).status_code == 303
        r = await other.post("/console/clerk/complaints", data={**FILING, "csrf_token": token})
        assert r.status_code == 403
    assert (await console.post("/console/logout", data={})).status_code == 403


async def test_filing_shows_api_errors_inline_then_a_receipt(console: httpx.AsyncClient, services) -> None:
    assert (await sign_in(console, "clerk.luoyang", "clerk-demo-4103")).status_code == 303
    token = csrf_of(await console.get("/console/clerk/complaints/new"))
    bad = {**FILING, "workplace_division": "4103", "worker_name": "", "claims.0.amount": "6千", "csrf_token": token}
    r = await console.post("/console/clerk/complaints", data=bad)
    assert r.status_code == 422
    assert re.search(r'data-field="workplace_division">格式不正确<', r.text)
    assert re.search(r'data-field="worker_name">必填项不能为空<', r.text)
    assert re.search(r'data-field="claims.0.amount">金额应为数字', r.text)
    assert 'value="洛阳某机械厂"' in r.text  # what was typed stays

    r = await console.post("/console/clerk/complaints", data={**FILING, "csrf_token": csrf_of(r)})
    assert r.status_code == 200, r.text
    tracking = re.search(r'data-testid="tracking-number">([^<]+)<', r.text).group(1)
    code = re.search(r'data-testid="access-code">([^<]+)<', r.text).group(1)
    assert tracking.startswith("410311-") and "6,800.50 元" in r.text and "李师傅" in r.text
    assert r.headers["cache-control"] == "no-store"

    # The same form sent again files nothing new and does not show the code again.
    again = await console.post("/console/clerk/complaints", data={**FILING, "csrf_token": csrf_of(r)})
    assert tracking in again.text and code not in again.text

    status = await _status(console, tracking, code)
    assert status.status_code == 200 and f'data-testid="tracking-number">{tracking}<' in status.text
    assert status.text.count("<time>") >= 1  # the timeline intake keeps for the worker
    assert (await _status(console, tracking, "WRONG-CODE")).status_code == 401

    entries = await _audit(services, "demo:clerk.luoyang")
    assert ("POST", "/api/v1/complaints", 201) in entries  # the API's own audit trail saw the console


async def test_a_complaints_page_lists_its_documents_and_makes_the_correction_notice(
    console: httpx.AsyncClient,
) -> None:
    assert (await sign_in(console, "clerk.luoyang", "clerk-demo-4103")).status_code == 303
    token = csrf_of(await console.get("/console/clerk/complaints/new"))
    filed = {**FILING, "employer_name": "洛阳某补正文书厂", "idempotency_key": "route-test-documents"}
    receipt = await console.post("/console/clerk/complaints", data={**filed, "csrf_token": token})
    assert receipt.status_code == 200, receipt.text
    page_path = re.search(r'href="(/console/complaints/[^"]+)" data-testid="complaint-link"', receipt.text).group(1)
    shown = await console.get(page_path)
    assert shown.status_code == 200 and "尚无文书" in shown.text and "洛阳某补正文书厂" in shown.text

    blank = await console.post(
        f"{page_path}/correction-notice",
        data={"missing": " \n ", "due_on": beijing_day(7), "csrf_token": csrf_of(shown)},
    )
    assert blank.status_code == 422 and re.search(r'data-field="missing">', blank.text), blank.text
    made = await console.post(
        f"{page_path}/correction-notice",
        data={"missing": "劳动合同\n工资发放记录", "due_on": beijing_day(7), "csrf_token": csrf_of(blank)},
    )
    assert made.status_code == 303 and made.headers["location"].endswith("#documents")
    listed = await console.get(page_path)
    assert 'data-kind="correction_notice"' in listed.text and "补正通知书" in listed.text
    download = re.search(r'href="([^"]+\.pdf)" data-testid="document-download"', listed.text).group(1)
    pdf = await console.get(download)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "工资发放记录" in text and "劳动合同" in text

    # Another region's clerk: the complaint and its documents are out of reach.
    assert (await sign_in(console, "clerk.gulou", "clerk-demo-350102")).status_code == 303
    assert (await console.get(page_path)).status_code == 404
    assert (await console.get(download)).status_code == 404


async def _status(console: httpx.AsyncClient, tracking: str, code: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=console._transport, base_url="https://console.test") as worker:
        form = await worker.get("/console/status")
        return await worker.post(
            "/console/status", data={"tracking_number": tracking, "access_code": code, "csrf_token": csrf_of(form)}
        )


async def _audit(services, subject: str) -> set[tuple[str, str, int]]:
    engine = create_engine(services.databases["gateway"])
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(audit_log.c.method, audit_log.c.route, audit_log.c.status).where(audit_log.c.subject == subject)
            )
            return {tuple(row) for row in rows}
    finally:
        await engine.dispose()


async def test_a_desk_of_another_role_is_refused(console: httpx.AsyncClient) -> None:
    assert (await sign_in(console, "mediator.luoyang", "mediator-demo-4103")).status_code == 303
    r = await console.get("/console/clerk/complaints/new")
    assert r.status_code == 403 and "没有使用此页面的权限" in r.text


async def test_pages_forbid_framing_and_foreign_scripts(console: httpx.AsyncClient) -> None:
    r = await console.get("/console/status")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    css = await console.get("/console/static/console.css")
    assert css.status_code == 200 and "@media print" in css.text
    assert (await console.get("/console/static/../templates/base.html")).status_code == 404


# The arbitrator's desk. Applications are filed at the commission (the API's direct filing) by
# the Luoyang clerk; the steps are dated today in Beijing, as the service dates them.
APPLICATION = {
    "commission_id": "arb-4103",
    "workplace_division": "410311",
    "worker_name": "周师傅",
    "employer_name": "洛阳某仲裁路由测试有限公司",
    "claims": [
        {"category": "labor_remuneration", "amount_fen": 1_860_000},
        {"category": "economic_compensation", "amount_fen": 4_000_000},
    ],
}
ARBITRATION_ACTIONS = (
    "accept",
    "correction",
    "correction-complete",
    "not-accept",
    "refer",
    "service",
    "tribunal",
    "hearings",
    "award",
    "award-service",
)


VENUE = "洛阳市劳动人事争议仲裁院第一仲裁庭"


def beijing_day(days: int = 0) -> str:
    return (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=days)).isoformat()


def due_after(period: Period, start: str) -> str:
    """The statutory last day the service computes (on the package's calendar, as in tests)."""
    return default_calendar().deadline(period, datetime.fromisoformat(start).date()).due.isoformat()


async def _filed_application(console: httpx.AsyncClient, employer: str, **extra: object) -> str:
    clerk = {"grant_type": "password", "username": "clerk.luoyang", "password": "clerk-demo-4103"}
    token = await console.post("/api/v1/auth/token", data=clerk)
    assert token.status_code == 200, token.text
    filed = await console.post(
        "/api/v1/arbitration/applications",
        json={**APPLICATION, "employer_name": employer, **extra},
        headers={"authorization": f"Bearer {token.json()['access_token']}"},
    )
    assert filed.status_code == 201, filed.text
    return filed.json()["application_id"]


async def _step(console: httpx.AsyncClient, application_id: str, action: str, data: dict) -> httpx.Response:
    url = f"/console/arbitration/applications/{application_id}"
    token = csrf_of(await console.get(url))
    return await console.post(f"{url}/{action}", data={**data, "csrf_token": token})


def _docket_rows(docket: httpx.Response) -> dict[str, str]:
    """The docket's rows by application id, in the order shown."""
    rows = re.findall(r'(<tr data-application-id="([^"]+)".*?</tr>)', docket.text, re.S)
    return {application_id: row for row, application_id in rows}


async def test_an_arbitrator_signs_in_to_the_docket(console: httpx.AsyncClient) -> None:
    application_id = await _filed_application(console, "洛阳某案源一有限公司")
    late = await _filed_application(console, "洛阳某逾期未决有限公司", received_on=beijing_day(-30))
    collective = await _filed_application(console, "洛阳某集体争议有限公司", worker_count=12)
    assert (await sign_in(console, "arbitrator.luoyang", "arbitrator-demo-4103")).status_code == 303
    home = await console.get("/console/")
    assert home.status_code == 303 and home.headers["location"] == "/console/arbitration"
    rows = _docket_rows(await console.get("/console/arbitration"))
    assert next(iter(rows)) == collective and "集体劳动争议" in rows[collective]  # the API's order: collective first
    row = rows[application_id]
    assert "洛阳某案源一有限公司" in row and "待决定受理" in row and "受理期限" in row
    assert f'data-testid="due-on">{due_after(Period.ACCEPTANCE_5D, beijing_day())}<' in row  # LDA Art. 29
    by_deadline = _docket_rows(await console.get("/console/arbitration?sort=deadline"))
    assert next(iter(by_deadline)) == late  # the earliest last day first
    assert 'class="row-overdue"' in by_deadline[late] and "已超期" in by_deadline[late]
    assert (await console.get("/console/clerk/complaints/new")).status_code == 403  # not the window's desk


async def test_another_regions_arbitrator_gets_a_404_page(console: httpx.AsyncClient) -> None:
    application_id = await _filed_application(console, "洛阳某案源二有限公司")
    assert (await sign_in(console, "arbitrator.weihai", "arbitrator-demo-3710")).status_code == 303
    url = f"/console/arbitration/applications/{application_id}"
    r = await console.get(url)
    assert r.status_code == 404 and "未找到该案件，或您无权查看" in r.text
    docket = await console.get("/console/arbitration")
    assert docket.status_code == 200 and application_id not in docket.text
    token = csrf_of(docket)
    accept = await console.post(f"{url}/accept", data={"csrf_token": token})
    assert accept.status_code == 404  # acting outside scope reads as missing, and changes nothing


async def test_the_arbitrators_forms_need_the_csrf_token(console: httpx.AsyncClient) -> None:
    application_id = await _filed_application(console, "洛阳某案源三有限公司")
    assert (await sign_in(console, "arbitrator.luoyang", "arbitrator-demo-4103")).status_code == 303
    url = f"/console/arbitration/applications/{application_id}"
    for action in ARBITRATION_ACTIONS:
        assert (await console.post(f"{url}/{action}", data={"on": beijing_day()})).status_code == 403, action
        forged = await console.post(f"{url}/{action}", data={"csrf_token": "0" * 64})
        assert forged.status_code == 403 and "表单已过期或来源不明" in forged.text, action
    assert "待决定受理" in (await console.get(url)).text  # nothing was done


async def test_an_application_from_acceptance_to_the_served_award(console: httpx.AsyncClient) -> None:
    application_id = await _filed_application(console, "洛阳某案源四有限公司")
    assert (await sign_in(console, "arbitrator.luoyang", "arbitrator-demo-4103")).status_code == 303
    empty = await _step(console, application_id, "correction", {"items": "  "})
    assert empty.status_code == 422 and re.search(r'data-field="items">请逐行列明需要补正的全部材料', empty.text)

    accepted = await _step(console, application_id, "accept", {})
    assert accepted.status_code == 303
    page = await console.get(accepted.headers["location"])
    year = beijing_day()[:4]
    assert re.search(rf'data-testid="case-number">洛劳人仲案字〔{year}〕第\d+号<', page.text)
    assert "已决定受理并立案。" in page.text and "审理期限" in page.text

    future = await _step(console, application_id, "service", {"on": beijing_day(1)})
    assert future.status_code == 422 and re.search(r'data-field="on">日期早于案件的前一节点或晚于今日<', future.text)
    assert (await _step(console, application_id, "service", {"on": beijing_day()})).status_code == 303
    sole = await _step(console, application_id, "tribunal", {"mode": "sole", "sole": "arbr-4103-01"})
    assert sole.status_code == 303
    short = await _step(
        console,
        application_id,
        "hearings",
        {"hearing_on": beijing_day(3), "notice_served_on": beijing_day(), "venue": VENUE},
    )
    assert short.status_code == 422
    assert re.search(r'data-field="hearing_on">开庭通知应在开庭五日前送达', short.text)
    assert f'value="{VENUE}"' in short.text  # what was typed stays
    hearing = await _step(
        console,
        application_id,
        "hearings",
        {"hearing_on": beijing_day(20), "notice_served_on": beijing_day(), "venue": VENUE},
    )
    assert hearing.status_code == 303

    bad = await _step(
        console,
        application_id,
        "award",
        {"kind": "award", "items.0.category": "labor_remuneration", "items.0.amount": "1万", "items.0.granted": "on"},
    )
    assert bad.status_code == 422 and re.search(r'data-field="items.0.amount">金额应为数字', bad.text)
    award = await _step(
        console,
        application_id,
        "award",
        {
            "kind": "award",
            "items.0.category": "labor_remuneration",
            "items.0.amount": "18,600",
            "items.0.granted": "on",
            "items.1.category": "economic_compensation",
            "items.1.amount": "40000",
            "items.1.granted": "on",
        },
    )
    assert award.status_code == 303
    page = await console.get(award.headers["location"])
    finality = re.findall(r'data-testid="award-item-final" class="\w+">([^<]+)<', page.text)
    assert finality == ["终局", "非终局"]  # LDA Art. 47 per item: 18,600 is under 12 months' minimum wage
    assert "18,600.00 元" in page.text and "40,000.00 元" in page.text
    served = await _step(console, application_id, "award-service", {"on": beijing_day()})
    assert served.status_code == 303
    page = await console.get(served.headers["location"])
    suit_due = due_after(Period.NONFINAL_SUIT_15D, beijing_day())
    assert 'data-testid="award-served"' in page.text and f"起诉期至 {suit_due}" in page.text
    assert 'data-testid="award-effect" class="pending"' in page.text  # mixed: not in effect on issue (Interp-I 20)
    # Each party's own day and window (both served together here: LDA Art. 50 from each receipt).
    parties = re.search(r'data-testid="award-party-service">(.*?)</ul>', page.text)
    assert parties and parties.group(1).count(f"起诉期至 {suit_due}") == 2, page.text[-3000:]
    assert "劳动者于" in parties.group(1) and "用人单位于" in parties.group(1)


async def test_correction_referral_and_non_acceptance_with_their_refusals(console: httpx.AsyncClient) -> None:
    application_id = await _filed_application(console, "洛阳某案源五有限公司")
    assert (await sign_in(console, "arbitrator.luoyang", "arbitrator-demo-4103")).status_code == 303
    notice = await _step(console, application_id, "correction", {"items": "劳动合同复印件\n工资支付记录"})
    assert notice.status_code == 303
    page = (await console.get(notice.headers["location"])).text
    assert "待补正" in page and "一次性书面告知补正：劳动合同复印件；工资支付记录" in page
    assert 'data-action="correction"' not in page  # Rules Art. 29: the notice is given once
    assert (await _step(console, application_id, "correction-complete", {})).status_code == 303

    elsewhere = await _step(console, application_id, "refer", {"to_commission_id": "arb-3710", "reason": "管辖"})
    assert elsewhere.status_code == 422
    assert re.search(r'data-field="to_commission_id">受移送的仲裁委员会对该争议无管辖权<', elsewhere.text)
    no_reason = await _step(console, application_id, "not-accept", {"reasons": ""})
    assert re.search(r'data-field="reasons">请逐行写明不予受理的理由', no_reason.text)
    refused = await _step(console, application_id, "not-accept", {"reasons": "申请人不是劳动争议的当事人"})
    assert refused.status_code == 303
    page = (await console.get(refused.headers["location"])).text
    assert "不予受理" in page and "书面决定不予受理，理由：申请人不是劳动争议的当事人" in page


async def test_a_collective_dispute_needs_a_full_panel(console: httpx.AsyncClient) -> None:
    application_id = await _filed_application(console, "洛阳某案源六有限公司", worker_count=15)
    assert (await sign_in(console, "arbitrator.luoyang", "arbitrator-demo-4103")).status_code == 303
    assert (await _step(console, application_id, "accept", {})).status_code == 303
    sole = await _step(console, application_id, "tribunal", {"mode": "sole", "sole": "arbr-4103-01"})
    assert sole.status_code == 422 and re.search(r'data-field="mode">劳动者一方十人以上', sole.text)
    short = await _step(
        console, application_id, "tribunal", {"mode": "panel", "presiding": "arbr-4103-01", "member_1": "arbr-4103-02"}
    )
    assert short.status_code == 422 and re.search(r'data-field="members">仲裁庭组成不正确', short.text)
    panel = await _step(
        console,
        application_id,
        "tribunal",
        {"mode": "panel", "presiding": "arbr-4103-01", "member_1": "arbr-4103-02", "member_2": "arbr-4103-03"},
    )
    page = (await console.get(panel.headers["location"])).text
    assert "首席仲裁员：李仲明" in page and "仲裁员：王秀兰" in page and "仲裁员：赵建国" in page
