"""Shared arrangements for the security tests: principals per role and region, cases, joint
acceptance forwardings, mediation sessions, arbitration applications, the wage-arrears desk's
alerts, orders to pay and incidents, and webhook endpoints with a delivery."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from functools import cache

import httpx
from sqlalchemy import insert, update

from labornet_common.contracts.events import utcnow
from labornet_common.platform.clock import local_date
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference import organisation_directory
from labornet_common.reference.calendar import LegalCalendar
from labornet_common.security.auth import Principal, Role, TokenIssuer
from labornet_common.testing import wage_arrears_support as wa
from labornet_gateway.webhooks.tables import deliveries, endpoints, notices
from labornet_intake.adapters import records as intake_records
from labornet_mediation.adapters import repository as mediation_repository
from labornet_mediation.adapters.orm import messaging as mediation_messaging
from labornet_mediation.domain.model import MediationCase
from labornet_wage_arrears.adapters.orm import messaging as wage_arrears_messaging
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.service.handlers import apply_case_event

LUOYANG, GULOU = "410311", "350102"
COMMISSIONS = {LUOYANG: "arb-4103", GULOU: "arb-350102"}  # each serves that workplace (LDA Art. 21)
STAFF_ROLES = [r for r in Role if r is not Role.worker]
SIGNING_KEY = TokenIssuer(issuer="-", audience="-").private_key_pem()  # the gateway's, in these tests


@cache  # loading the key is the slow part; every token is still issued afresh
def issuer(*, audience: str = "labornet-api", issuer_name: str = "labornet-gateway") -> TokenIssuer:
    """Signs like the gateway's embedded identity provider (same key), for any principal."""
    return TokenIssuer(issuer=issuer_name, audience=audience, private_key_pem=SIGNING_KEY)


