"""Mediation's extension, enterprise committees and rosters end to end, every service a real
process, one stack per backend, everything through the gateway (API and console):

- a complaint about a workplace on 科技园街道 reaches med-410311007; the mediator records that both
  parties agreed to extend the period (LDA Art. 14): refused without the employer's agreement, then
  10 days are added from the old last day (民诉法 Art. 85 rolling a holiday), the clock, the console
  and the worker's status timeline show the new limit, and mediation.cases.v1 carries the event;
- the administrator registers an enterprise committee with its make-up (LDA Art. 10), adds a
  mediator who then receives the committee's case, moves that mediator to another centre (the
  open case stays at the committee and waits) and retires another; each change is an event on
  reference.organisations.v1, a row in mediation's change log and in the gateway's audit trail;
  the console's roster page adds a mediator through its form; other roles are refused.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text

from labornet_common.platform.bus.topics import MEDIATION, ORGANISATIONS
from labornet_common.platform.db import create_engine
from labornet_common.reference.calendar import LegalCalendar
from labornet_common.testing.api import eventually, get_once_present, sign_in
from labornet_common.testing.messaging import read_topic
from labornet_common.testing.stack import Stack, running_stack

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]

STREET = "410311007"  # 科技园街道: med-410311007
ENTERPRISE = "洛阳端到端机械有限公司"
EXTENDED = "cn.labornet.mediation.period.extended.v1"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    from labornet_common.testing.databases import POSTGRES_ENV, postgres_base_url

    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    return str(request.param)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    workdir: Path = tmp_path_factory.mktemp(f"mediation-rosters-{backend}")
    async with running_stack(backend=backend, broker=broker, workdir=workdir) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def client(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=15) as c:
        yield c


def _problem(r: httpx.Response, status: int, field: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = r.json()
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field], body
    return body


class Console:
    """A signed-in console session as a browser keeps it (cookies sent by hand: plain http)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client, self.cookies = client, {}

    def _keep(self, r: httpx.Response) -> None:
        for header in r.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]

    async def get(self, path: str) -> httpx.Response:
        r = await self.client.get(path, headers={"cookie": self._cookie()})
        self._keep(r)
        return r

    async def post(self, path: str, data: dict[str, str], *, form_page: str) -> httpx.Response:
        page = await self.get(form_page)
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert token, page.text[:500]
        r = await self.client.post(
            path, data={**data, "csrf_token": token.group(1)}, headers={"cookie": self._cookie()}
        )
        self._keep(r)
        return r

    def _cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    @classmethod
    async def signed_in(cls, client: httpx.AsyncClient, username: str, password: str) -> Console:
        console = cls(client)
        r = await console.post(
            "/console/login",
            {"username": username, "password": password, "next": "/console/"},
            form_page="/console/login",
        )
        assert r.status_code == 303, r.text[:500]
        return console


async def _audited(stack: Stack, request_id: str) -> tuple:
    engine = create_engine(stack.databases["gateway"])

    async def row() -> list:
        async with engine.begin() as conn:
            result = await conn.execute(
                text("SELECT subject, method, status FROM audit_log WHERE request_id = :rid"), {"rid": request_id}
            )
            return [tuple(r) for r in result.all()]

    try:
        (found,) = await eventually(row, bool)
        return found
    finally:
        await engine.dispose()


