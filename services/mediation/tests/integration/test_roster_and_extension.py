"""Over real HTTP: extending the mediation period by both parties' agreement (LDA Art. 14), an
enterprise committee registered with its make-up (LDA Art. 10) taking its own enterprise's
disputes only, and administrators keeping the rosters and the register (region-scoped, logged)."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from labornet_common.reference.calendar import LegalCalendar
from labornet_common.security.auth import Principal, Role
from labornet_common.testing.inprocess import Services, assertion, running_services
from tests.support.mediation import LUOYANG_CLERK, LUOYANG_MEDIATOR, staff_of

pytestmark = pytest.mark.asyncio(loop_scope="module")
ADMIN = Principal(subject="demo:admin", roles=frozenset({Role.admin}), region_scopes=("*",))
WEIHAI_ADMIN = Principal(subject="admin@3710", roles=frozenset({Role.admin}), region_scopes=("3710",))
COMMITTEE_ID = "med-ent-410311-yt"
ENTERPRISE = "洛阳一拖机械有限公司"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    from labornet_common.testing.databases import POSTGRES_ENV, postgres_base_url

    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    return str(request.param)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory):
    workdir: Path = tmp_path_factory.mktemp(f"mediation-roster-{backend}")
    async with running_services(["mediation"], backend=backend, broker=broker, workdir=workdir) as running:
        yield running


async def _call(services: Services, method: str, path: str, who: Principal, **kwargs) -> httpx.Response:
    async with httpx.AsyncClient(base_url=services.urls["mediation"]) as client:
        return await client.request(method, f"/api/v1/mediation{path}", headers=assertion(who), **kwargs)


def _problem(r: httpx.Response, status: int, field: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field], body
    assert body["title_zh"] and body["title_en"]
    return body


async def _open(services: Services, who: Principal, *, employer: str = "洛阳某建筑工程有限公司") -> httpx.Response:
    body = {
        "workplace_division": "410311007",
        "worker_name": "王师傅",
        "employer_name": employer,
        "facts": "拖欠工资",
        "claims": [{"category": "labor_remuneration", "amount_fen": 1860000}],
    }
    if who.org_id == COMMITTEE_ID:
        body["centre_id"] = COMMITTEE_ID
    return await _call(services, "POST", "/cases", who, json=body)


async def test_the_parties_extend_the_period_and_the_worker_sees_the_new_limit(services) -> None:
    created = await _open(services, LUOYANG_CLERK)
    assert created.status_code == 201, created.text
    case_id, due = created.json()["case_id"], date.fromisoformat(created.json()["due_on"])
    today = date.fromisoformat(
        (await _call(services, "GET", f"/cases/{case_id}", LUOYANG_MEDIATOR)).json()["received_on"]
    )
    body = {"extra_days": 10, "worker_agrees": True, "employer_agrees": False, "agreed_on": today.isoformat()}
    refused = await _call(services, "POST", f"/cases/{case_id}/extensions", LUOYANG_MEDIATOR, json=body)
    assert "双方当事人同意" in _problem(refused, 422, "employer_agrees")["title_zh"]
    body["employer_agrees"] = True
    extended = await _call(services, "POST", f"/cases/{case_id}/extensions", LUOYANG_MEDIATOR, json=body)
    assert extended.status_code == 201, extended.text
    new_due = LegalCalendar().add_calendar_days(due, 10)  # 民诉法 Art. 85 from the old last day
    case = extended.json()
    assert case["due_on"] == case["clock"]["due_on"] == new_due.isoformat()
    assert [(e["previous_due_on"], e["due_on"]) for e in case["extensions"]] == [(due.isoformat(), new_due.isoformat())]
    assert "经双方当事人同意，调解期限延长10日" in case["history_zh"][-1]
    too_long = await _call(
        services, "POST", f"/cases/{case_id}/extensions", LUOYANG_MEDIATOR, json={**body, "extra_days": 6}
    )
    _problem(too_long, 422, "extra_days")  # 10 + 6 > the default ceiling of 15
    worker = Principal(subject="worker:w", roles=frozenset({Role.worker}), case_ids=(case_id,))
    seen = (await _call(services, "GET", f"/cases/{case_id}", worker)).json()
    assert seen["due_on"] == new_due.isoformat() and seen["extensions"][0]["extra_days"] == 10
    outsider = await _call(
        services, "POST", f"/cases/{case_id}/extensions", staff_of(LUOYANG_MEDIATOR, "med-410311002"), json=body
    )
    assert outsider.status_code == 403


def _committee() -> dict:
    return {
        "centre_id": COMMITTEE_ID,
        "kind": "enterprise",
        "name": f"{ENTERPRISE}劳动争议调解委员会",
        "division_code": "410311",
        "employer_name": ENTERPRISE,
        "composition": {"worker_representatives": 3, "employer_representatives": 2, "chair": "union_member"},
    }


async def _register_committee(services: Services) -> httpx.Response:
    """The enterprise committee, registered by whichever of this module's tests runs first (the
    module's tests share one mediation service, in any order): 201, then 200 created=false."""
    r = await _call(services, "POST", "/admin/centres", ADMIN, json=_committee())
    assert (r.status_code, r.json()["created"]) in ((201, True), (200, False)), r.text
    return r