def bearer(principal: Principal, **kwargs: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {issuer().issue(principal, **kwargs)}"}  # type: ignore[arg-type]


def _organisation(role: Role, scope: str) -> str | None:
    """The directory's body for the role and scope (staff act for their own organisation): a
    mediator's centre, else the commission."""
    directory = organisation_directory()
    if role is Role.mediator:
        centre = directory.centre_serving(scope)
        return centre.id if centre else None
    if directory.commission(f"arb-{scope}"):
        return f"arb-{scope}"
    serving = directory.commissions_serving(scope) if scope != "*" else []
    return serving[0].id if serving else None


def staff(role: Role, scope: str, subject: str | None = None) -> Principal:
    return Principal(
        subject=subject or f"{role.value}@{scope}",
        roles=frozenset({role}),
        region_scopes=(scope,),
        org_id=_organisation(role, scope),
    )


def worker(case_id: str) -> Principal:
    return Principal(subject=f"worker:{case_id}", roles=frozenset({Role.worker}), case_ids=frozenset({case_id}))


def complaint(division: str, **extra: object) -> dict:
    return {
        "workplace_division": division,
        "worker_name": "测试工人",
        "employer_name": "某测试建筑公司",
        "facts": "拖欠工资",
        "claims": [{"category": "labor_remuneration", "amount_fen": 100000}],
        **extra,
    }


async def file_online(client: httpx.AsyncClient, division: str, **extra: object) -> dict:
    r = await client.post("/api/v1/complaints", json=complaint(division, **extra))
    assert r.status_code == 201, r.text
    return r.json()


async def open_mediation_case(
    database_url: str, *, case_id: str, division: str, assigned_to: str | None = None
) -> None:
    """What mediation's consumer would do on the routed event (consumers are off here)."""
    engine = create_engine(database_url)
    try:
        uow = UnitOfWork(session_factory(engine), mediation_messaging, source="/labornet/mediation")
        async with uow:
            centre = organisation_directory().centre_serving(division)  # as routing names it
            case = MediationCase.open(
                case_id=case_id,
                division_code=division,
                worker_name="测试工人",
                employer_name="某公司",
                facts="",
                claims=[],
                opened_at=utcnow(),
                calendar=LegalCalendar(),
                centre_id=centre.id if centre else None,
            )
            case.assigned_to = assigned_to
            uow.track(case)
            await mediation_repository.add(session=uow.session, case=case)
            await uow.commit()
    finally:
        await engine.dispose()


async def start_mediating(client: httpx.AsyncClient, division: str, *, case_id: str) -> str:
    """A mediator of the region accepts the case and schedules a session (the case is then
    MEDIATING); returns the session's id."""
    headers = bearer(staff(Role.mediator, division))
    accepted = await client.post(f"/api/v1/mediation/cases/{case_id}/accept", headers=headers)
    assert accepted.status_code == 200, accepted.text
    starts_at = (utcnow() + timedelta(days=2)).isoformat()
    session = await client.post(
        f"/api/v1/mediation/cases/{case_id}/sessions",
        headers=headers,
        json={
            "starts_at": starts_at,
            "place": "第一调解室",
            "attendees": ["申请人", "被申请人"],
        },
    )
    assert session.status_code == 201, session.text
    return session.json()["id"]


async def forward_for_joint_acceptance(
    client: httpx.AsyncClient, database_url: str, *, accepted_in: str, workplace: str
) -> str:
    """A clerk of ``accepted_in`` registers a complaint about a workplace in ``workplace`` and
    asks that region to take it; the forwarding lands in its queue as intake's consumer would
    put it there (consumers are off here). Returns the forward id."""
    body = complaint(workplace, channel="window", joint_acceptance=True, employer_name="某联动受理测试公司")
    r = await client.post("/api/v1/complaints", json=body, headers=bearer(staff(Role.clerk, accepted_in)))
    assert r.status_code == 201, r.text
    filed, asked = r.json(), r.json()["joint_acceptance"]
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            await intake_records.add_forward(
                session=session,
                forward_id=asked["forward_id"],
                case_id=filed["case_id"],
                accepting_region=asked["accepting_region"],
                target_region=asked["to_region"],
                requested_on=local_date(utcnow()),
                answer_due_on=date.fromisoformat(asked["answer_due_on"]),
            )
    finally:
        await engine.dispose()
    return asked["forward_id"]


async def file_arbitration(client: httpx.AsyncClient, division: str, *, case_id: str) -> dict:
    """An application recorded at the commission by a clerk of the workplace's region."""
    body = {
        "commission_id": COMMISSIONS[division],
        "case_id": case_id,
        "workplace_division": division,
        "worker_name": "测试工人",
        "employer_name": "某测试建筑公司",
        "claims": [{"category": "labor_remuneration", "amount_fen": 100000}],
    }
    r = await client.post("/api/v1/arbitration/applications", json=body, headers=bearer(staff(Role.clerk, division)))
    assert r.status_code == 201, r.text
    return r.json()


def desk_employer(division: str) -> str:
    return f"{division}某劳务公司"


async def raise_wage_arrears_alerts(database_url: str, *, case_id: str, division: str) -> None:
    """What the desk's consumer would do on a 110-linked complaint of one worker owed three
    months' wages above the crime floor: a police_dispatch alert and a criminal_referral alert
    (with its referral package), and the employer's profile (consumers are off here)."""
    event = wa.complaint(
        case_id,
        region=division,
        employer=desk_employer(division),
        police=True,
        claims=[wa.wages(800_000, date(2026, 7, 1), date(2026, 9, 30))],
    )
    engine = create_engine(database_url)
    try:
        uow = UnitOfWork(session_factory(engine), wage_arrears_messaging, source="/labornet/wage-arrears")
        async with uow:
            await apply_case_event(uow=uow, case_id=case_id, event=event, now=utcnow(), book=RuleBook())
            await uow.commit()
    finally:
        await engine.dispose()


async def record_order_and_incident(client: httpx.AsyncClient, division: str, *, case_id: str) -> tuple[dict, dict]:
    """An order to pay (issued ten days ago, not yet served) and a mass incident over the case,
    recorded through the gateway by an inspector of the region."""
    today, headers = local_date(utcnow()), bearer(staff(Role.inspector, division))
    about = {"region_code": division, "employer_name": desk_employer(division), "case_ids": [case_id]}
    order = await client.post(
        "/api/v1/wage-arrears/orders",
        headers=headers,
        json={
            **about,
            "document_number": f"{division}-限期-001",
            "kind": "rectification_instruction",
            "issued_on": (today - timedelta(days=10)).isoformat(),
            "due_on": (today + timedelta(days=30)).isoformat(),
            "amount_fen": 800_000,
            "worker_count": 1,
        },
    )
    assert order.status_code == 201, order.text
    incident = await client.post(
        "/api/v1/wage-arrears/incidents",
        headers=headers,
        json={
            **about,
            "kind": "mass",
            "occurred_on": (today - timedelta(days=1)).isoformat(),
            "serious_impact": False,
            "workers_involved": 12,
        },
    )
    assert incident.status_code == 201, incident.text
    return order.json(), incident.json()


async def register_webhook(client: httpx.AsyncClient, scope: str) -> str:
    """An endpoint for the region's court (裁审衔接), registered by an admin of the region."""
    r = await client.post(
        "/api/v1/webhooks/endpoints",
        headers=bearer(staff(Role.admin, scope)),
        json={
            "url": f"https://1.1.1.1/labornet/{scope}",
            "description": f"{scope} 法院",
            "event_types": ["cn.labornet.arbitration.*"],
            "region_scopes": [scope],
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def record_failing_delivery(database_url: str, *, endpoint_id: str, case_id: str) -> int:
    """A delivery to the endpoint that failed for good, the endpoint failing since, and an admin
    notice that it was once disabled (and since enabled again), as the fan-out and the dispatcher
    leave them (both are off here); returns the delivery's id."""
    now = utcnow()
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            delivered = await conn.execute(
                insert(deliveries)
                .values(
                    endpoint_id=endpoint_id,
                    event_id=str(uuid.uuid4()),
                    event_type="cn.labornet.arbitration.test.v1",
                    case_id=case_id,
                    body={"subject": case_id},
                    status="failed",
                    attempts=8,
                    next_attempt_at=now,
                    last_status_code=503,
                    created_at=now - timedelta(days=2),
                    completed_at=now,
                )
                .returning(deliveries.c.id)
            )
            await conn.execute(
                update(endpoints)
                .where(endpoints.c.id == endpoint_id)
                .values(
                    failing_since=now - timedelta(days=2),
                )
            )
            await conn.execute(
                insert(notices).values(
                    kind="webhook_endpoint_disabled",
                    subject=endpoint_id,
                    message_zh="推送地址已停用：receiver answered 410 Gone",
                    message_en="Webhook endpoint disabled: receiver answered 410 Gone",
                    created_at=now - timedelta(days=9),
                )
            )
            return int(delivered.scalar_one())
    finally:
        await engine.dispose()
