"""Every endpoint × every role × an object of another region → 404 (or absent from lists);
the right role in the object's region → allowed; workers see their own case only."""

from __future__ import annotations

import httpx
import pytest
import pytest_asyncio

from labornet_common.auth import Principal, Role
from tests.security.helpers import (
    GULOU,
    LUOYANG,
    STAFF_ROLES,
    bearer,
    file_online,
    open_mediation_case,
    staff,
    worker,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

COMPLAINT_READERS = {Role.clerk, Role.mediator, Role.arbitrator, Role.inspector, Role.admin}
MEDIATION_READERS = {Role.mediator, Role.clerk, Role.arbitrator, Role.court_liaison, Role.admin}
ENDPOINTS = {  # name -> (item path, list path, roles that may read in region)
    "complaints": ("/api/v1/complaints/{id}", "/api/v1/complaints", COMPLAINT_READERS),
    "mediation": ("/api/v1/mediation/cases/{id}", "/api/v1/mediation/cases", MEDIATION_READERS),
}


SEARCHED_ID = "11010519491231002X"  # the same worker complained in both regions


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cases(services) -> dict[str, str]:
    """A case in 洛阳 and one in 鼓楼, each with its complaint and its mediation case."""
    found = {}
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        for name, division in (("luoyang", LUOYANG), ("gulou", GULOU)):
            filed = await file_online(client, division, worker_id_number=SEARCHED_ID)
            await open_mediation_case(services.databases["mediation"], case_id=filed["case_id"], division=division)
            found[name] = filed["case_id"]
    return found


async def _get(services, path: str, principal: Principal | None) -> httpx.Response:
    headers = bearer(principal) if principal else {}
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        return await client.get(path, headers=headers, params={"limit": 100})


async def _listed(services, path: str, principal: Principal) -> set[str]:
    r = await _get(services, path, principal)
    assert r.status_code == 200, r.text
    return {item["case_id"] for item in r.json()["items"]}


async def _searched(services, principal: Principal) -> set[str]:
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        r = await client.post(
            "/api/v1/complaints/search", json={"worker_id_number": SEARCHED_ID}, headers=bearer(principal)
        )
    assert r.status_code == 200, r.text
    return {item["case_id"] for item in r.json()["items"]}


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_another_regions_object_is_404_and_never_listed(services, cases, endpoint: str, role: Role) -> None:
    item, listing, _readers = ENDPOINTS[endpoint]
    gulou_staff = staff(role, GULOU)
    r = await _get(services, item.format(id=cases["luoyang"]), gulou_staff)
    assert r.status_code == 404, r.text
    assert r.json()["title_en"] == "Not found, or not visible to you"
    assert cases["luoyang"] not in await _listed(services, listing, gulou_staff)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_in_region_only_the_roles_of_the_service_may_read(services, cases, endpoint: str, role: Role) -> None:
    item, listing, readers = ENDPOINTS[endpoint]
    luoyang_staff = staff(role, "4103")
    r = await _get(services, item.format(id=cases["luoyang"]), luoyang_staff)
    listed = cases["luoyang"] in await _listed(services, listing, luoyang_staff)
    if role in readers:
        assert r.status_code == 200 and r.json()["case_id"] == cases["luoyang"]
        assert listed
    else:
        assert r.status_code == 404 and not listed


@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_searching_by_id_number_finds_only_what_the_caller_may_read(services, cases, role: Role) -> None:
    found = await _searched(services, staff(role, GULOU))
    assert cases["luoyang"] not in found
    assert (cases["gulou"] in found) is (role in COMPLAINT_READERS)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
async def test_a_worker_sees_only_their_own_case(services, cases, endpoint: str) -> None:
    item, listing, _readers = ENDPOINTS[endpoint]
    own = worker(cases["gulou"])
    assert (await _get(services, item.format(id=cases["gulou"]), own)).status_code == 200
    assert (await _get(services, item.format(id=cases["luoyang"]), own)).status_code == 404
    assert await _listed(services, listing, own) == {cases["gulou"]}
    assert await _searched(services, own) == {cases["gulou"]}


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
async def test_anonymous_callers_must_sign_in_to_read(services, cases, endpoint: str) -> None:
    item, listing, _readers = ENDPOINTS[endpoint]
    for path in (item.format(id=cases["luoyang"]), listing):
        r = await _get(services, path, None)
        assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        r = await client.post("/api/v1/complaints/search", json={"worker_id_number": SEARCHED_ID})
    assert r.status_code == 401


async def test_an_unknown_id_reads_exactly_like_another_regions_case(services, cases) -> None:
    mediator = staff(Role.mediator, GULOU)
    hidden = await _get(services, f"/api/v1/complaints/{cases['luoyang']}", mediator)
    missing = await _get(services, "/api/v1/complaints/00000000-0000-4000-8000-000000000000", mediator)
    assert hidden.status_code == missing.status_code == 404
    strip = lambda body: {k: v for k, v in body.items() if k not in ("instance", "request_id")}  # noqa: E731
    assert strip(hidden.json()) == strip(missing.json())


async def test_an_assigned_mediator_of_another_region_sees_that_case(services) -> None:
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        filed = await file_online(client, LUOYANG)
    helper = staff(Role.mediator, GULOU, subject="mediator-joint-acceptance")
    await open_mediation_case(
        services.databases["mediation"], case_id=filed["case_id"], division=LUOYANG, assigned_to=helper.subject
    )
    r = await _get(services, f"/api/v1/mediation/cases/{filed['case_id']}", helper)
    assert r.status_code == 200 and r.json()["assigned_to"] == helper.subject
    assert filed["case_id"] in await _listed(services, "/api/v1/mediation/cases", helper)
    # The assignment is to the mediation case only; the intake file stays regional.
    assert (await _get(services, f"/api/v1/complaints/{filed['case_id']}", helper)).status_code == 404


async def test_a_nationwide_admin_sees_every_region(services, cases) -> None:
    admin = Principal(subject="admin", roles=frozenset({Role.admin}), region_scopes=("*",))
    listed = await _listed(services, "/api/v1/complaints", admin)
    assert {cases["luoyang"], cases["gulou"]} <= listed


@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_audit_verification_is_for_admins_only(services, role: Role) -> None:
    r = await _get(services, "/api/v1/audit/verify", staff(role, "*" if role is Role.admin else GULOU))
    assert r.status_code == (200 if role is Role.admin else 404)
