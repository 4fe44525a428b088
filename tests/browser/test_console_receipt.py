"""The window form's record of receipt and representatives, over HTTP: what the clerk types
reaches the API (a date, or a date and a time in Beijing), the receipt shows 收件时间 and
录入时间 and the representatives (phones masked), and the API's refusals land on their fields."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from labornet_gateway.console.forms import FilingForm
from tests.browser.console_forms import csrf_of, sign_in

pytestmark = pytest.mark.asyncio(loop_scope="module")

CHINA = ZoneInfo("Asia/Shanghai")


def _today() -> date:
    """Today in China, asked when needed: a run may cross midnight there between collecting the
    tests and running them."""
    return datetime.now(CHINA).date()


FILING = {
    "channel": "window",
    "workplace_division": "410311",
    "worker_name": "周师傅",
    "worker_count": "12",
    "employer_name": "洛阳某收件回执测试厂",
    "facts": "十二名工人工资未发",
    "claims.0.category": "labor_remuneration",
    "claims.0.amount": "6800",
}
REPS = {
    "representatives.0.name": "张代表",
    "representatives.0.phone": "13812345678",
    "representatives.2.name": "李代表",
    "representatives.3.name": "王代表",
}


async def test_the_form_sends_the_receipt_moment_and_the_filled_representative_rows() -> None:
    form = FilingForm(values={**FILING, **REPS, "received_on": "2026-09-28", "received_time": "10:05"})
    body = form.body()
    assert body["received_at"] == "2026-09-28T10:05:00+08:00"
    assert body["representatives"] == [
        {"name": "张代表", "phone": "13812345678"},
        {"name": "李代表"},
        {"name": "王代表"},
    ]
    assert "received_on" not in body and "received_time" not in body
    # The API's representatives.1 is the form's third row (the second was left blank).
    shown = form.errors_by_field({"representatives.1.name": "x", "received_at": "y", "representatives": "z"})
    assert shown == {"representatives.2.name": "x", "received_on": "y", "representatives": "z"}
    assert FilingForm(values={**FILING, "received_on": "2026-09-28"}).body()["received_at"] == "2026-09-28"


async def _file(console: httpx.AsyncClient, data: dict) -> httpx.Response:
    assert (await sign_in(console, "clerk.luoyang", "clerk-demo-4103")).status_code == 303
    token = csrf_of(await console.get("/console/clerk/complaints/new"))
    return await console.post("/console/clerk/complaints", data={**data, "csrf_token": token})


async def test_the_receipt_shows_both_moments_and_the_representatives(console: httpx.AsyncClient) -> None:
    received = _today() - timedelta(days=3)
    before = _today()
    r = await _file(
        console,
        {
            **FILING,
            **REPS,
            "received_on": str(received),
            "received_time": "09:30",
            "idempotency_key": "receipt-console-1",
        },
    )
    assert r.status_code == 200, r.text
    shown = re.search(r'data-testid="received-at">([^<]+)<', r.text).group(1)
    assert shown == f"{received.year}年{received.month}月{received.day}日 09:30"
    typed = re.search(r'data-testid="registered-at">(\d+)年(\d+)月(\d+)日 ', r.text)
    assert typed is not None and date(*map(int, typed.groups())) in {before, _today()}
    assert "张代表（138****5678）、李代表、王代表" in r.text


async def test_refusals_land_on_the_receipt_date_and_the_representatives(console: httpx.AsyncClient) -> None:
    future = await _file(
        console, {**FILING, "received_on": str(_today() + timedelta(days=2)), "idempotency_key": "receipt-console-2"}
    )
    assert future.status_code == 422
    assert re.search(r'data-field="received_on">收件时间不能晚于录入时间<', future.text)
    two = {"representatives.0.name": "张代表", "representatives.1.name": "李代表"}
    short = await _file(console, {**FILING, **two, "idempotency_key": "receipt-console-3"})
    assert short.status_code == 422
    assert re.search(r'data-field="representatives">集体争议应推举三至五名代表<', short.text)
    assert 'value="李代表"' in short.text  # what was typed stays