async def test_an_enterprise_committee_with_its_make_up_takes_its_own_enterprise_only(services) -> None:
    committee = _committee()
    committee["composition"]["employer_representatives"] = 0
    _problem(
        await _call(services, "POST", "/admin/centres", ADMIN, json=committee),
        422,
        "composition.employer_representatives",
    )
    no_make_up = {k: v for k, v in committee.items() if k != "composition"}
    _problem(await _call(services, "POST", "/admin/centres", ADMIN, json=no_make_up), 422, "composition")
    committee["composition"]["employer_representatives"] = 2
    assert (await _call(services, "POST", "/admin/centres", LUOYANG_MEDIATOR, json=committee)).status_code == 403
    _problem(await _call(services, "POST", "/admin/centres", WEIHAI_ADMIN, json=committee), 422, "division_code")
    added = await _register_committee(services)
    assert added.json()["id"] == COMMITTEE_ID
    again = await _call(services, "POST", "/admin/centres", ADMIN, json=committee)
    assert (again.status_code, again.json()["created"]) == (200, False)
    page = (await _call(services, "GET", f"/centres/{COMMITTEE_ID}", LUOYANG_MEDIATOR)).json()
    assert page["kind"] == "enterprise" and page["committee"]["employer_name"] == ENTERPRISE
    assert page["committee"]["worker_representatives"] == 3 and any(
        "第十条" in r for r in page["committee"]["rules_zh"]
    )
    clerk = staff_of(LUOYANG_CLERK, COMMITTEE_ID)
    other = await _open(services, clerk)
    assert "本企业" in _problem(other, 422, "employer_name")["title_zh"]
    own = await _open(services, clerk, employer=ENTERPRISE)
    assert own.status_code == 201, own.text
    case = (await _call(services, "GET", f"/cases/{own.json()['case_id']}", clerk)).json()
    received = date.fromisoformat(case["received_on"])
    assert case["centre_kind"] == "enterprise"
    assert case["acceptance_due_on"] == LegalCalendar().add_working_days(received, 3).isoformat()


