"""The labour-relations monitoring dashboard end to end, every service a real process, one stack
per backend, everything through the gateway:

- the administrator names a 和谐劳动关系 enterprise; complaints are filed online and at the
  window on two streets, one of them a collective complaint (12 workers, LDA Art. 7) about wages
  against the named enterprise, which raises a wage-arrears alert; a mediator records two
  failures, one within the 15 days (LDA Art. 14) and one on a case received 30 days ago (late);
- the dashboard's figures (API and console page) equal the counts the test computes from what it
  created, and from the wage-arrears desk's own alert list;
- a rebuild drops the read model and replays the topics from their start: the same figures;
- the administrator's pages: a webhook endpoint added through the console (its secret shown once),
  its deliveries listed and one replayed, the endpoint disabled; the audit trail verified whole,
  a checkpoint taken and its receipt checked consistent.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from labornet_common.platform.broker import EmbeddedBroker, free_port
from labornet_common.standards.uscc import org_code_check_char, uscc_check_char
from labornet_common.testing.api import WebhookReceiver, eventually, sign_in
from labornet_common.testing.stack import Stack, running_stack

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]

CENTRE = "med-410311007"  # 科技园街道's centre
STREETS = ("410311007", "410311008")
RUN = uuid.uuid4().hex[:6].upper()


def _uscc(run: str) -> str:
    org = ("MA" + run)[:8].ljust(8, "0")
    first17 = "91410300" + org + org_code_check_char(org)
    return first17 + uscc_check_char(first17)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    from labornet_common.testing.databases import POSTGRES_ENV, postgres_base_url

    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    return str(request.param)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def receiver() -> AsyncIterator[WebhookReceiver]:
    async with WebhookReceiver() as running:
        yield running


@pytest.fixture(scope="module")
def own_broker(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A broker for each backend's stack: a rebuild replays the topics from their start, which
    must hold this stack's events only (as in any deployment), not the other backend's."""
    log = tmp_path_factory.mktemp(f"broker-{backend}") / "broker.log"
    embedded = EmbeddedBroker(port=free_port(), log_path=log).start()
    try:
        yield embedded.bootstrap_servers
    finally:
        embedded.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(
    backend: str, own_broker: str, receiver: WebhookReceiver, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    workdir: Path = tmp_path_factory.mktemp(f"dashboard-{backend}")
    env = {
        "LABORNET_WEBHOOK_ALLOWED_HOSTS": f"127.0.0.1:{receiver.port}",
        "LABORNET_WEBHOOK_POLL_INTERVAL_S": "0.1",
    }
    async with running_stack(backend=backend, broker=own_broker, workdir=workdir, extra_env=env) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def client(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=20) as c:
        yield c


def _complaint(street: str, employer: str, **more: Any) -> dict[str, Any]:
    return {
        "workplace_division": street,
        "worker_name": "王五",
        "employer_name": employer,
        "facts": "拖欠工资",
        "claims": [{"category": "labor_remuneration", "amount_fen": 1_200_000}],
        **more,
    }


async def _file(client: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str] | None = None) -> dict:
    key = {"Idempotency-Key": f"dash-{uuid.uuid4().hex}"}
    r = await client.post("/api/v1/complaints", json=body, headers={**key, **(headers or {})})
    assert r.status_code == 201, r.text
    return r.json()


