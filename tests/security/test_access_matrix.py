"""Every endpoint × every role × an object of another region → 404 (or absent from lists, however
filtered); the right role in the object's region → allowed; workers see their own case only;
acting on another region's object → 404, and the object stays as it was."""

from __future__ import annotations

from typing import Any, NamedTuple

import httpx
import pytest
import pytest_asyncio
from starlette.routing import Match

from labornet_common.auth import Principal, Role
from labornet_common.events import utcnow
from labornet_gateway.domain.routes import backend_for
from labornet_wage_arrears.domain.records import local_day
from tests.security.helpers import (
    GULOU,
    LUOYANG,
    STAFF_ROLES,
    bearer,
    file_arbitration,
    file_online,
    open_mediation_case,
    raise_wage_arrears_alerts,
    record_order_and_incident,
    staff,
    worker,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

# Who reads in the object's region (each service's domain/policy.py); Role.worker: their own case.
COMPLAINT_READERS = {Role.worker, Role.clerk, Role.mediator, Role.arbitrator, Role.inspector, Role.admin}
MEDIATION_READERS = {Role.worker, Role.mediator, Role.clerk, Role.arbitrator, Role.court_liaison, Role.admin}
ARBITRATION_READERS = {Role.worker, Role.clerk, Role.arbitrator, Role.court_liaison, Role.admin}
DESK_READERS = {Role.inspector, Role.admin}  # the wage-arrears desk: nothing of it is the worker's


class Endpoint(NamedTuple):
    item: str
    lists: tuple[tuple[str, dict[str, str]], ...]  # each list with filters that select the 洛阳 object
    id_key: str
    readers: set[Role]


ARB, WA = "/api/v1/arbitration", "/api/v1/wage-arrears"
ENDPOINTS = {
    "complaints": Endpoint("/api/v1/complaints/{id}", (("/api/v1/complaints", {}),), "case_id", COMPLAINT_READERS),
    "mediation": Endpoint(
        "/api/v1/mediation/cases/{id}", (("/api/v1/mediation/cases", {}),), "case_id", MEDIATION_READERS
    ),
    "arbitration": Endpoint(
        f"{ARB}/applications/{{id}}",
        ((f"{ARB}/applications", {}), (f"{ARB}/applications", {"status": "SUBMITTED"}), (f"{ARB}/queue", {})),
        "application_id", ARBITRATION_READERS,
    ),
    "alerts": Endpoint(
        f"{WA}/alerts/{{id}}",
        ((f"{WA}/alerts", {}), (f"{WA}/alerts", {"region": "4103", "rule": "police_dispatch", "state": "open"})),
        "alert_id", DESK_READERS,
    ),
    "profiles": Endpoint(
        f"{WA}/profiles/{{id}}", ((f"{WA}/profiles", {}), (f"{WA}/profiles", {"region": "4103", "kind": "employer"})),
        "profile_id", DESK_READERS,
    ),
    "referrals": Endpoint(f"{WA}/referrals/{{id}}", (), "referral_id", DESK_READERS),
    "orders": Endpoint(
        f"{WA}/orders/{{id}}", ((f"{WA}/orders", {}), (f"{WA}/orders", {"region": "4103"})), "order_id", DESK_READERS
    ),
    "incidents": Endpoint(
        f"{WA}/incidents/{{id}}", ((f"{WA}/incidents", {}), (f"{WA}/incidents", {"region": "4103"})),
        "incident_id", DESK_READERS,
    ),
}
CLAIMS = [{"category": "labor_remuneration", "amount_fen": 200000}]
TODAY = local_day(utcnow()).isoformat()  # the desk refuses days after today before anything else
ACTIONS: dict[str, dict[str, Any] | None] = {  # endpoint/step -> a valid body (so only scope can refuse)
    "arbitration/correction": {"items": ["劳动合同复印件"]},
    "arbitration/correction/complete": {},
    "arbitration/accept": {},
    "arbitration/not-accept": {"reasons": ["不属于劳动人事争议"]},
    "arbitration/refer": {"to_commission_id": "arb-350102", "reason": "用人单位所在地仲裁委管辖"},
    "arbitration/service": {},
    "arbitration/tribunal": {"mode": "sole", "members": [{"arbitrator_id": "arbr-4103-01", "role": "sole"}]},
    "arbitration/recusals": {"arbitrator_id": "arbr-4103-01", "ground": "interest"},
    "arbitration/recusals/rcs-1/decision": {"granted": False},
    "arbitration/hearings": {"hearing_on": "2027-01-15", "venue": "第一仲裁庭"},
    "arbitration/suspend": {"reason": "等待鉴定结论"},
    "arbitration/resume": {},
    "arbitration/extension": {"days": 15, "reason": "案情复杂", "chair_approved": True},
    "arbitration/claims": {"claims": CLAIMS},
    "arbitration/award": {"items": CLAIMS},
    "arbitration/award/service": {},
    "alerts/acknowledge": None,
    "alerts/dispatch": {"to": "inspection_brigade", "note": "请核查"},
    "alerts/resolve": {"reason": "已足额支付"},
    "alerts/close": {"reason": "重复预警"},
    "orders/service": {"served_on": TODAY, "method": "direct"},
    "orders/payment": {"paid_on": TODAY, "paid_total_fen": 100},
}
LUOYANG_ADMIN = staff(Role.admin, "4103")  # reads every service's object in 洛阳

SEARCHED_ID = "11010519491231002X"  # the same worker complained in both regions


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def objects(services) -> dict[str, dict[str, str]]:
    """A case in 洛阳 and one in 鼓楼, each with its complaint, mediation case, arbitration
    application, and the desk's alert, referral package, order to pay, incident and employer
    profile: endpoint -> region -> id."""
    found: dict[str, dict[str, str]] = {name: {} for name in ENDPOINTS}
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        for region, division in (("luoyang", LUOYANG), ("gulou", GULOU)):
            case_id = (await file_online(client, division, worker_id_number=SEARCHED_ID))["case_id"]
            await open_mediation_case(services.databases["mediation"], case_id=case_id, division=division)
            application = await file_arbitration(client, division, case_id=case_id)
            await raise_wage_arrears_alerts(services.databases["wage-arrears"], case_id=case_id, division=division)
            order, incident = await record_order_and_incident(client, division, case_id=case_id)
            desk = staff(Role.inspector, division)
            alerts = {a["rule"]: a for a in (await _get(services, f"{WA}/alerts", desk)).json()["items"]}
            profiles = (await _get(services, f"{WA}/profiles", desk, {"kind": "employer"})).json()["items"]
            ids = {
                "complaints": case_id, "mediation": case_id, "arbitration": application["application_id"],
                "alerts": alerts["police_dispatch"]["alert_id"], "profiles": profiles[0]["profile_id"],
                "referrals": alerts["criminal_referral"]["referral_id"], "orders": order["order_id"],
                "incidents": incident["incident_id"],
            }
            for name, object_id in ids.items():
                found[name][region] = object_id
    return found


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def as_made(services, objects) -> dict[str, dict[str, Any]]:
    """The 洛阳 objects that the actions aim at, as read right after they were made."""
    made = {}
    for name in {action.partition("/")[0] for action in ACTIONS}:
        r = await _get(services, ENDPOINTS[name].item.format(id=objects[name]["luoyang"]), LUOYANG_ADMIN)
        assert r.status_code == 200, r.text
        made[name] = r.json()
    return made


@pytest.fixture
def cases(objects) -> dict[str, str]:
    return objects["complaints"]


async def _get(
    services, path: str, principal: Principal | None, params: dict[str, str] | None = None
) -> httpx.Response:
    headers = bearer(principal) if principal else {}
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        return await client.get(path, headers=headers, params={"limit": 100, **(params or {})})


async def _post(services, path: str, body: dict[str, Any] | None, principal: Principal | None) -> httpx.Response:
    headers = bearer(principal) if principal else {}
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        return await client.post(path, json=body, headers=headers)


async def _listings(services, endpoint: Endpoint, principal: Principal) -> list[set[str]]:
    """The ids in each of the endpoint's lists (a page, or a plain list like the work queue)."""
    found = []
    for path, filters in endpoint.lists:
        r = await _get(services, path, principal, filters)
        assert r.status_code == 200, r.text
        items = r.json()["items"] if isinstance(r.json(), dict) else r.json()
        found.append({item[endpoint.id_key] for item in items})
    return found


async def _searched(services, principal: Principal) -> set[str]:
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        r = await client.post(
            "/api/v1/complaints/search", json={"worker_id_number": SEARCHED_ID}, headers=bearer(principal)
        )
    assert r.status_code == 200, r.text
    return {item["case_id"] for item in r.json()["items"]}


def _action(objects: dict[str, dict[str, str]], action: str) -> tuple[str, str]:
    """The 洛阳 object's item path and the action's path on it."""
    name, _, step = action.partition("/")
    item = ENDPOINTS[name].item.format(id=objects[name]["luoyang"])
    return item, f"{item}/{step}"


async def _as_made(services, as_made: dict[str, dict[str, Any]], action: str, item: str) -> bool:
    return (await _get(services, item, LUOYANG_ADMIN)).json() == as_made[action.partition("/")[0]]


def _routed(services, method: str, path: str) -> bool:
    """Whether the service the gateway forwards ``path`` to has a route for it (a mistyped path
    would answer 404 too, and prove nothing)."""
    scope = {"type": "http", "path": path, "method": method, "root_path": ""}
    return any(r.matches(scope)[0] is Match.FULL for r in services.apps[backend_for(path)].router.routes)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_another_regions_object_is_404_and_never_listed(services, objects, endpoint: str, role: Role) -> None:
    ep, theirs = ENDPOINTS[endpoint], objects[endpoint]["luoyang"]
    gulou_staff = staff(role, GULOU)
    r = await _get(services, ep.item.format(id=theirs), gulou_staff)
    assert r.status_code == 404, r.text
    assert r.json()["title_en"] == "Not found, or not visible to you"
    assert not any(theirs in listed for listed in await _listings(services, ep, gulou_staff))


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_in_region_only_the_roles_of_the_service_may_read(services, objects, endpoint: str, role: Role) -> None:
    ep, ours = ENDPOINTS[endpoint], objects[endpoint]["luoyang"]
    luoyang_staff = staff(role, "4103")
    r = await _get(services, ep.item.format(id=ours), luoyang_staff)
    listed = [ours in ids for ids in await _listings(services, ep, luoyang_staff)]
    if role in ep.readers:
        assert r.status_code == 200 and r.json()[ep.id_key] == ours
        assert all(listed)
    else:
        assert r.status_code == 404 and not any(listed)


@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_searching_by_id_number_finds_only_what_the_caller_may_read(services, cases, role: Role) -> None:
    found = await _searched(services, staff(role, GULOU))
    assert cases["luoyang"] not in found
    assert (cases["gulou"] in found) is (role in COMPLAINT_READERS)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
async def test_a_worker_sees_only_their_own_case(services, objects, endpoint: str) -> None:
    ep, ids = ENDPOINTS[endpoint], objects[endpoint]
    own = worker(objects["complaints"]["gulou"])  # the worker of the 鼓楼 case
    reads = Role.worker in ep.readers
    assert (await _get(services, ep.item.format(id=ids["gulou"]), own)).status_code == (200 if reads else 404)
    assert (await _get(services, ep.item.format(id=ids["luoyang"]), own)).status_code == 404
    assert await _listings(services, ep, own) == [{ids["gulou"]} if reads else set()] * len(ep.lists)


async def test_a_worker_searching_finds_only_their_own_case(services, cases) -> None:
    assert await _searched(services, worker(cases["gulou"])) == {cases["gulou"]}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_acting_on_another_regions_object_is_404_and_changes_nothing(
    services, objects, as_made, action: str, role: Role
) -> None:
    item, path = _action(objects, action)
    assert _routed(services, "POST", path)
    r = await _post(services, path, ACTIONS[action], staff(role, GULOU))
    assert r.status_code == 404, r.text
    assert r.json()["title_en"] == "Not found, or not visible to you"
    assert await _as_made(services, as_made, action, item)


@pytest.mark.parametrize("action", sorted(ACTIONS))
async def test_a_worker_cannot_act_on_another_case(services, objects, as_made, action: str) -> None:
    item, path = _action(objects, action)
    r = await _post(services, path, ACTIONS[action], worker(objects["complaints"]["gulou"]))
    assert r.status_code == 404, r.text
    assert await _as_made(services, as_made, action, item)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
async def test_anonymous_callers_must_sign_in_to_read(services, objects, endpoint: str) -> None:
    ep = ENDPOINTS[endpoint]
    for path, filters in ((ep.item.format(id=objects[endpoint]["luoyang"]), {}), *ep.lists):
        r = await _get(services, path, None, filters)
        assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")


async def test_anonymous_callers_must_sign_in_to_search(services) -> None:
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        r = await client.post("/api/v1/complaints/search", json={"worker_id_number": SEARCHED_ID})
    assert r.status_code == 401


@pytest.mark.parametrize("action", sorted(ACTIONS))
async def test_anonymous_callers_must_sign_in_to_act(services, objects, as_made, action: str) -> None:
    item, path = _action(objects, action)
    r = await _post(services, path, ACTIONS[action], None)
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
    assert await _as_made(services, as_made, action, item)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
async def test_an_unknown_id_reads_exactly_like_another_regions_object(services, objects, endpoint: str) -> None:
    ep, gulou_admin = ENDPOINTS[endpoint], staff(Role.admin, GULOU)
    hidden = await _get(services, ep.item.format(id=objects[endpoint]["luoyang"]), gulou_admin)
    missing = await _get(services, ep.item.format(id="00000000-0000-4000-8000-000000000000"), gulou_admin)
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
    assert filed["case_id"] in (await _listings(services, ENDPOINTS["mediation"], helper))[0]
    # The assignment is to the mediation case only; the intake file stays regional.
    assert (await _get(services, f"/api/v1/complaints/{filed['case_id']}", helper)).status_code == 404


@pytest.mark.parametrize("endpoint", sorted(name for name, ep in ENDPOINTS.items() if ep.lists))
async def test_a_nationwide_admin_sees_every_region(services, objects, endpoint: str) -> None:
    admin = Principal(subject="admin", roles=frozenset({Role.admin}), region_scopes=("*",))
    everywhere = (await _listings(services, ENDPOINTS[endpoint], admin))[0]  # the unfiltered list
    assert set(objects[endpoint].values()) <= everywhere


@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_audit_verification_is_for_admins_only(services, role: Role) -> None:
    r = await _get(services, "/api/v1/audit/verify", staff(role, "*" if role is Role.admin else GULOU))
    assert r.status_code == (200 if role is Role.admin else 404)
