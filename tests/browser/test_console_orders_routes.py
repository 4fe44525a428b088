"""The inspectors' records in the console over HTTP, without a browser: the orders page and its
forms (issue, service, payment) with the wage-arrears API's refusals shown next to the form and
field they concern, the 逾期未支付 marker, the incidents page, CSRF, and the desk's roles."""

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

ORDERS = "/console/orders"


def beijing_day(days: int = 0) -> str:
    return (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=days)).isoformat()


def order_form(number: str, **changes: str) -> dict[str, str]:
    return {
        "document_number": number,
        "kind": "rectification_instruction",
        "issued_on": beijing_day(-10),
        "due_on": beijing_day(-3),
        "amount": "52000.50",
        "worker_count": "12",
        "region_code": "410311",
        "employer_name": "洛阳某钢结构工程有限公司",
        "employer_uscc": "",
        "project": "洛阳某厂房项目",
        "case_ids": "",
        **changes,
    }


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Services]:
    """conftest's services with the wage-arrears desk behind the gateway instead of intake."""
    workdir: Path = tmp_path_factory.mktemp(f"console-orders-{backend}")
    async with running_services(
        ["wage-arrears", "gateway"], backend=backend, broker=broker, workdir=workdir, sign_in_burst=1000
    ) as running:
        yield running


def _card(page: httpx.Response, number: str) -> str:
    """The order's card on the orders page, by its document number."""
    for card in re.findall(r'<article class="card record-card.*?</article>', page.text, re.S):
        if f'data-testid="document-number">{number}<' in card:
            return card
    raise AssertionError(f"no order {number} on the page")


def _order_id(card: str) -> str:
    return re.search(r'data-order-id="([^"]+)"', card).group(1)


async def _inspector(console: httpx.AsyncClient) -> str:
    assert (await sign_in(console, "inspector.luoyang", "inspector-demo-4103")).status_code == 303
    page = await console.get(ORDERS)
    assert page.status_code == 200
    return csrf_of(page)


