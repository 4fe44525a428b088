"""Awards as the law has them, end to end with every service a real process and everything through
the gateway. A complaint goes to arbitration; the hearing is set with its time and venue; a mixed
award (a final wage item, a non-final reinstatement item) is issued and served: the API, the court's
webhooks and the worker's view (API and console status page) say it is not yet effective, with the
deadline to sue. The employer sues in time (a court callback): the whole award is treated as
non-final (Interp-I Art. 20) and every reader says it does not take effect; no award.effective goes
out. An all-final award takes effect the day it is made (LDA Art. 47)."""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from labornet_common.reference.calendar import LegalCalendar, Period
from labornet_common.security.auth import Principal, Role, TokenIssuer
from labornet_common.security.webhooks import build_headers, generate_secret
from labornet_common.testing.api import WebhookReceiver, eventually, sign_in
from labornet_common.testing.intake_support import complaint_body
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

SIGNING_KEY = TokenIssuer(issuer="-", audience="-").private_key_pem().decode("ascii")
ISSUER = TokenIssuer(issuer="labornet-gateway", audience="labornet-api", private_key_pem=SIGNING_KEY)
ARBITRATOR = Principal(
    subject="demo:arbitrator.luoyang",
    name="洛阳 仲裁员",
    roles=frozenset({Role.arbitrator}),
    region_scopes=("4103",),
    org_id="arb-4103",
)
ADMIN = Principal(subject="demo:admin", roles=frozenset({Role.admin}), region_scopes=("*",))
COURT_SECRET = generate_secret()
ARB = "cn.labornet.arbitration."
VENUE = "洛阳市劳动人事争议仲裁委员会第一仲裁庭"
WAGES = {"category": "labor_remuneration", "amount_fen": 1_860_000, "description": "拖欠工资"}
REINSTATE = {"category": "labor_contract", "description": "恢复劳动关系"}


def _bearer(principal: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {ISSUER.issue(principal)}"}


def _zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


async def _file(client: httpx.AsyncClient, clerk: dict, key: str, **body: object) -> dict:
    filed = await client.post(
        "/api/v1/complaints",
        json=complaint_body(requested_route="arbitration", **body),
        headers={**clerk, "Idempotency-Key": key},
    )
    assert filed.status_code == 201, filed.text
    assert filed.json()["route"] == "arbitration", filed.json()
    return filed.json()


async def _accepted(client: httpx.AsyncClient, case_id: str) -> str:
    me = _bearer(ARBITRATOR)

    async def listed() -> list[dict]:
        items = (await client.get("/api/v1/arbitration/applications", headers=me)).json().get("items", [])
        return [a for a in items if a["case_id"] == case_id]

    (app,) = await eventually(listed, bool)
    url = f"/api/v1/arbitration/applications/{app['application_id']}"
    for step, body in (
        ("accept", {}),
        ("tribunal", {"mode": "sole", "members": [{"arbitrator_id": "arbr-4103-01", "role": "sole"}]}),
    ):
        done = await client.post(f"{url}/{step}", json=body, headers=me)
        assert done.status_code == 200, done.text
    return url


async def _callback(client: httpx.AsyncClient, **body: object) -> httpx.Response:
    """The court's signed callback; a 404 (the gateway's case index has not seen the case yet)
    leaves the webhook-id free, so the court sends the same message again."""
    msg_id = f"msg-{uuid.uuid4().hex}"
    payload = json.dumps(
        {"kind": "lawsuit_filed", "court_name": "洛阳市洛龙区人民法院", **body}, ensure_ascii=False
    ).encode()

    for _ in range(60):
        headers = build_headers(msg_id=msg_id, timestamp=int(time.time()), payload=payload, secrets=[COURT_SECRET])
        sent = await client.post(
            "/api/v1/court/callbacks", content=payload, headers={**headers, "content-type": "application/json"}
        )
        if sent.status_code != 404:
            break
        await asyncio.sleep(0.5)
    return sent


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


async def _status_page(client: httpx.AsyncClient, case: dict) -> str:
    """The console's status page, as the worker's browser posts it (cookies sent by hand: plain http)."""
    form = await client.get("/console/status")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text)
    assert token, form.text
    cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies.jar)
    page = await client.post(
        "/console/status",
        headers={"cookie": cookie},
        data={
            "tracking_number": case["tracking_number"],
            "access_code": case["access_code"],
            "csrf_token": token.group(1),
        },
    )
    assert page.status_code == 200, page.text
    return page.text


def _of(court: WebhookReceiver, case_id: str, event_type: str) -> list[dict]:
    return [e for e in court.received if e["type"] == event_type and e["subject"] == case_id]


async def _delivered(court: WebhookReceiver, case_id: str, event_type: str) -> list[dict]:
    async def probe() -> list[dict]:
        return _of(court, case_id, event_type)

    return await eventually(probe, bool)


