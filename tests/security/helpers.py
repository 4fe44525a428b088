"""Shared arrangements for the security tests: principals per role and region, cases."""

from __future__ import annotations

import httpx

from labornet_common.auth import Principal, Role, TokenIssuer
from labornet_common.calendar import LegalCalendar
from labornet_common.db import create_engine, session_factory
from labornet_common.events import utcnow
from labornet_common.uow import UnitOfWork
from labornet_mediation.adapters import repository as mediation_repository
from labornet_mediation.adapters.orm import messaging as mediation_messaging
from labornet_mediation.domain.model import MediationCase

LUOYANG, GULOU = "410311", "350102"
STAFF_ROLES = [r for r in Role if r is not Role.worker]
SIGNING_KEY = TokenIssuer(issuer="-", audience="-").private_key_pem()  # the gateway's, in these tests


def issuer(*, audience: str = "labornet-api", issuer_name: str = "labornet-gateway") -> TokenIssuer:
    """Signs like the gateway's embedded identity provider (same key), for any principal."""
    return TokenIssuer(issuer=issuer_name, audience=audience, private_key_pem=SIGNING_KEY)


def bearer(principal: Principal, **kwargs: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {issuer().issue(principal, **kwargs)}"}  # type: ignore[arg-type]


def staff(role: Role, scope: str, subject: str | None = None) -> Principal:
    return Principal(
        subject=subject or f"{role.value}@{scope}", roles=frozenset({role}), region_scopes=(scope,)
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
            case = MediationCase.open(
                case_id=case_id, division_code=division, worker_name="测试工人", employer_name="某公司",
                facts="", claims=[], opened_at=utcnow(), calendar=LegalCalendar(),
            )
            case.assigned_to = assigned_to
            uow.track(case)
            await mediation_repository.add(session=uow.session, case=case)
            await uow.commit()
    finally:
        await engine.dispose()