async def test_admins_add_move_and_retire_mediators_and_open_cases_are_handed_over(services) -> None:
    await _register_committee(services)
    for n in (1, 2):
        r = await _call(
            services,
            "POST",
            "/admin/mediators",
            ADMIN,
            json={
                "centre_id": COMMITTEE_ID,
                "name": f"委员{n}",
                "subject": f"mediator:yt-{n}",
                "mediator_id": f"yt-{n}",
            },
        )
        assert r.status_code == 201, r.text
    dup = await _call(
        services,
        "POST",
        "/admin/mediators",
        ADMIN,
        json={"centre_id": COMMITTEE_ID, "name": "x", "subject": "mediator:yt-1"},
    )
    _problem(dup, 409, "subject")
    _problem(
        await _call(
            services,
            "POST",
            "/admin/mediators",
            WEIHAI_ADMIN,
            json={"centre_id": COMMITTEE_ID, "name": "x", "subject": "s"},
        ),
        422,
        "centre_id",
    )
    clerk = staff_of(LUOYANG_CLERK, COMMITTEE_ID)
    cases = []
    for _ in range(2):
        case_id = (await _open(services, clerk, employer=ENTERPRISE)).json()["case_id"]
        accepted = (await _call(services, "POST", f"/cases/{case_id}/accept", clerk)).json()
        cases.append((case_id, accepted["mediator_id"]))
    assert {m for _, m in cases} == {"yt-1", "yt-2"}  # the least loaded, one each
    yt1_case = next(c for c, m in cases if m == "yt-1")
    retired = await _call(services, "POST", "/admin/mediators/yt-1/retire", ADMIN, json={"reason": "退休"})
    assert retired.status_code == 200 and retired.json()["reassigned"] == {yt1_case: "yt-2"}
    moved_case = (await _call(services, "GET", f"/cases/{yt1_case}", clerk)).json()
    assert moved_case["mediator_id"] == "yt-2"
    _problem(await _call(services, "POST", "/admin/mediators/yt-1/retire", ADMIN, json={}), 409)
    moved = await _call(services, "POST", "/admin/mediators/yt-2/move", ADMIN, json={"centre_id": "med-410311007"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["reassigned"] == {c: None for c, _ in cases}  # nobody else serves: they wait
    waiting = (await _call(services, "GET", f"/cases/{yt1_case}", clerk)).json()
    assert waiting["mediator_id"] is None and "待重新指派调解员" in waiting["history_zh"][-1]
    roster = (await _call(services, "GET", "/mediators", ADMIN, params={"centre_id": "med-410311007"})).json()
    assert "yt-2" in {m["mediator_id"] for m in roster}
    _problem(await _call(services, "POST", f"/admin/centres/{COMMITTEE_ID}/retire", ADMIN), 409)  # open cases
    log = (await _call(services, "GET", "/admin/changes", ADMIN)).json()
    actions = [(c["action"], c["subject_id"]) for c in log]
    assert ("mediator.moved", "yt-2") in actions and ("mediator.retired", "yt-1") in actions
    assert ("centre.registered", COMMITTEE_ID) in actions
    assert (await _call(services, "GET", "/admin/changes", LUOYANG_MEDIATOR)).status_code == 403
    assert (await _call(services, "GET", "/admin/changes", WEIHAI_ADMIN)).json() == []
    # The same mediator enrolled twice at once: one enrolment, the other a 409 of the roster.
    twin = {"centre_id": "med-410311007", "name": "委员3", "subject": "mediator:yt-3", "mediator_id": "yt-3"}
    racing = await asyncio.gather(*(_call(services, "POST", "/admin/mediators", ADMIN, json=twin) for _ in range(2)))
    assert sorted(r.status_code for r in racing) == [201, 409], [r.text for r in racing]
    lost = _problem(next(r for r in racing if r.status_code == 409), 409)
    assert lost["type"].endswith("/mediation.mediator_exists")


async def test_a_tribunal_added_at_a_centre_and_retired(services) -> None:
    body = {
        "tribunal_id": "trib-410311-002",
        "name": "洛阳市劳动人事争议仲裁委员会试点派出仲裁庭",
        "commission_id": "arb-4103",
        "division_code": "410311",
        "centre_id": "med-410311002",
    }
    _problem(
        await _call(services, "POST", "/admin/tribunals", ADMIN, json={**body, "commission_id": "arb-x"}),
        422,
        "commission_id",
    )
    assert (await _call(services, "POST", "/admin/tribunals", ADMIN, json=body)).status_code == 201
    centre = (await _call(services, "GET", "/centres/med-410311002", ADMIN)).json()
    assert centre["tribunal"]["tribunal_id"] == "trib-410311-002"
    assert (await _call(services, "POST", "/admin/tribunals/trib-410311-002/retire", ADMIN)).status_code == 204
    centre = (await _call(services, "GET", "/centres/med-410311002", ADMIN)).json()
    assert centre["tribunal"] is None and centre["commission"]["commission_id"] == "arb-4103"