async def test_the_parties_extend_the_period_and_every_view_shows_the_new_limit(
    stack: Stack, client: httpx.AsyncClient, broker: str
) -> None:
    complaint = {
        "channel": "online",
        "workplace_division": STREET,
        "worker_name": "周师傅",
        "employer_name": "洛阳某延期调解测试公司",
        "facts": "2026年10月工资未发放",
        "claims": [{"category": "labor_remuneration", "amount_fen": 860000}],
    }
    filed = await client.post("/api/v1/complaints", json=complaint)
    assert filed.status_code == 201, filed.text
    case = filed.json()
    me = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
    base = f"/api/v1/mediation/cases/{case['case_id']}"
    opened = await get_once_present(client, base, me)
    assert opened.status_code == 200, stack.log_tail("mediation")
    assert (await client.post(f"{base}/accept", headers=me)).status_code == 200
    due, received = date.fromisoformat(opened.json()["due_on"]), date.fromisoformat(opened.json()["received_on"])
    body = {"extra_days": 10, "worker_agrees": True, "employer_agrees": False, "agreed_on": received.isoformat()}
    refused = await client.post(f"{base}/extensions", json=body, headers=me)
    assert "双方当事人同意" in _problem(refused, 422, "employer_agrees")["title_zh"]
    extended = await client.post(f"{base}/extensions", json={**body, "employer_agrees": True}, headers=me)
    assert extended.status_code == 201, extended.text
    new_due = LegalCalendar().add_calendar_days(due, 10)
    assert extended.json()["due_on"] == extended.json()["clock"]["due_on"] == new_due.isoformat()

    console = await Console.signed_in(client, "mediator.luoyang", "mediator-demo-4103")
    page = await console.get(f"/console/mediation/cases/{case['case_id']}")
    assert page.status_code == 200 and new_due.isoformat() in page.text
    assert "经双方当事人同意延长10日" in page.text and 'data-action="extension"' in page.text
    form = {"extra_days": "3", "agreed_on": received.isoformat(), "worker_agrees": "on"}
    shown = await console.post(
        f"/console/mediation/extensions/{case['case_id']}",
        form,
        form_page=f"/console/mediation/cases/{case['case_id']}",
    )
    assert shown.status_code == 200 and "须经双方当事人同意" in shown.text  # named next to the employer box

    token = await client.post(
        "/api/v1/auth/worker-token",
        json={"tracking_number": case["tracking_number"], "access_code": case["access_code"]},
    )
    worker = {"Authorization": f"Bearer {token.json()['access_token']}"}
    seen_case = (await client.get(base, headers=worker)).json()
    assert seen_case["due_on"] == new_due.isoformat() and seen_case["extensions"][0]["extra_days"] == 10

    async def timeline() -> list[str]:
        r = await client.get(f"/api/v1/tracking/{case['case_id']}", headers=worker)
        return [e["text_zh"] for e in r.json().get("timeline", [])]

    lines = await eventually(timeline, lambda t: any("调解期限延长至" in line for line in t))
    assert f"经双方当事人同意，调解期限延长至{new_due.isoformat()}" in lines, lines

    records = await read_topic(broker, MEDIATION, keys={case["case_id"]}, expected=4)
    events = [json.loads(v) for _k, h, v in records if h.get("ce_type") == EXTENDED.encode()]
    assert [(e["previous_due_on"], e["due_on"], e["extra_days"]) for e in events] == [
        (due.isoformat(), new_due.isoformat(), 10)
    ]


