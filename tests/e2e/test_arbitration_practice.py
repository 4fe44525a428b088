"""Arbitration as practised end to end: every service a real process, one stack per backend,
everything through the gateway. Complaints go from the window to arbitration, where:

- the worker withdraws after a settlement: every clock stops, the court's webhook and the
  worker's status say so, with the day the one-year limitation period ends (LDA Art. 27);
- at a hearing the applicant is absent (deemed withdrawal) and, in another case, the respondent is
  (default award), each after written notice (LDA Art. 36);
- a wage case goes the simplified way (Rules Art. 56, sole arbitrator), its application copy is
  served by publication (30 days, 民诉法 Art. 95, left out of the award period), 先予执行 is granted
  and transferred to the court (LDA Art. 44; no security; not suable, Interp-I Art. 10), the
  hearing is postponed on the employer's request (LDA Art. 35: the award period keeps running), a
  partial award decides the clear part (LDA Art. 43 ¶2) and is served, and the case is converted to
  the ordinary procedure with the 45 days still counted from acceptance (Rules Art. 61).

The periods are computed here with the law's calendar (holidays and make-up workdays) from the
services' own "today"; the worker's view and the court's webhooks must tell the same story.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from labornet_common.reference.calendar import LegalCalendar, Period
from labornet_common.security.webhooks import build_headers, generate_secret
from labornet_common.testing.api import WebhookReceiver, eventually, sign_in
from labornet_common.testing.intake_support import complaint_body
from labornet_common.testing.stack import Stack, running_stack

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]

ARB = "cn.labornet.arbitration."
VENUE = "洛阳市劳动人事争议仲裁委员会第一仲裁庭"
CAL = LegalCalendar()
WAGES = {"category": "labor_remuneration", "amount_fen": 1_860_000}
REINSTATE = {"category": "labor_contract", "description": "恢复劳动关系"}
COURT_SECRET = generate_secret()  # the court's key for its signed callbacks


def _today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the services' own "today"


def _zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    from labornet_common.testing.databases import POSTGRES_ENV, postgres_base_url

    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    return str(request.param)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def court() -> AsyncIterator[WebhookReceiver]:
    async with WebhookReceiver("/court/hook", status=204) as receiver:
        yield receiver


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(
    backend: str, broker: str, court: WebhookReceiver, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    workdir: Path = tmp_path_factory.mktemp(f"arbitration-practice-{backend}")
    # A test figure for 河南's previous-year average annual wage (none is shipped: Rules Art. 56(二)).
    average = [{"region_prefix": "41", "year": _today().year - 1, "annual_fen": 8_000_000}]
    env = {
        "LABORNET_WEBHOOK_ALLOWED_HOSTS": f"127.0.0.1:{court.port}",
        "LABORNET_WEBHOOK_POLL_INTERVAL_S": "0.1",
        "LABORNET_AVERAGE_WAGES": json.dumps(average),
        "LABORNET_SIGN_IN_BURST": "1000",
        "LABORNET_COURT_WEBHOOK_SECRETS": COURT_SECRET,  # staff and workers sign in once per scenario, many scenarios
    }
    async with running_stack(backend=backend, broker=broker, workdir=workdir, extra_env=env) as running:
        async with httpx.AsyncClient(base_url=running.gateway, timeout=15) as client:
            admin = await sign_in(client, "admin", "admin-demo")
            endpoint = await client.post(
                "/api/v1/webhooks/endpoints",
                headers=admin,
                json={
                    "url": court.url,
                    "description": "洛阳中院 裁审衔接",
                    "event_types": [f"{ARB}*"],
                    "region_scopes": ["4103"],
                },
            )
            assert endpoint.status_code == 201, endpoint.text
            court.secret = endpoint.json()["secret"]
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def client(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=15) as c:
        yield c


def _problem(r: httpx.Response, status: int, field: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = r.json()
    assert body["status"] == status and body["title_zh"] and body["title_en"], body  # bilingual
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body


async def _file(client: httpx.AsyncClient, **body: object) -> dict:
    clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
    filed = await client.post(
        "/api/v1/complaints",
        json=complaint_body(requested_route="arbitration", employer_name=f"洛阳某{uuid.uuid4().hex[:8]}公司", **body),
        headers={**clerk, "Idempotency-Key": f"e2e-practice-{uuid.uuid4().hex}"},
    )
    assert filed.status_code == 201, filed.text
    return filed.json()


async def _application(client: httpx.AsyncClient, me: dict, case_id: str) -> str:
    async def listed() -> list[dict]:
        r = await client.get("/api/v1/arbitration/applications", headers=me, params={"limit": 100})
        return [a for a in r.json().get("items", []) if a["case_id"] == case_id]

    found = await eventually(listed, bool, timeout_s=60)
    assert found, case_id
    return f"/api/v1/arbitration/applications/{found[0]['application_id']}"


async def _post(client: httpx.AsyncClient, me: dict, url: str, body: dict) -> dict:
    r = await client.post(url, json=body, headers=me)
    assert r.status_code == 200, r.text
    return r.json()


async def _delivered(court: WebhookReceiver, case_id: str, event_type: str) -> list[dict]:
    async def probe() -> list[dict]:
        return [e for e in court.received if e["type"] == f"{ARB}{event_type}" and e["subject"] == case_id]

    found = await eventually(probe, bool)
    assert found, (event_type, [e["type"] for e in court.received if e["subject"] == case_id])
    return found


async def _callback(client: httpx.AsyncClient, **body: object) -> httpx.Response:
    """The court's signed callback (a 404 while the gateway's case index has not seen the case
    leaves the webhook-id free: the court sends the same message again)."""
    msg_id = f"msg-{uuid.uuid4().hex}"
    payload = json.dumps({"court_name": "洛阳市洛龙区人民法院", **body}, ensure_ascii=False).encode()
    for _ in range(60):
        headers = build_headers(msg_id=msg_id, timestamp=int(time.time()), payload=payload, secrets=[COURT_SECRET])
        sent = await client.post(
            "/api/v1/court/callbacks", content=payload, headers={**headers, "content-type": "application/json"}
        )
        if sent.status_code != 404:
            break
        await asyncio.sleep(0.5)
    return sent


async def _court_effect(court: WebhookReceiver, case_id: str, effect: str) -> dict:
    async def probe() -> list[dict]:
        return [
            e
            for e in court.received
            if e["type"] == f"{ARB}court_event.recorded.v1"
            and e["subject"] == case_id
            and e["data"]["effect"] == effect
        ]

    found = await eventually(probe, bool)
    assert found, (
        effect,
        [e["data"] for e in court.received if e["subject"] == case_id and "court_event" in e["type"]],
    )
    return found[0]


async def _worker_view(client: httpx.AsyncClient, case: dict, *needles: str) -> list[str]:
    token = await client.post(
        "/api/v1/auth/worker-token",
        json={"tracking_number": case["tracking_number"], "access_code": case["access_code"]},
    )
    assert token.status_code == 200, token.text
    me = {"Authorization": f"Bearer {token.json()['access_token']}"}

    async def texts() -> list[str]:
        seen = (await client.get(f"/api/v1/tracking/{case['case_id']}", headers=me)).json()
        return [e["text_zh"] for e in seen.get("timeline", [])]

    found = await eventually(texts, lambda lines: all(any(n in t for t in lines) for n in needles))
    assert all(any(n in t for t in found) for n in needles), (needles, found)
    return found


async def test_withdrawal_after_a_settlement_stops_every_clock_and_tells_the_limitation_period(
    client: httpx.AsyncClient, court: WebhookReceiver
) -> None:
    today = _today()
    case = await _file(client)
    me = await sign_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")
    url = await _application(client, me, case["case_id"])
    accepted = await _post(client, me, f"{url}/accept", {})
    assert accepted["award_due_on"] == CAL.add_calendar_days(today, 45).isoformat()  # LDA Art. 43

    missing = await client.post(f"{url}/withdrawal", json={"settled": True}, headers=me)
    _problem(missing, 422, "settlement")
    withdrawn = await _post(client, me, f"{url}/withdrawal", {"settled": True, "settlement": "用人单位已付清工资"})
    assert withdrawn["status"] == "WITHDRAWN"
    closure = withdrawn["procedure"]["closure"]
    limitation = CAL.deadline(Period.LIMITATION_1Y, today).due  # LDA Art. 27, 民法典 Arts. 201-203
    assert closure["clocks_closed"] == ["award"] and closure["limitation_due_on"] == limitation.isoformat()
    _problem(await client.post(f"{url}/withdrawal", json={}, headers=me), 409)

    (closed,) = await _delivered(court, case["case_id"], "case.closed.v1")
    assert closed["data"]["reason"] == "withdrawn" and closed["data"]["settled"] is True
    assert closed["data"]["limitation_due_on"] == limitation.isoformat()
    lines = await _worker_view(client, case, "撤回仲裁申请", _zh(limitation))
    assert any("重新计算" in line and "不受一年仲裁时效期间的限制" in line for line in lines)  # a wage claim


async def test_absent_applicant_deemed_withdrawn_and_absent_respondent_default_award(
    client: httpx.AsyncClient, court: WebhookReceiver
) -> None:
    today = _today()
    me = await sign_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")
    received = today - timedelta(days=25)
    cases, urls = [], []
    for _ in range(2):
        case = await _file(client, channel="window", received_at=received.isoformat())
        url = await _application(client, me, case["case_id"])
        await _post(client, me, f"{url}/accept", {"on": (received + timedelta(days=1)).isoformat()})
        tribunal = {"mode": "sole", "members": [{"arbitrator_id": "arbr-4103-01", "role": "sole"}]}
        await _post(client, me, f"{url}/tribunal", {**tribunal, "on": (received + timedelta(days=2)).isoformat()})
        hearing = {"hearing_on": today.isoformat(), "notice_served_on": (today - timedelta(days=20)).isoformat()}
        await _post(client, me, f"{url}/hearings", {**hearing, "venue": VENUE})
        cases.append(case)
        urls.append(url)

    early = await client.post(
        f"{urls[0]}/deemed-withdrawal",
        json={"reason": "未到庭", "on": (today + timedelta(days=1)).isoformat()},
        headers=me,
    )
    _problem(early, 422, "on")
    deemed = await _post(client, me, f"{urls[0]}/deemed-withdrawal", {"reason": "经书面通知无正当理由拒不到庭"})
    assert deemed["status"] == "DEEMED_WITHDRAWN"
    (absent,) = await _delivered(court, cases[0]["case_id"], "party.absent.v1")
    assert absent["data"]["party"] == "applicant" and absent["data"]["consequence"] == "deemed_withdrawn"
    (closed,) = await _delivered(court, cases[0]["case_id"], "case.closed.v1")
    assert closed["data"]["reason"] == "deemed_withdrawn"
    await _worker_view(client, cases[0], "视为撤回仲裁申请", "重新计算")

    default = await _post(
        client,
        me,
        f"{urls[1]}/default-award",
        {"reason": "被申请人经书面通知无正当理由拒不到庭", "items": [{**WAGES, "description": "支付拖欠工资"}]},
    )
    assert default["status"] == "EFFECTIVE" and default["award"]["by_default"] is True  # final: LDA Art. 47
    (issued,) = await _delivered(court, cases[1]["case_id"], "award.issued.v1")
    assert issued["data"]["by_default"] is True
    await _delivered(court, cases[1]["case_id"], "award.effective.v1")
    await _worker_view(client, cases[1], "缺席裁决", "终局裁决")


async def test_simplified_publication_provisional_execution_postponement_partial_award_and_conversion(
    client: httpx.AsyncClient, court: WebhookReceiver
) -> None:
    today = _today()
    case = await _file(client, claims=[{**WAGES, "period_from": "2026-08-01", "period_to": "2026-10-31"}, REINSTATE])
    me = await sign_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")
    url = await _application(client, me, case["case_id"])
    await _post(client, me, f"{url}/accept", {})
    excluded = await client.post(
        f"{url}/simplified", json={"grounds": ["clear_facts"], "exclusions": ["major_impact"]}, headers=me
    )
    _problem(excluded, 422, "exclusions")
    simplified = await _post(client, me, f"{url}/simplified", {"grounds": ["amount_within_average_wage"]})
    assert simplified["procedure"]["mode"] == "simplified"
    panel = [
        {"arbitrator_id": "arbr-4103-01", "role": "presiding"},
        {"arbitrator_id": "arbr-4103-02", "role": "member"},
        {"arbitrator_id": "arbr-4103-03", "role": "member"},
    ]
    _problem(await client.post(f"{url}/tribunal", json={"mode": "panel", "members": panel}, headers=me), 422, "mode")
    sole = {"mode": "sole", "members": [{"arbitrator_id": "arbr-4103-01", "role": "sole"}]}
    await _post(client, me, f"{url}/tribunal", sole)

    # 公告送达: 30 days (民诉法 Art. 95, a last day on a holiday moving on: Art. 85) not counted in
    # the award period (Rules Art. 46)
    published = await _post(client, me, f"{url}/publications", {"document": "application_copy"})
    deemed = CAL.add_calendar_days(today, 30)
    excluded_days = (deemed - today).days
    due = CAL.add_calendar_days(today, 45 + excluded_days)
    assert published["award_due_on"] == due.isoformat()
    assert published["respondent_received_on"] == deemed.isoformat()
    assert published["defence_due_on"] == CAL.deadline(Period.DEFENCE_10D, deemed).due.isoformat()
    (publication,) = await _delivered(court, case["case_id"], "publication.recorded.v1")
    assert (
        publication["data"]["excluded_days"] == excluded_days and publication["data"]["award_due_on"] == due.isoformat()
    )

    # 先予执行 (LDA Art. 44): refused for a claim outside its categories; granted for the wages
    wrong = await client.post(
        f"{url}/provisional-execution",
        json={
            "items": [{"category": "labor_contract", "amount_fen": 100}],
            "rights_clear": True,
            "living_seriously_affected": True,
            "court_name": "洛阳市洛龙区人民法院",
        },
        headers=me,
    )
    _problem(wrong, 422, "items")
    await _post(
        client,
        me,
        f"{url}/provisional-execution",
        {
            "items": [{"category": "labor_remuneration", "amount_fen": 1_860_000}],
            "rights_clear": True,
            "living_seriously_affected": True,
            "court_name": "洛阳市洛龙区人民法院",
        },
    )
    (ruled,) = await _delivered(court, case["case_id"], "provisional_execution.ruled.v1")
    data = ruled["data"]
    assert data["granted"] and data["transferred_to_court"] and data["court_name"] == "洛阳市洛龙区人民法院"
    assert data["security_required"] is False and data["suable"] is False and data["total_fen"] == 1_860_000

    # Postponement on the employer's request, at least 3 days before (LDA Art. 35): the clock runs on
    hearing_on = today + timedelta(days=10)
    await _post(
        client, me, f"{url}/hearings", {"hearing_on": hearing_on.isoformat(), "venue": VENUE, "hearing_time": "09:30"}
    )
    postponed = await _post(
        client,
        me,
        f"{url}/hearings/postponement",
        {
            "requested_by": "employer",
            "reason": "代理律师住院",
            "granted": True,
            "hearing_on": (today + timedelta(days=20)).isoformat(),
            "venue": VENUE,
        },
    )
    assert (
        postponed["award_due_on"] == due.isoformat()
        and postponed["hearing"]["hearing_on"] == (today + timedelta(days=20)).isoformat()
    )
    (moved,) = await _delivered(court, case["case_id"], "hearing.postponed.v1")
    assert moved["data"]["award_due_on"] == due.isoformat()

    # 先行裁决 on the reinstatement (non-final: LDA Art. 47), served: 15 days to sue (Art. 50)
    partial = await _post(client, me, f"{url}/partial-awards", {"items": [REINSTATE]})
    (part,) = partial["partial_awards"]
    assert part["award_type"] == "non_final" and part["effect"]["state"] == "pending"
    served = await _post(client, me, f"{url}/partial-awards/{part['id']}/service", {})
    suit_due = CAL.deadline(Period.NONFINAL_SUIT_15D, today).due
    assert served["partial_awards"][0]["suit_due_on"] == suit_due.isoformat()
    await _delivered(court, case["case_id"], "partial_award.issued.v1")
    (part_served,) = await _delivered(court, case["case_id"], "partial_award.served.v1")
    assert part_served["data"]["suit_due_on"] == suit_due.isoformat()
    unknown = await client.post(f"{url}/partial-awards/nope/service", json={}, headers=me)
    _problem(unknown, 404)

    # The court: the employer sues on the partial award in time -> it does not take effect, the rest
    # goes on (LDA Art. 50); a suit against the 先予执行 ruling is not accepted (Interp-I Art. 10).
    ruling_id = served["procedure"]["provisional"][0]["id"]
    today_iso = today.isoformat()
    sued = await _callback(
        client,
        kind="lawsuit_filed",
        case_id=case["case_id"],
        party="employer",
        occurred_on=today_iso,
        ruling_id=part["id"],
    )
    assert sued.status_code in (200, 202), sued.text
    await _court_effect(court, case["case_id"], "partial_award_not_effective")
    not_suable = await _callback(
        client,
        kind="lawsuit_filed",
        case_id=case["case_id"],
        party="employer",
        occurred_on=today_iso,
        ruling_id=ruling_id,
    )
    assert not_suable.status_code in (200, 202), not_suable.text
    await _court_effect(court, case["case_id"], "provisional_ruling_not_suable")
    after_suits = (await client.get(url, headers=me)).json()
    assert after_suits["status"] == "HEARING_SCHEDULED"  # the case itself is not before the court
    assert after_suits["partial_awards"][0]["effect"]["state"] == "not_effective_in_court"

    # Conversion to the ordinary procedure: the award period from the original acceptance (Rules Art. 61)
    converted = await _post(client, me, f"{url}/simplified/conversion", {"reason": "需要工伤鉴定，案情复杂"})
    assert converted["status"] == "ACCEPTED" and converted["award_due_on"] == due.isoformat()
    (conversion,) = await _delivered(court, case["case_id"], "procedure.converted.v1")
    assert conversion["data"]["award_due_on"] == due.isoformat()

    await _worker_view(
        client,
        case,
        "适用简易处理",
        "公告送达",
        _zh(due),
        "先予执行",
        "不能提起诉讼",
        "延期开庭不停止仲裁期限",
        "先行裁决",
        _zh(suit_due),
        "转为按一般程序处理",
        "先行裁决不发生法律效力",
        "先予执行裁决继续执行",
    )
