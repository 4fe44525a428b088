"""The clerk's record of receipt and a collective dispute's representatives, end to end through
the gateway with every service a real process (one stack per backend):

- a complaint received at the window 20 days ago and typed in today keeps both moments; its
  limitation (LDA Art. 27) is assessed on the day it arrived, and the mediation centre's 15 days
  (LDA Art. 14) and the commission's 5-day acceptance (LDA Art. 29) run from that day;
- a receipt in the future is refused with a problem naming ``received_at`` in both languages;
- a collective filing names three representatives (LDA Art. 7), read back masked; the worker's
  status page names them; a mediator replaces them later.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from labornet_common.reference.calendar import Period, default_calendar
from labornet_common.testing.api import eventually, get_once_present, sign_in
from labornet_common.testing.intake_support import complaint_body, id_number
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

CHINA = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime.now(CHINA).date() - timedelta(days=20)
CALENDAR = default_calendar()
REP_ID = id_number("41030219800101123")
REPS = [{"name": "张代表", "id_number": REP_ID, "phone": "13812345678"}, {"name": "李代表"}, {"name": "王代表"}]


def _today() -> date:
    """Today in China, asked when needed: a run may cross midnight there between collecting the
    tests and running them."""
    return datetime.now(CHINA).date()


def _ended_so_that_the_year_expires_between(received: date, typed: date) -> date:
    """An employment end whose one year (LDA Art. 27) expires after receipt, before typing."""
    ended = received.replace(year=received.year - 1)
    while CALENDAR.deadline(Period.LIMITATION_1Y, ended).due < received:
        ended += timedelta(days=1)
    assert CALENDAR.deadline(Period.LIMITATION_1Y, ended).due < typed
    return ended


def _late_filing(employer: str, route: str, sequence: int) -> dict:
    ended = _ended_so_that_the_year_expires_between(RECEIVED, _today())
    return complaint_body(
        channel="window",
        employer_name=employer,
        requested_route=route,
        received_at=str(RECEIVED),
        employment_ended_on=str(ended),
        worker_id_number=id_number(f"41030219900101{sequence:03d}"),
        claims=[
            {
                "category": "labor_remuneration",
                "amount_fen": 800_000,
                "period_from": str(ended - timedelta(days=60)),
                "period_to": str(ended),
            }
        ],
    )


async def _worker(client: httpx.AsyncClient, filed: dict) -> dict:
    token = await client.post(
        "/api/v1/auth/worker-token",
        json={"tracking_number": filed["tracking_number"], "access_code": filed["access_code"]},
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def _received_at_the_window(client: httpx.AsyncClient, clerk: dict, mediator: dict) -> None:
    body = _late_filing("收件日期端到端测试公司", "mediation", 11)
    before = _today()
    r = await client.post("/api/v1/complaints", json=body, headers=clerk)
    typed_between = {before, _today()}  # the day it was typed in, midnight or not
    assert r.status_code == 201, r.text
    filed = r.json()
    assert filed["limitation_warning"] is False, filed["limitation_reason"]  # typed today, it would be late
    case = (await client.get(f"/api/v1/complaints/{filed['case_id']}", headers=clerk)).json()
    assert datetime.fromisoformat(case["received_at"]).astimezone(CHINA).date() == RECEIVED
    typed_on = datetime.fromisoformat(case["registered_at"]).astimezone(CHINA).date()
    assert typed_on in typed_between
    # A bound on waiting for Kafka on a loaded machine, not a timed assertion.
    opened = await get_once_present(client, f"/api/v1/mediation/cases/{filed['case_id']}", mediator, timeout_s=60)
    assert opened.status_code == 200, opened.text
    due = CALENDAR.deadline(Period.MEDIATION_15D, RECEIVED).due  # LDA Art. 14, from receipt
    assert (opened.json()["received_on"], opened.json()["due_on"]) == (str(RECEIVED), str(due))
    as_worker = await _worker(client, filed)
    view = (await client.get(f"/api/v1/tracking/{filed['case_id']}", headers=as_worker)).json()
    line = f"收件时间：{RECEIVED:%Y年%m月%d日}；录入时间：{typed_on:%Y年%m月%d日}"
    assert any(e["text_zh"].startswith(line) for e in view["timeline"]), view["timeline"]


async def _accepted_from_the_receipt(client: httpx.AsyncClient, clerk: dict, arbitrator: dict) -> None:
    r = await client.post(
        "/api/v1/complaints", json=_late_filing("收件仲裁端到端测试公司", "arbitration", 13), headers=clerk
    )
    assert r.status_code == 201 and r.json()["route"] == "arbitration", r.text
    case_id = r.json()["case_id"]

    async def application() -> list[dict]:
        page = await client.get("/api/v1/arbitration/applications", headers=arbitrator, params={"limit": 100})
        return [a for a in page.json().get("items", []) if a["case_id"] == case_id]

    (found,) = await eventually(application, bool, timeout_s=60)
    due = CALENDAR.deadline(Period.ACCEPTANCE_5D, RECEIVED).due  # LDA Art. 29, from receipt
    assert (found["received_on"], found["acceptance_due_on"]) == (str(RECEIVED), str(due))


async def _refused(client: httpx.AsyncClient, clerk: dict) -> None:
    # Two days ahead: still ahead should midnight pass in China between this line and the answer.
    future = complaint_body(channel="window", received_at=str(_today() + timedelta(days=2)))
    r = await client.post("/api/v1/complaints", json=future, headers=clerk)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    (error,) = r.json()["errors"]
    assert (error["field"], error["code"]) == ("received_at", "received_at.future")
    assert error["message_zh"] and error["message_en"]


async def _representatives(client: httpx.AsyncClient, clerk: dict, mediator: dict) -> None:
    body = complaint_body(
        channel="window",
        employer_name="推举代表端到端测试公司",
        worker_count=12,
        facts="十二名工人工资未发放",
        representatives=REPS,
    )
    r = await client.post("/api/v1/complaints", json=body, headers=clerk)
    assert r.status_code == 201 and r.json()["collective"] is True, r.text
    filed = r.json()
    case = (await client.get(f"/api/v1/complaints/{filed['case_id']}", headers=clerk)).json()
    assert [p["name"] for p in case["representatives"]] == ["张代表", "李代表", "王代表"]
    first = case["representatives"][0]
    assert first["id_number"] == f"{REP_ID[:6]}********{REP_ID[-4:]}" and first["phone"] == "138****5678"
    as_worker = await _worker(client, filed)
    view = (await client.get(f"/api/v1/tracking/{filed['case_id']}", headers=as_worker)).json()
    assert view["representatives"] == ["张代表", "李代表", "王代表"]
    replaced = await client.put(
        f"/api/v1/complaints/{filed['case_id']}/representatives",
        headers=mediator,
        json={"representatives": [*REPS[1:], {"name": "赵代表"}]},
    )
    assert replaced.status_code == 200, replaced.text
    view = (await client.get(f"/api/v1/tracking/{filed['case_id']}", headers=as_worker)).json()
    assert view["representatives"] == ["李代表", "王代表", "赵代表"]


async def test_receipt_dates_and_representatives_through_the_gateway(db_backend: str, broker: str, tmp_path: Path):
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=10) as client:
            clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
            mediator = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
            arbitrator = await sign_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")
            await _refused(client, clerk)
            await _received_at_the_window(client, clerk, mediator)
            await _accepted_from_the_receipt(client, clerk, arbitrator)
            await _representatives(client, clerk, mediator)
