"""Production shape: staff tokens from the organisation's identity provider (JWKS by URL),
no demo accounts; the gateway still signs worker tokens itself, and nothing else."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from labornet_common.platform.broker import free_port
from labornet_common.security.auth import Principal, Role, TokenIssuer
from labornet_common.testing.inprocess import running_services
from tests.security.helpers import LUOYANG, SIGNING_KEY, bearer, complaint

IDP = TokenIssuer(issuer="https://idp.example.cn", audience="labornet-api")
MEDIATOR = Principal(subject="u-1001", roles=frozenset({Role.mediator}), region_scopes=("4103",))


@pytest.fixture
async def gateway(db_backend: str, broker: str, tmp_path) -> str:
    port = free_port()
    idp = Starlette(routes=[Route("/jwks", lambda _r: JSONResponse(IDP.jwks()))])
    server = uvicorn.Server(uvicorn.Config(idp, host="127.0.0.1", port=port, log_config=None))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        async with running_services(
            ["intake", "gateway"],
            backend=db_backend,
            broker=broker,
            workdir=tmp_path,
            idp_private_key_pem=SIGNING_KEY.decode(),
            demo_accounts=False,
            jwks_url=f"http://127.0.0.1:{port}/jwks",
            jwt_issuer="https://idp.example.cn",
        ) as running:
            yield running.urls["gateway"]
    finally:
        server.should_exit = True
        await task


async def test_staff_come_from_the_identity_provider_and_workers_from_access_codes(gateway: str) -> None:
    async with httpx.AsyncClient(base_url=gateway) as client:
        staff_token = {"Authorization": f"Bearer {IDP.issue(MEDIATOR)}"}
        assert (await client.get("/api/v1/complaints", headers=staff_token)).status_code == 200
        # No demo sign-in, and a staff token signed with the gateway's own key is refused.
        assert (
            await client.post("/api/v1/auth/token", json={"username": "admin", "password": "admin-demo"})
        ).status_code == 404
        assert (await client.get("/api/v1/complaints", headers=bearer(MEDIATOR))).status_code == 401
        filed = (await client.post("/api/v1/complaints", json=complaint(LUOYANG))).json()
        worker = await client.post(
            "/api/v1/auth/worker-token",
            json={"tracking_number": filed["tracking_number"], "access_code": filed["access_code"]},
        )
        assert worker.status_code == 200
        as_worker = {"Authorization": f"Bearer {worker.json()['access_token']}"}
        assert (await client.get(f"/api/v1/complaints/{filed['case_id']}", headers=as_worker)).status_code == 200
        seen = (await client.get(f"/api/v1/complaints/{filed['case_id']}", headers=staff_token)).json()
        assert seen["case_id"] == filed["case_id"]


async def test_a_token_claiming_a_reserved_subject_is_refused(gateway: str) -> None:
    sneaky = Principal(subject="service:gateway", roles=frozenset({Role.admin}), region_scopes=("*",))
    async with httpx.AsyncClient(base_url=gateway) as client:
        r = await client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {IDP.issue(sneaky)}"})
    assert r.status_code == 401