async def test_an_administrator_keeps_the_rosters_and_every_change_is_told_and_audited(
    stack: Stack, client: httpx.AsyncClient, broker: str
) -> None:
    admin = await sign_in(client, "admin", "admin-demo")
    mediator = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
    # Fresh ids per run: the broker (and its topics) outlive one backend's stack.
    run = uuid.uuid4().hex[:6]
    committee_id, zhao = f"med-ent-410311-{run}", f"e2e-zhao-{run}"
    committee = {
        "centre_id": committee_id,
        "kind": "enterprise",
        "name": f"{ENTERPRISE}劳动争议调解委员会",
        "division_code": "410311",
        "employer_name": ENTERPRISE,
        "composition": {"worker_representatives": 3, "employer_representatives": 2, "chair": "elected_by_both"},
    }
    _problem(await client.post("/api/v1/mediation/admin/centres", json=committee, headers=mediator), 403)
    added = await client.post("/api/v1/mediation/admin/centres", json=committee, headers=admin)
    assert added.status_code == 201, added.text
    enrol = {"centre_id": committee_id, "name": "赵委员", "subject": "mediator:e2e-zhao", "mediator_id": zhao}
    rid = f"e2e-roster-{uuid.uuid4().hex[:8]}"
    enrolled = await client.post(
        "/api/v1/mediation/admin/mediators", json=enrol, headers={**admin, "x-request-id": rid}
    )
    assert enrolled.status_code == 201, enrolled.text

    # The new mediator receives the committee's next case (the only one serving there).
    other = {
        "workplace_division": STREET,
        "worker_name": "钱师傅",
        "employer_name": "别的公司",
        "facts": "加班费",
        "centre_id": committee_id,
    }
    _problem(await client.post("/api/v1/mediation/cases", json=other, headers=admin), 422, "employer_name")
    own = await client.post("/api/v1/mediation/cases", json={**other, "employer_name": ENTERPRISE}, headers=admin)
    assert own.status_code == 201, own.text
    case_id = own.json()["case_id"]
    accepted = await client.post(f"/api/v1/mediation/cases/{case_id}/accept", headers=admin)
    assert accepted.json()["mediator_id"] == zhao and accepted.json()["centre_kind"] == "enterprise"
    assert accepted.json()["acceptance_due_on"]

    moved = await client.post(
        f"/api/v1/mediation/admin/mediators/{zhao}/move", json={"centre_id": "med-410311007"}, headers=admin
    )
    assert moved.status_code == 200 and moved.json()["reassigned"] == {case_id: None}, moved.text
    waiting = (await client.get(f"/api/v1/mediation/cases/{case_id}", headers=admin)).json()
    assert waiting["mediator_id"] is None and waiting["centre_id"] == committee_id
    retired = await client.post(
        f"/api/v1/mediation/admin/mediators/{zhao}/retire", json={"reason": "调离"}, headers=admin
    )
    assert retired.status_code == 200, retired.text
    _problem(await client.post(f"/api/v1/mediation/admin/centres/{committee_id}/retire", headers=admin), 409)

    records = await read_topic(broker, ORGANISATIONS, keys={zhao, committee_id}, expected=4)
    by_key: dict[str, list[tuple[str, dict]]] = {}
    for key, headers, value in records:  # ordered within a key (its partition), not across keys
        by_key.setdefault(key, []).append((headers.get("ce_type", b"").decode(), json.loads(value)))
    assert [t for t, _ in by_key[committee_id]] == ["cn.labornet.organisations.centre.registered.v1"]
    assert [t for t, _ in by_key[zhao]] == [
        "cn.labornet.organisations.mediator.enrolled.v1",
        "cn.labornet.organisations.mediator.moved.v1",
        "cn.labornet.organisations.mediator.retired.v1",
    ]
    moved_event = by_key[zhao][1][1]
    assert moved_event["from_centre_id"] == committee_id and moved_event["reassigned"] == {case_id: None}

    log = (await client.get("/api/v1/mediation/admin/changes", headers=admin)).json()
    assert {("mediator.enrolled", zhao), ("mediator.moved", zhao), ("mediator.retired", zhao)} <= {
        (c["action"], c["subject_id"]) for c in log
    }
    subject, method, status = await _audited(stack, rid)
    assert (subject, method, status) == ("demo:admin", "POST", 201)

    # The console: the committee's page shows its make-up and rules; the roster page adds a mediator.
    console = await Console.signed_in(client, "admin", "admin-demo")
    centre_page = await console.get(f"/console/mediation/centres/{committee_id}")
    assert centre_page.status_code == 200 and "双方推举的人员" in centre_page.text and "第十条" in centre_page.text
    roster = await console.get("/console/admin/roster")
    assert roster.status_code == 200 and zhao in roster.text and "mediator.moved" in roster.text
    form = {"centre_id": committee_id, "name": "孙委员", "subject": "mediator:e2e-sun"}
    done = await console.post("/console/admin/roster/enrol", form, form_page="/console/admin/roster")
    assert done.status_code == 303 and done.headers["location"].endswith("done=enrol"), done.text[:300]
    listed = (await client.get("/api/v1/mediation/mediators", headers=admin, params={"centre_id": committee_id})).json()
    assert {m["name"] for m in listed if m["active"]} == {"孙委员"}
    bad = await console.post(
        "/console/admin/roster/move",
        {"mediator_id": "nobody", "centre_id": "med-410311007"},
        form_page="/console/admin/roster",
    )
    assert bad.status_code == 200 and "不在您的管理范围内" in bad.text
    as_mediator = await Console.signed_in(client, "mediator.luoyang", "mediator-demo-4103")
    assert (await as_mediator.get("/console/admin/roster")).status_code == 403
