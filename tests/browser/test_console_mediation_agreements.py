"""The mediator's console over HTTP, without a browser: a reinstatement agreement (a term that
is not a payment) is recorded, its breach is recorded term by term with the API's refusals shown
next to the row that caused them, a payment order is refused (LDA Art. 16), and the breached
case is transferred to arbitration (LDA Art. 15)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from labornet_common.contracts.events import utcnow
from labornet_common.platform.clock import local_date
from labornet_common.testing.inprocess import Services, running_services
from tests.browser.console_forms import csrf_of, sign_in

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Services]:
    """Mediation behind the gateway, for the mediator's desk."""
    workdir: Path = tmp_path_factory.mktemp(f"console-mediation-{backend}")
    async with running_services(
        ["mediation", "gateway"], backend=backend, broker=broker, workdir=workdir, sign_in_burst=1000
    ) as running:
        yield running


async def _opened_case(console: httpx.AsyncClient) -> str:
    """A case the centre's own mediator opened for an application made at the centre (through the
    gateway's API)."""
    form = {"username": "mediator.luoyang", "password": "mediator-demo-4103"}
    token = await console.post("/api/v1/auth/token", data=form)
    staff = {"Authorization": f"Bearer {token.json()['access_token']}"}
    body = {
        "workplace_division": "410311007",
        "worker_name": "赵师傅",
        "employer_name": "洛阳某精密机械有限公司",
        "claims": [{"category": "dismissal", "description": "要求恢复劳动关系"}],
    }
    opened = await console.post("/api/v1/mediation/cases", json=body, headers=staff)
    assert opened.status_code == 201, opened.text
    return opened.json()["case_id"]


async def _post(console: httpx.AsyncClient, case_id: str, action: str, data: dict[str, str]) -> httpx.Response:
    page = f"/console/mediation/cases/{case_id}"
    token = csrf_of(await console.get(page))
    return await console.post(f"{page}/{action}", data={**data, "csrf_token": token})


def _text(page: httpx.Response) -> str:
    return re.sub(r"\s+", " ", page.text)


async def test_a_reinstatement_agreement_breached_then_transferred(console: httpx.AsyncClient) -> None:
    case_id = await _opened_case(console)
    assert (await sign_in(console, "mediator.luoyang", "mediator-demo-4103")).status_code == 303
    assert (await _post(console, case_id, "accept", {})).status_code == 303
    today = local_date(utcnow())
    agreement = {
        "terms.0.payer": "洛阳某精密机械有限公司",
        "terms.0.payee": "赵师傅",
        "terms.0.item": "reinstatement",
        "terms.0.description": "恢复钳工岗位",
        "terms.0.due_on": (today - timedelta(days=5)).isoformat(),
        "effective_on": (today - timedelta(days=21)).isoformat(),
        "signed_and_sealed": "on",
    }
    recorded = await _post(console, case_id, "agreement", agreement)
    assert recorded.status_code == 303, _text(recorded)
    page = _text(await console.get(recorded.headers["location"]))
    assert "恢复劳动关系" in page and "恢复钳工岗位" in page and "记录协议履行情况" in page

    row = {"items.0.term_no": "1", "items.0.outcome": "breached"}
    refused = await _post(console, case_id, "performance", {**row, "items.0.unpaid": "100"})
    assert refused.status_code == 200 and "该项为非金钱给付事项，不能填写未付金额" in _text(refused)
    breached = await _post(console, case_id, "performance", {**row, "items.0.not_done": "拒绝安排上岗"})
    assert breached.status_code == 303, _text(breached)
    page = _text(await console.get(breached.headers["location"]))
    assert "协议未履行" in page and "未履行：拒绝安排上岗" in page and "申请支付令" in page

    order = await _post(console, case_id, "payment-order", {})
    assert order.status_code == 200 and "第十六条" in _text(order)
    moved = await _post(console, case_id, "transfer", {})
    assert moved.status_code == 303, _text(moved)
    page = _text(await console.get(moved.headers["location"]))
    assert "已转交仲裁。" in page and "已转仲裁" in page
