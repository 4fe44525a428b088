"""Services believe only the gateway: the principal header must be present and signed."""

from __future__ import annotations

import fastapi.dependencies.utils as fastapi_dependencies
import httpx
from fastapi import FastAPI

from labornet_common.platform.app import RuntimeDep, UowDep
from labornet_common.platform.errors import install_problem_handlers
from labornet_common.platform.settings import DEV_INTERNAL_SECRET, BaseServiceSettings
from labornet_common.security.api_auth import (
    ANONYMOUS,
    GATEWAY,
    PRINCIPAL_HEADER,
    CurrentPrincipal,
    GatewayCaller,
    OptionalPrincipal,
)
from labornet_common.security.auth import Principal, Role, sign_internal_principal
from labornet_common.security.pii import PiiCipherDep
from labornet_common.testing.inprocess import assertion

MEDIATOR = Principal(subject="m1", roles=frozenset({Role.mediator}), region_scopes=("4103",))


def _client() -> httpx.AsyncClient:
    app = FastAPI()
    app.state.settings = BaseServiceSettings(service_name="t", environment="test")
    install_problem_handlers(app)

    @app.get("/me")
    async def me(principal: CurrentPrincipal) -> dict:
        return {"subject": principal.subject}

    @app.get("/maybe")
    async def maybe(principal: OptionalPrincipal) -> dict:
        return {"subject": principal.subject if principal else None}

    @app.get("/internal")
    async def internal(_gateway: GatewayCaller) -> dict:
        return {"ok": True}

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc")


async def test_no_assertion_is_401_problem() -> None:
    async with _client() as client:
        for path in ("/me", "/maybe", "/internal"):
            r = await client.get(path)
            assert r.status_code == 401
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["title_en"] and r.json()["title_zh"]


async def test_a_valid_assertion_names_the_principal() -> None:
    async with _client() as client:
        r = await client.get("/me", headers=assertion(MEDIATOR))
        assert r.json() == {"subject": "m1"}


async def test_forged_expired_and_garbage_assertions_are_refused() -> None:
    forged = {PRINCIPAL_HEADER: sign_internal_principal(MEDIATOR, secret=b"x" * 40)}
    dev_secret = DEV_INTERNAL_SECRET.encode()
    expired = {PRINCIPAL_HEADER: sign_internal_principal(MEDIATOR, secret=dev_secret, now=1000.0)}
    async with _client() as client:
        for headers in (forged, expired, {PRINCIPAL_HEADER: "not-a-jwt"}):
            r = await client.get("/me", headers=headers)
            assert r.status_code == 401, headers
        r = await client.get("/me", headers=expired)
        assert r.json()["type"].endswith("auth.token_expired")


async def test_anonymous_passes_only_where_optional() -> None:
    async with _client() as client:
        assert (await client.get("/me", headers=assertion(ANONYMOUS))).status_code == 401
        r = await client.get("/maybe", headers=assertion(ANONYMOUS))
        assert r.status_code == 200 and r.json() == {"subject": None}
        assert (await client.get("/maybe", headers=assertion(MEDIATOR))).json() == {"subject": "m1"}


async def test_internal_endpoints_take_only_the_gateway_itself() -> None:
    async with _client() as client:
        assert (await client.get("/internal", headers=assertion(GATEWAY))).status_code == 200
        for who in (MEDIATOR, ANONYMOUS):
            assert (await client.get("/internal", headers=assertion(who))).status_code == 401
        # The gateway's own subject is no way into the public endpoints either.
        assert (await client.get("/me", headers=assertion(GATEWAY))).status_code == 401


async def test_the_platform_dependencies_run_on_the_event_loop(monkeypatch) -> None:
    """No thread-pool hop per request for the principal, the runtime, the unit of work or the
    PII cipher: FastAPI runs a plain ``def`` dependency in a worker thread."""
    hops: list[str] = []

    async def counting(call, *args, **kwargs):
        hops.append(getattr(call, "__name__", repr(call)))
        return call(*args, **kwargs)

    monkeypatch.setattr(fastapi_dependencies, "run_in_threadpool", counting)

    class _Runtime:
        def uow(self) -> str:
            return "uow"

    app = FastAPI()
    app.state.settings = BaseServiceSettings(service_name="t", environment="test")
    app.state.runtime, app.state.pii = _Runtime(), "cipher"

    @app.get("/all")
    async def every(
        principal: CurrentPrincipal, maybe: OptionalPrincipal, runtime: RuntimeDep, uow: UowDep, pii: PiiCipherDep
    ) -> dict:
        return {"subject": principal.subject, "uow": uow, "pii": pii}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        r = await client.get("/all", headers=assertion(MEDIATOR))
    assert r.json() == {"subject": "m1", "uow": "uow", "pii": "cipher"}
    assert hops == []