async def _dashboard(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    r = await client.get("/api/v1/reports/dashboard", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["figures"]


async def _fail_mediation(client: httpx.AsyncClient, mediator: dict[str, str], received_on: date) -> str:
    body = {"worker_name": "赵六", "employer_name": f"洛阳某物流公司{RUN}", "workplace_division": STREETS[0]}
    r = await client.post(
        "/api/v1/mediation/cases", json={**body, "received_on": received_on.isoformat()}, headers=mediator
    )
    assert r.status_code == 201, r.text
    case_id = r.json()["case_id"]
    r = await client.post(
        f"/api/v1/mediation/cases/{case_id}/failure", json={"reason": "no_agreement"}, headers=mediator
    )
    # A case received 30 days ago may already have been closed by the 15-day clock (timed out):
    # either way its mediation ended after the limit.
    assert r.status_code in (200, 409), r.text
    return case_id


async def _alerts_of(client: httpx.AsyncClient, inspector: dict[str, str], employer: str) -> list[dict]:
    r = await client.get("/api/v1/wage-arrears/alerts", params={"q": employer, "limit": 100}, headers=inspector)
    assert r.status_code == 200, r.text
    return [a for a in r.json()["items"] if a["employer_name"] == employer]


def _seen(f: dict[str, Any], uscc: str) -> dict[str, Any]:
    """The figures the test checks, as the dashboard gives them."""
    check = next((e for e in f["enterprise_check"] if e["uscc"] == uscc), {})
    return {
        "filings": f["filings"],
        "by_channel": f["by_channel"],
        "by_street": f["by_street"],
        "by_month": f["by_month"],
        "collective": f["collective"],
        "centre": {k: f["mediation_on_time"].get(CENTRE, {}).get(k, 0) for k in ("numerator", "denominator")},
        "success": {k: f["mediation_success"][k] for k in ("numerator", "denominator")},
        "alerts": f["alerts"]["raised"],
        "alert_amount": f["alerts"]["amount_fen"],
        "mediation_open": f["open_clocks"]["mediation_open"],
        "enterprise": (check.get("cases"), check.get("collective"), check.get("check"), check.get("alerts")),
    }


def _plus(base: dict[str, int], more: Mapping[str, int]) -> dict[str, int]:
    return {k: base.get(k, 0) + more.get(k, 0) for k in sorted({*base, *more})}


async def _settled(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    """The figures once two readings two seconds apart agree (the earlier events all read)."""
    before = await _dashboard(client, headers)
    for _ in range(30):
        await asyncio.sleep(2)
        now = await _dashboard(client, headers)
        if now == before:
            return now
        before = now
    raise AssertionError("the figures kept moving")


async def test_dashboard_counts_what_was_created_and_a_rebuild_gives_the_same(client: httpx.AsyncClient) -> None:
    run = uuid.uuid4().hex[:6].upper()  # each backend's stack its own enterprise
    harmony, uscc = f"洛阳和谐机械有限公司{run}", _uscc(run)
    admin = await sign_in(client, "admin", "admin-demo")
    clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
    mediator = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
    inspector = await sign_in(client, "inspector.luoyang", "inspector-demo-4103")
    # Counted on from the figures as they stand (the other test of the module files in 威海 only).
    base = _seen(await _settled(client, clerk), uscc)
    r = await client.post(
        "/api/v1/reports/named-enterprises",
        json={"name": harmony, "uscc": uscc, "level": "市级", "region": "4103"},
        headers=admin,
    )
    assert r.status_code == 201, r.text

    filed = [
        ("online", STREETS[0], await _file(client, _complaint(STREETS[0], f"洛阳甲公司{RUN}"))),
        ("online", STREETS[1], await _file(client, _complaint(STREETS[1], f"洛阳乙公司{RUN}"))),
        (
            "window",
            STREETS[0],
            await _file(client, _complaint(STREETS[0], f"洛阳甲公司{RUN}", channel="window"), clerk),
        ),
        (
            "online",
            STREETS[0],
            await _file(client, _complaint(STREETS[0], harmony, employer_uscc=uscc, worker_count=12)),
        ),
    ]
    # A filing that joined an open case (the same worker again, a grouped co-worker) is no new case.
    filed = [(channel, street, case) for channel, street, case in filed if case["outcome"] == "created"]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    on_time = await _fail_mediation(client, mediator, today)
    late = await _fail_mediation(client, mediator, today - timedelta(days=30))
    assert on_time != late

    # Independently: what the test filed, and the wage-arrears desk's own alerts.
    alerts = await eventually(lambda: _alerts_of(client, inspector, harmony), lambda found: len(found) >= 1, 60)
    assert alerts, "the collective wage complaint raised no alert"
    month = today.strftime("%Y-%m")
    expected = {
        "filings": base["filings"] + len(filed),
        "by_channel": _plus(base["by_channel"], Counter(channel for channel, _, _ in filed)),
        "by_street": _plus(base["by_street"], Counter(street for _, street, _ in filed)),
        "by_month": _plus(base["by_month"], {month: len(filed)}),
        "collective": sorted(base["collective"] + [case["case_id"] for _, _, case in filed if case.get("collective")]),
        "centre": _plus(base["centre"], {"numerator": 1, "denominator": 2}),  # one of two in time
        "success": _plus(base["success"], {"numerator": 0, "denominator": 2}),
        "alerts": base["alerts"] + len(alerts),
        "alert_amount": base["alert_amount"] + sum(a["amount_fen"] for a in alerts),
        # Filings routed to mediation open a 15-day clock each; the two direct cases failed.
        "mediation_open": base["mediation_open"] + sum(1 for _, _, case in filed if case["route"] == "mediation"),
        "enterprise": (1, 1, True, len(alerts)),
    }
    assert len(expected["collective"]) == len(base["collective"]) + 1, [c for _, _, c in filed]
    seen = await eventually(lambda: _dashboard(client, clerk), lambda f: _seen(f, uscc) == expected, 60)
    assert _seen(seen, uscc) == expected

    # The console shows the same figures, each with its definition, and draws its charts inline.
    page = await _console_page(client)
    assert f'data-testid="fig-filings"><h2>受理件数</h2><p class="big" data-value="{expected["filings"]}"' in page
    centre = expected["centre"]
    assert f'data-org="{CENTRE}" data-num="{centre["numerator"]}" data-den="{centre["denominator"]}"' in page
    assert f'data-uscc="{uscc}" data-check="yes"' in page
    assert page.count('src="data:image/svg+xml;base64,') == 4
    assert "http://" not in page.split("<body", 1)[1].replace("http://www.w3.org", "")

    # Rebuild: drop the read model, replay the topics from their start, the same figures.
    r = await client.post("/api/v1/reports/rebuilds", headers=admin)
    assert r.status_code == 202, r.text
    rebuild_id = r.json()["id"]
    again = await client.post("/api/v1/reports/rebuilds", headers=admin)  # joining a consumer group takes a while
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json"), again.text

    async def status() -> dict[str, Any]:
        return (await client.get(f"/api/v1/reports/rebuilds/{rebuild_id}", headers=admin)).json()

    done = await eventually(status, lambda s: s.get("status") != "running", 120)
    assert done["status"] == "finished", done
    assert done["events"] > 0
    assert await _dashboard(client, clerk) == seen
    # One region within the caller's: narrowed; outside them: refused naming the parameter.
    street = await client.get("/api/v1/reports/dashboard", params={"region": STREETS[1]}, headers=clerk)
    assert street.json()["figures"]["by_street"] == {STREETS[1]: seen["by_street"][STREETS[1]]}, street.text
    outside = await client.get("/api/v1/reports/dashboard", params={"region": "3710"}, headers=clerk)
    assert outside.status_code == 422 and [e["field"] for e in outside.json()["errors"]] == ["region"], outside.text
    # Refused to anyone but a nationwide administrator.
    assert (await client.post("/api/v1/reports/rebuilds", headers=clerk)).status_code == 403


class Console:
    """The administrator's browser (cookies kept by hand: plain http)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client, self.cookies = client, {}

    def _keep(self, r: httpx.Response) -> None:
        for header in r.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]

    def _headers(self) -> dict[str, str]:
        return {"cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    async def get(self, path: str) -> httpx.Response:
        r = await self.client.get(path, headers=self._headers())
        self._keep(r)
        return r

    async def post(self, path: str, data: dict[str, str], *, form_page: str) -> httpx.Response:
        page = await self.get(form_page)
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert token, page.text[:500]
        r = await self.client.post(path, data={**data, "csrf_token": token.group(1)}, headers=self._headers())
        self._keep(r)
        return r

    @classmethod
    async def admin(cls, client: httpx.AsyncClient) -> Console:
        return await cls.signed_in(client, "admin", "admin-demo")

    @classmethod
    async def signed_in(cls, client: httpx.AsyncClient, username: str, password: str) -> Console:
        console = cls(client)
        form = {"username": username, "password": password, "next": "/console/"}
        r = await console.post("/console/login", form, form_page="/console/login")
        assert r.status_code == 303, r.text[:500]
        return console


async def _console_page(client: httpx.AsyncClient) -> str:
    # The city's clerk: Luoyang's figures (the other test files in 威海).
    page = await (await Console.signed_in(client, "clerk.luoyang", "clerk-demo-4103")).get("/console/reports")
    assert page.status_code == 200, page.text[:500]
    return page.text


async def test_admin_pages_webhooks_and_audit(client: httpx.AsyncClient, receiver: WebhookReceiver) -> None:
    console = await Console.admin(client)
    hooks = "/console/admin/webhooks"
    form = {
        "url": receiver.url,
        "description": "法院裁审衔接（测试）",
        "event_types": "cn.labornet.intake.*",
        "region_scopes": "3710",  # 威海: its filing stays out of the Luoyang figures of the other test
    }
    r = await console.post(hooks, form, form_page=hooks)
    assert r.status_code == 200, r.text[:500]
    secret = re.search(r'data-testid="secret">(whsec_[^<]+)<', r.text)
    assert secret, r.text[:2000]
    receiver.secret = secret.group(1)
    endpoint_id = re.search(r"已添加接收端 <code>([^<]+)</code>", r.text).group(1)  # type: ignore[union-attr]
    listed = await console.get(hooks)
    assert f'data-endpoint-id="{endpoint_id}" data-status="active"' in listed.text
    assert secret.group(1) not in listed.text  # shown once

    await _file(client, _complaint("371002", f"威海丙公司{RUN}"))
    log_page = f"{hooks}/{endpoint_id}"

    async def delivered() -> str:
        return (await console.get(log_page)).text

    log = await eventually(delivered, lambda text: 'data-status="succeeded"' in text, 60)
    delivery_id = re.search(r'data-delivery-id="(\d+)" data-status="succeeded"', log)
    assert delivery_id, log[:3000]
    replay = f"{log_page}/deliveries/{delivery_id.group(1)}/replay"
    r = await console.post(replay, {}, form_page=log_page)
    assert r.status_code == 303 and r.headers["location"].endswith("done=replay"), r.text[:500]
    assert "已安排重新投递" in (await console.get(r.headers["location"])).text

    r = await console.post(f"{hooks}/{endpoint_id}/disable", {}, form_page=hooks)
    assert r.status_code == 303, r.text[:500]
    assert f'data-endpoint-id="{endpoint_id}" data-status="disabled"' in (await console.get(hooks)).text

    audit = await console.get("/console/admin/audit")
    assert audit.status_code == 200 and 'data-testid="verification" data-ok="yes"' in audit.text, audit.text[:3000]
    r = await console.post("/console/admin/audit/checkpoint", {}, form_page="/console/admin/audit")
    receipt = re.search(r'data-testid="receipt">([^<]+)<', r.text)
    assert receipt, r.text[:3000]
    r = await console.post(
        "/console/admin/audit/check-receipt", {"receipt": receipt.group(1)}, form_page="/console/admin/audit"
    )
    assert 'data-status="consistent"' in r.text, r.text[:3000]
    # Another role is refused the administrator's pages.
    clerk = await Console.signed_in(client, "clerk.luoyang", "clerk-demo-4103")
    assert (await clerk.get(hooks)).status_code == 403