async def test_mixed_award_not_effective_after_a_suit_and_final_award_effective_on_issue(
    db_backend: str, broker: str, tmp_path: Path
) -> None:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the services' own "today"
    cal = LegalCalendar()
    suit_due = cal.deadline(Period.NONFINAL_SUIT_15D, today).due
    async with WebhookReceiver("/court/hook", status=204) as court:
        env = {
            "LABORNET_IDP_PRIVATE_KEY_PEM": SIGNING_KEY,
            "LABORNET_COURT_WEBHOOK_SECRETS": COURT_SECRET,
            "LABORNET_WEBHOOK_ALLOWED_HOSTS": f"127.0.0.1:{court.port}",
            "LABORNET_WEBHOOK_POLL_INTERVAL_S": "0.1",
        }
        async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path, extra_env=env) as stack:
            async with httpx.AsyncClient(base_url=stack.gateway, timeout=15) as client:
                endpoint = await client.post(
                    "/api/v1/webhooks/endpoints",
                    headers=_bearer(ADMIN),
                    json={
                        "url": court.url,
                        "description": "洛阳中院 裁审衔接",
                        "event_types": [f"{ARB}*"],
                        "region_scopes": ["4103"],
                    },
                )
                assert endpoint.status_code == 201, endpoint.text
                court.secret = endpoint.json()["secret"]
                clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
                me = _bearer(ARBITRATOR)

                # A mixed award: hearing with time and venue, award, service -> not yet effective.
                mixed = await _file(
                    client,
                    clerk,
                    f"e2e-award-{uuid.uuid4().hex}",
                    claims=[
                        {"category": "labor_remuneration", "amount_fen": 1_860_000},
                        {"category": "labor_contract"},
                    ],
                )
                url = await _accepted(client, mixed["case_id"])
                hearing_on = today + timedelta(days=10)
                heard = await client.post(
                    f"{url}/hearings",
                    headers=me,
                    json={"hearing_on": hearing_on.isoformat(), "hearing_time": "09:30", "venue": VENUE},
                )
                assert heard.status_code == 200, heard.text
                assert heard.json()["hearing"]["hearing_time"] == "09:30"
                issued = await client.post(f"{url}/award", headers=me, json={"items": [WAGES, REINSTATE]})
                assert issued.status_code == 200, issued.text + stack.log_tail("arbitration")
                assert issued.json()["status"] == "AWARDED"
                served = (await client.post(f"{url}/award/service", headers=me, json={})).json()
                effect = served["award_effect"]
                assert (effect["state"], effect["award_type"], effect["in_effect"]) == ("pending", "mixed", False)
                assert effect["suit_due_on"] == suit_due.isoformat() and effect["set_aside_due_on"] is None
                assert "尚未发生法律效力" in effect["explanation_zh"] and "第二十条" in effect["explanation_zh"]

                lines = await _worker_view(client, mixed, f"{_zh(hearing_on)} 09:30在{VENUE}开庭", "裁决书已于")
                served_line = next(t for t in lines if t.startswith("裁决书已于"))
                assert f"{_zh(today)}送达，尚未发生法律效力" in served_line
                assert f"{_zh(suit_due)}前（含当日）向人民法院起诉" in served_line and "第五十条" in served_line
                assert not any("已发生法律效力" in t or "起发生法律效力" in t for t in lines), lines
                page = await _status_page(client, mixed)
                assert f"{_zh(hearing_on)} 09:30在{VENUE}开庭" in page and "尚未发生法律效力" in page
                assert f"{_zh(suit_due)}前（含当日）" in page and 'data-testid="deadline-hint"' in page

                # The employer sues in time: the whole award is non-final and does not take effect.
                sued = await _callback(
                    client, case_id=mixed["case_id"], occurred_on=today.isoformat(), party="employer"
                )
                assert sued.status_code == 202, sued.text

                async def in_court() -> dict:
                    return (await client.get(url, headers=me)).json()

                after = await eventually(in_court, lambda a: a.get("status") == "IN_COURT")
                assert after["status"] == "IN_COURT", after
                effect = after["award_effect"]
                assert (effect["state"], effect["in_effect"], effect["effective_on"]) == (
                    "not_effective_in_court",
                    False,
                    None,
                )
                assert "整个裁决按非终局裁决处理" in effect["explanation_zh"]
                (withheld,) = await _delivered(court, mixed["case_id"], f"{ARB}award.not_effective.v1")
                assert (withheld["data"]["reason"], withheld["data"]["award_type"]) == ("suit_in_time", "mixed")
                served_hook = _of(court, mixed["case_id"], f"{ARB}award.served.v1")
                assert served_hook and served_hook[0]["data"]["suit_due_on"] == suit_due.isoformat()
                assert _of(court, mixed["case_id"], f"{ARB}award.issued.v1")[0]["data"]["award_type"] == "mixed"
                assert _of(court, mixed["case_id"], f"{ARB}award.effective.v1") == []
                lines = await _worker_view(client, mixed, "整个裁决按非终局裁决处理，不发生法律效力")
                assert not any("起发生法律效力" in t for t in lines), lines

                # An all-final award takes effect the day it is made (LDA Art. 47).
                final = await _file(
                    client,
                    clerk,
                    f"e2e-award-{uuid.uuid4().hex}",
                    worker_name="李师傅",
                    employer_name="洛阳某机械制造有限公司",
                )
                url = await _accepted(client, final["case_id"])
                issued = await client.post(f"{url}/award", headers=me, json={"items": [WAGES]})
                assert issued.status_code == 200, issued.text
                effect = issued.json()["award_effect"]
                assert (issued.json()["status"], effect["state"], effect["award_type"]) == (
                    "EFFECTIVE",
                    "effective",
                    "final",
                )
                assert effect["effective_on"] == today.isoformat() and effect["article"] == "LDA Art. 47"
                (took,) = await _delivered(court, final["case_id"], f"{ARB}award.effective.v1")
                assert (took["data"]["effective_on"], took["data"]["award_type"]) == (today.isoformat(), "final")
                await _worker_view(client, final, "作出终局裁决", f"终局裁决自{_zh(today)}起发生法律效力")
                assert court.rejected == 0