async def test_inspectors_reach_the_records_from_the_nav_and_other_roles_do_not(console: httpx.AsyncClient) -> None:
    await _inspector(console)
    home = await console.get("/console/")
    assert home.status_code == 200  # three desks now: the home page lists them
    for url in ("/console/alerts", ORDERS, "/console/incidents"):
        assert f'href="{url}"' in home.text
    assert 'data-testid="from-alert"' not in (await console.get(f"{ORDERS}?alert=../orders")).text
    unknown = await console.get(f"{ORDERS}?alert=00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 404
    board = await console.get("/console/alerts")
    assert f'<a href="{ORDERS}" data-testid="orders-link">' in board.text  # in the page, not only the nav
    assert (await sign_in(console, "mediator.luoyang", "mediator-demo-4103")).status_code == 303
    for url in (ORDERS, "/console/incidents"):
        r = await console.get(url)
        assert r.status_code == 403 and "没有使用此页面的权限" in r.text
        assert f'href="{url}"' not in r.text


async def test_an_order_is_issued_served_and_marked_lapsed(console: httpx.AsyncClient) -> None:
    token = await _inspector(console)
    number = "洛龙人社监令〔2026〕101号"
    r = await console.post(ORDERS, data={**order_form(number), "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"].startswith(f"{ORDERS}?done=issued#order-")
    page = await console.get(r.headers["location"])
    card = _card(page, number)
    assert "待送达" in card and 'data-testid="order-lapsed"' not in card  # a limit runs only once served
    assert "52,000.50 元" in card and "涉及 12 人" in card and "洛阳市 洛龙区" in card
    assert "已登记责令支付文书" in page.text

    # The same document again records nothing new; the same number with another amount is refused.
    again = await console.post(ORDERS, data={**order_form(number), "csrf_token": token})
    assert again.headers["location"].startswith(f"{ORDERS}?done=issued-again")
    other = await console.post(ORDERS, data={**order_form(number, amount="60000"), "csrf_token": token})
    assert other.status_code == 409
    refusal = re.search(r'data-action="issue".*?data-testid="form-error">([^<]+)<', other.text, re.S)
    assert refusal and refusal.group(1).startswith("该文书编号已登记，且内容不同")
    assert 'value="60000"' in other.text  # what was typed stays

    order_id = _order_id(card)
    early = await console.post(
        f"{ORDERS}/{order_id}/service", data={"served_on": beijing_day(-11), "method": "posted", "csrf_token": token}
    )
    assert early.status_code == 422
    refused = _card(early, number)
    assert 'data-field="served_on">送达日期早于文书签发日期<' in refused and "请检查标出的字段" in refused
    served = await console.post(
        f"{ORDERS}/{order_id}/service", data={"served_on": beijing_day(-1), "method": "posted", "csrf_token": token}
    )
    assert served.status_code == 303
    card = _card(await console.get(ORDERS), number)
    assert 'data-testid="order-lapsed">逾期未支付<' in card and "张贴公告（视为送达）" in card
    assert 'data-action="service"' not in card  # the first service counts: no second form


async def test_payments_are_running_totals_in_yuan(console: httpx.AsyncClient) -> None:
    token = await _inspector(console)
    number = "洛龙人社监令〔2026〕102号"
    await console.post(ORDERS, data={**order_form(number, due_on=beijing_day(5)), "csrf_token": token})
    order_id = _order_id(_card(await console.get(ORDERS), number))
    url = f"{ORDERS}/{order_id}/payment"
    bad = await console.post(url, data={"paid_on": beijing_day(), "paid_total": "两万", "csrf_token": token})
    assert bad.status_code == 422 and 'data-field="paid_total">金额应为数字，单位为元' in _card(bad, number)
    assert (
        await console.post(url, data={"paid_on": beijing_day(), "paid_total": "20000", "csrf_token": token})
    ).status_code == 303
    less = await console.post(url, data={"paid_on": beijing_day(), "paid_total": "10000", "csrf_token": token})
    assert less.status_code == 422
    assert 'data-field="paid_total">累计已付金额不能少于已登记的金额<' in _card(less, number)
    card = _card(await console.get(ORDERS), number)
    assert "已付 20,000.00 元" in card and "未付 32,000.50 元" in card and "逾期未支付" not in card
    await console.post(url, data={"paid_on": beijing_day(), "paid_total": "52000.50", "csrf_token": token})
    card = _card(await console.get(ORDERS), number)
    assert "已足额支付" in card and 'data-action="payment"' not in card


async def test_a_refused_order_names_its_fields_in_chinese(console: httpx.AsyncClient) -> None:
    token = await _inspector(console)
    form = order_form(
        "洛龙人社监令〔2026〕103号", due_on=beijing_day(-11), amount="5万", employer_name="", case_ids="no-such-case"
    )
    r = await console.post(ORDERS, data={**form, "csrf_token": token})
    assert r.status_code == 422
    assert 'data-field="amount">金额应为数字，单位为元' in r.text
    assert 'data-field="employer_name">' in r.text
    outside = await console.post(
        ORDERS, data={**order_form("鼓楼人社监令〔2026〕1号", region_code="350102"), "csrf_token": token}
    )
    assert outside.status_code == 422 and 'data-field="region_code">该行政区划不在您的管辖范围内' in outside.text
    assert "鼓楼人社监令" not in (await console.get(ORDERS)).text.split('id="issue"')[0]  # nothing recorded
    no_case = await console.post(
        ORDERS, data={**order_form("洛龙人社监令〔2026〕104号", case_ids="no-such-case"), "csrf_token": token}
    )
    assert no_case.status_code == 422 and 'data-field="case_ids">本地区预警台账中没有该案件' in no_case.text


async def test_the_forms_need_the_csrf_token(console: httpx.AsyncClient) -> None:
    await _inspector(console)
    number = "洛龙人社监令〔2026〕105号"
    assert (await console.post(ORDERS, data=order_form(number))).status_code == 403
    forged = await console.post("/console/incidents", data={"kind": "mass", "csrf_token": "0" * 64})
    assert forged.status_code == 403 and "表单已过期或来源不明" in forged.text
    assert number not in (await console.get(ORDERS)).text


async def test_an_incident_is_recorded_once_per_employer_day_and_kind(console: httpx.AsyncClient) -> None:
    await _inspector(console)
    token = csrf_of(await console.get("/console/incidents"))
    form = {
        "kind": "mass",
        "occurred_on": beijing_day(-2),
        "workers_involved": "25",
        "serious_impact": "on",
        "description": "二十余名劳动者聚集讨薪",
        "region_code": "410311",
        "employer_name": "洛阳某钢结构工程有限公司",
        "csrf_token": token,
    }
    future = await console.post("/console/incidents", data={**form, "occurred_on": beijing_day(1)})
    assert future.status_code == 422 and 'data-field="occurred_on">日期不能晚于今天<' in future.text
    first = await console.post("/console/incidents", data=form)
    assert first.status_code == 303 and "done=incident#incident-" in first.headers["location"]
    again = await console.post("/console/incidents", data={**form, "workers_involved": "30"})
    assert "done=incident-again" in again.headers["location"]
    page = await console.get("/console/incidents")
    rows = re.findall(r'<tr id="incident-.*?</tr>', page.text, re.S)
    assert len(rows) == 1 and "群体性事件" in rows[0] and "造成严重不良社会影响" in rows[0] and ">30<" in rows[0]


async def test_a_nationwide_admin_types_the_region_code(console: httpx.AsyncClient) -> None:
    assert (await sign_in(console, "admin", "admin-demo")).status_code == 303
    page = await console.get(ORDERS)
    assert page.status_code == 200
    assert '<input type="text" name="region_code"' in page.text and '<select name="region_code"' not in page.text
    number = "鼓楼人社监令〔2026〕2号"
    form = order_form(number, region_code="350102", employer_name="福州某装修工程有限公司", due_on=beijing_day(3))
    r = await console.post(ORDERS, data={**form, "csrf_token": csrf_of(page)})
    assert r.status_code == 303
    assert "福建省 福州市 鼓楼区" in _card(await console.get(ORDERS), number)
    await _inspector(console)
    assert number not in (await console.get(ORDERS)).text  # outside Luoyang's scope
