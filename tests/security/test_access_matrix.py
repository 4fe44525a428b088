"""Every endpoint × every role × an object of another region → 404 (or absent from lists, however
filtered); the right role in the object's region → allowed; workers see their own case only;
acting on another region's object → 404, and the object stays as it was. Webhook endpoints,
managed by admins, are a region's too: another region's admin neither sees nor touches them."""

from __future__ import annotations

from typing import Any, NamedTuple

import httpx
import pytest
import pytest_asyncio
from starlette.routing import Match

from labornet_common.contracts.events import utcnow
from labornet_common.platform.clock import local_date
from labornet_common.security.auth import Principal, Role
from labornet_gateway.api.middleware import PROXY_ROUTE
from labornet_gateway.domain.routes import backend_for
from tests.security.helpers import (
    GULOU,
    LUOYANG,
    STAFF_ROLES,
    bearer,
    file_arbitration,
    file_online,
    forward_for_joint_acceptance,
    open_mediation_case,
    raise_wage_arrears_alerts,
    record_failing_delivery,
    record_order_and_incident,
    register_webhook,
    staff,
    start_mediating,
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
    # The status page: the worker's own case (their list), or a complaint staff may read.
    "tracking": Endpoint("/api/v1/tracking/{id}", (), "case_id", COMPLAINT_READERS),
    "mediation": Endpoint(
        "/api/v1/mediation/cases/{id}", (("/api/v1/mediation/cases", {}),), "case_id", MEDIATION_READERS
    ),
    "arbitration": Endpoint(
        f"{ARB}/applications/{{id}}",
        ((f"{ARB}/applications", {}), (f"{ARB}/applications", {"status": "SUBMITTED"}), (f"{ARB}/queue", {})),
        "application_id",
        ARBITRATION_READERS,
    ),
    "alerts": Endpoint(
        f"{WA}/alerts/{{id}}",
        ((f"{WA}/alerts", {}), (f"{WA}/alerts", {"region": "4103", "rule": "police_dispatch", "state": "open"})),
        "alert_id",
        DESK_READERS,
    ),
    "profiles": Endpoint(
        f"{WA}/profiles/{{id}}",
        ((f"{WA}/profiles", {}), (f"{WA}/profiles", {"region": "4103", "kind": "employer"})),
        "profile_id",
        DESK_READERS,
    ),
    "referrals": Endpoint(f"{WA}/referrals/{{id}}", (), "referral_id", DESK_READERS),
    "orders": Endpoint(
        f"{WA}/orders/{{id}}", ((f"{WA}/orders", {}), (f"{WA}/orders", {"region": "4103"})), "order_id", DESK_READERS
    ),
    "incidents": Endpoint(
        f"{WA}/incidents/{{id}}",
        ((f"{WA}/incidents", {}), (f"{WA}/incidents", {"region": "4103"})),
        "incident_id",
        DESK_READERS,
    ),
}
JOINT = "/api/v1/complaints/joint-acceptance"  # forwardings: listed, never read one by one
ACTED_ON = {name: ep.item for name, ep in ENDPOINTS.items()} | {"joint": f"{JOINT}/{{id}}"}
CLAIMS = [{"category": "labor_remuneration", "amount_fen": 200000}]
TODAY = local_date(utcnow()).isoformat()  # the desk refuses days after today before anything else
TERMS = [
    {"payer": "某公司", "payee": "测试工人", "item": "labor_remuneration", "amount_fen": 100000, "due_on": "2027-01-31"}
]
# endpoint/step -> a valid body (so only scope can refuse); "{sessions}": the 洛阳 case's session.
# Some would be refused in the object's own region by its state (the mediation case is being
# mediated: accepting it again is a 409), which another region must not learn: scope comes first.
ACTIONS: dict[str, dict[str, Any] | None] = {
    "joint/answer": {"decision": "accepted"},
    "mediation/accept": None,
    "mediation/decline": {"reason": "不属于劳动争议调解范围"},
    "mediation/assignment": {},
    "mediation/recusals": {"ground": "interest", "explanation": "与用人单位负责人系亲属"},
    "mediation/sessions": {"starts_at": "2027-01-15T09:00:00+08:00", "place": "第二调解室"},
    "mediation/sessions/{sessions}/attendance": {"attended": ["申请人", "被申请人"]},
    "mediation/notes": {"text": "已电话联系用人单位"},
    "mediation/failure": {"reason": "no_agreement", "note": "双方差距过大"},
    "mediation/transfer": None,
    "mediation/agreement": {"terms": TERMS, "signed_and_sealed": True, "effective_on": TODAY},
    "mediation/agreement/performance": {"outcome": "breached", "unpaid_fen": 50000},
    "mediation/court-requests": {"kind": "judicial_confirmation"},
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
# Reads the object in its region but may not act on it: refused for the role alone (403).
ONLOOKER = {"joint": Role.court_liaison, "mediation": Role.court_liaison, "arbitration": Role.court_liaison}

SEARCHED_ID = "11010519491231002X"  # the same worker complained in both regions


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def objects(services) -> dict[str, dict[str, str]]:
    """A case in 洛阳 and one in 鼓楼, each with its complaint, mediation case (being mediated,
    with a session), arbitration application, and the desk's alert, referral package, order to
    pay, incident and employer profile; and a complaint 鼓楼 accepted for 洛阳, forwarded to
    洛阳: endpoint -> region -> id ("sessions": the session; "joint": the forwarding, by its
    target region)."""
    found: dict[str, dict[str, str]] = {name: {} for name in (*ENDPOINTS, "sessions", "joint")}
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        found["joint"]["luoyang"] = await forward_for_joint_acceptance(
            client, services.databases["intake"], accepted_in=GULOU, workplace=LUOYANG
        )
        for region, division in (("luoyang", LUOYANG), ("gulou", GULOU)):
            case_id = (await file_online(client, division, worker_id_number=SEARCHED_ID))["case_id"]
            await open_mediation_case(services.databases["mediation"], case_id=case_id, division=division)
            found["sessions"][region] = await start_mediating(client, division, case_id=case_id)
            application = await file_arbitration(client, division, case_id=case_id)
            await raise_wage_arrears_alerts(services.databases["wage-arrears"], case_id=case_id, division=division)
            order, incident = await record_order_and_incident(client, division, case_id=case_id)
            desk = staff(Role.inspector, division)
            alerts = {a["rule"]: a for a in (await _get(services, f"{WA}/alerts", desk)).json()["items"]}
            profiles = (await _get(services, f"{WA}/profiles", desk, {"kind": "employer"})).json()["items"]
            ids = {
                "complaints": case_id,
                "tracking": case_id,
                "mediation": case_id,
                "arbitration": application["application_id"],
                "alerts": alerts["police_dispatch"]["alert_id"],
                "profiles": profiles[0]["profile_id"],
                "referrals": alerts["criminal_referral"]["referral_id"],
                "orders": order["order_id"],
                "incidents": incident["incident_id"],
            }
            for name, object_id in ids.items():
                found[name][region] = object_id
    return found


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def as_made(services, objects) -> dict[str, Any]:
    """The 洛阳 objects that the actions aim at, as read right after they were made."""
    return {name: await _read(services, objects, name) for name in {action.partition("/")[0] for action in ACTIONS}}


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


def _action(objects: dict[str, dict[str, str]], action: str) -> str:
    """The action's path on the 洛阳 object."""
    name, _, step = action.partition("/")
    luoyang = {kind: ids["luoyang"] for kind, ids in objects.items() if "luoyang" in ids}
    return f"{ACTED_ON[name].format(id=luoyang[name])}/{step.format_map(luoyang)}"


async def _read(services, objects: dict[str, dict[str, str]], name: str) -> Any:
    """The 洛阳 object as an admin of 洛阳 reads it (a forwarding: as listed, with its complaint)."""
    object_id = objects[name]["luoyang"]
    if name != "joint":
        r = await _get(services, ENDPOINTS[name].item.format(id=object_id), LUOYANG_ADMIN)
        assert r.status_code == 200, r.text
        return r.json()
    listed = await _get(services, JOINT, LUOYANG_ADMIN)
    assert listed.status_code == 200, listed.text
    (forward,) = [f for f in listed.json() if f["forward_id"] == object_id]
    complaint = await _get(services, f"/api/v1/complaints/{forward['case_id']}", LUOYANG_ADMIN)
    assert complaint.status_code == 200, complaint.text
    return forward, complaint.json()


async def _as_made(services, objects, as_made: dict[str, Any], action: str) -> bool:
    name = action.partition("/")[0]
    return await _read(services, objects, name) == as_made[name]


def _routed(services, method: str, path: str) -> bool:
    """Whether the service the gateway forwards ``path`` to (or the gateway itself, not by its
    forwarding) has a route for it: a mistyped path would answer 404 too, and prove nothing."""
    scope = {"type": "http", "path": path, "method": method, "root_path": ""}
    app = services.apps[backend_for(path) or "gateway"]
    return any(r.matches(scope)[0] is Match.FULL and getattr(r, "path", None) != PROXY_ROUTE for r in app.router.routes)


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
    path = _action(objects, action)
    assert _routed(services, "POST", path)
    r = await _post(services, path, ACTIONS[action], staff(role, GULOU))
    assert r.status_code == 404, r.text
    assert r.json()["title_en"] == "Not found, or not visible to you"
    assert await _as_made(services, objects, as_made, action)


@pytest.mark.parametrize("action", sorted(a for a in ACTIONS if a.partition("/")[0] in ONLOOKER))
async def test_in_the_objects_region_the_same_action_is_refused_for_the_role_alone(
    services, objects, as_made, action: str
) -> None:
    """The same request from the object's own region gets past validation and finds the object:
    so the other region's 404 is the region's doing, not the body's nor the object's state."""
    onlooker = staff(ONLOOKER[action.partition("/")[0]], "4103")
    r = await _post(services, _action(objects, action), ACTIONS[action], onlooker)
    assert r.status_code == 403, r.text
    assert await _as_made(services, objects, as_made, action)


@pytest.mark.parametrize("action", sorted(ACTIONS))
async def test_a_worker_cannot_act_on_another_case(services, objects, as_made, action: str) -> None:
    r = await _post(services, _action(objects, action), ACTIONS[action], worker(objects["complaints"]["gulou"]))
    assert r.status_code == 404, r.text
    assert await _as_made(services, objects, as_made, action)


@pytest.mark.parametrize("role", [Role.clerk, Role.admin], ids=lambda r: r.value)
async def test_a_forwarding_is_listed_only_in_the_two_regions_it_concerns(services, objects, role: Role) -> None:
    forward = objects["joint"]["luoyang"]  # accepted in 鼓楼 for 洛阳
    for scope, concerned in (("4103", True), (GULOU, True), ("1101", False)):
        r = await _get(services, JOINT, staff(role, scope))
        assert r.status_code == 200 and (forward in {f["forward_id"] for f in r.json()}) is concerned


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
    r = await _post(services, _action(objects, action), ACTIONS[action], None)
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
    assert await _as_made(services, objects, as_made, action)


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


# -- webhook endpoints: a region's subscriptions, managed by that region's admins -------------

WEBHOOKS = "/api/v1/webhooks"
WEBHOOK_ACTIONS = (  # POSTs on the 洛阳 endpoint, or on a delivery to it
    "endpoints/{endpoint}/rotate-secret",
    "endpoints/{endpoint}/disable",
    "endpoints/{endpoint}/enable",
    "deliveries/{delivery}/replay",
)
NATIONWIDE_ADMIN = Principal(subject="admin", roles=frozenset({Role.admin}), region_scopes=("*",))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def webhooks(services, objects) -> dict[str, dict[str, Any]]:
    """An endpoint per region (for its court, registered by its admin), each with a delivery that
    failed about the region's case and a notice: region -> {"endpoint": id, "delivery": id}."""
    found: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        for region, scope in (("luoyang", "4103"), ("gulou", GULOU)):  # the city of 洛阳; the district of 鼓楼
            endpoint = await register_webhook(client, scope)
            delivery = await record_failing_delivery(
                services.databases["gateway"], endpoint_id=endpoint, case_id=objects["complaints"][region]
            )
            found[region] = {"endpoint": endpoint, "delivery": delivery}
    return found


async def _webhook_state(services, endpoint_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The endpoint (status, failing since, number of secrets, ...) and its delivery log."""
    listed = await _get(services, f"{WEBHOOKS}/endpoints", NATIONWIDE_ADMIN)
    (endpoint,) = [e for e in listed.json() if e["id"] == endpoint_id]
    log = await _get(services, f"{WEBHOOKS}/endpoints/{endpoint_id}/deliveries", NATIONWIDE_ADMIN)
    assert log.status_code == 200 and log.json(), log.text
    return endpoint, log.json()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def webhook_as_made(services, webhooks) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    state = await _webhook_state(services, webhooks["luoyang"]["endpoint"])
    assert state[0]["failing_since"] and state[0]["secret_count"] == 1 and state[1][0]["status"] == "failed"
    return state  # so rotating, disabling, enabling or replaying would each show


async def _webhook_reads(services, webhooks, principal: Principal) -> tuple[httpx.Response, ...]:
    """The endpoint list, the 洛阳 endpoint's delivery log, and the admin notices."""
    return (
        await _get(services, f"{WEBHOOKS}/endpoints", principal),
        await _get(services, f"{WEBHOOKS}/endpoints/{webhooks['luoyang']['endpoint']}/deliveries", principal),
        await _get(services, "/api/v1/admin/notices", principal),
    )


@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_another_regions_webhooks_are_never_listed_nor_read(services, webhooks, role: Role) -> None:
    listed, log, notices = await _webhook_reads(services, webhooks, staff(role, GULOU))
    if role is not Role.admin:  # webhooks are for admins alone, whatever the region
        assert [r.status_code for r in (listed, log, notices)] == [403] * 3
        return
    ours = webhooks["gulou"]["endpoint"]  # and never 洛阳's
    assert listed.status_code == 200 and {e["id"] for e in listed.json()} == {ours}
    assert log.status_code == 404 and log.json()["title_en"] == "Not found, or not visible to you"
    assert notices.status_code == 200 and {n["subject"] for n in notices.json()} == {ours}


async def test_in_region_the_admin_manages_the_regions_webhooks(services, objects, webhooks) -> None:
    listed, log, notices = await _webhook_reads(services, webhooks, LUOYANG_ADMIN)
    theirs = webhooks["luoyang"]["endpoint"]
    assert {e["id"] for e in listed.json()} == {theirs}
    assert log.status_code == 200 and [d["case_id"] for d in log.json()] == [objects["complaints"]["luoyang"]]
    assert {n["subject"] for n in notices.json()} == {theirs}
    # A district's admin does not manage the city's subscription (it carries the other districts).
    district_admin = staff(Role.admin, LUOYANG)
    listed, log, notices = await _webhook_reads(services, webhooks, district_admin)
    assert (listed.json(), log.status_code, notices.json()) == ([], 404, [])


async def test_a_nationwide_admin_manages_every_regions_webhooks(services, webhooks) -> None:
    listed, _, notices = await _webhook_reads(services, webhooks, NATIONWIDE_ADMIN)
    ids = {w["endpoint"] for w in webhooks.values()}
    assert ids <= {e["id"] for e in listed.json()} and ids <= {n["subject"] for n in notices.json()}


@pytest.mark.parametrize("action", WEBHOOK_ACTIONS)
@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_acting_on_another_regions_webhook_is_404_and_changes_nothing(
    services, webhooks, webhook_as_made, action: str, role: Role
) -> None:
    path = f"{WEBHOOKS}/{action.format_map(webhooks['luoyang'])}"
    assert _routed(services, "POST", path)
    r = await _post(services, path, None, staff(role, GULOU))
    assert r.status_code == (404 if role is Role.admin else 403), r.text
    assert await _webhook_state(services, webhooks["luoyang"]["endpoint"]) == webhook_as_made


@pytest.mark.parametrize("action", WEBHOOK_ACTIONS)
async def test_a_worker_or_anonymous_caller_cannot_act_on_webhooks(
    services, objects, webhooks, webhook_as_made, action: str
) -> None:
    path = f"{WEBHOOKS}/{action.format_map(webhooks['luoyang'])}"
    assert (await _post(services, path, None, worker(objects["complaints"]["luoyang"]))).status_code == 403
    assert (await _post(services, path, None, None)).status_code == 401
    assert await _webhook_state(services, webhooks["luoyang"]["endpoint"]) == webhook_as_made


async def test_an_unknown_webhook_reads_exactly_like_another_regions(services, webhooks) -> None:
    gulou_admin = staff(Role.admin, GULOU)
    hidden = await _get(services, f"{WEBHOOKS}/endpoints/{webhooks['luoyang']['endpoint']}/deliveries", gulou_admin)
    missing = await _get(services, f"{WEBHOOKS}/endpoints/00000000-0000-4000-8000-000000000000/deliveries", gulou_admin)
    assert hidden.status_code == missing.status_code == 404
    strip = lambda body: {k: v for k, v in body.items() if k not in ("instance", "request_id")}  # noqa: E731
    assert strip(hidden.json()) == strip(missing.json())


@pytest.mark.parametrize("scopes", [["4103"], ["410311", "350102"], ["35"], ["*"]], ids=str)
async def test_an_admin_subscribes_to_their_own_region_only(services, webhooks, scopes: list[str]) -> None:
    before = await _get(services, f"{WEBHOOKS}/endpoints", NATIONWIDE_ADMIN)
    r = await _post(
        services,
        f"{WEBHOOKS}/endpoints",
        {
            "url": "https://1.1.1.1/labornet/elsewhere",
            "event_types": ["*"],
            "region_scopes": scopes,
        },
        staff(Role.admin, GULOU),
    )
    assert r.status_code == 403, r.text
    assert (await _get(services, f"{WEBHOOKS}/endpoints", NATIONWIDE_ADMIN)).json() == before.json()
