"""Who may call: bearer tokens at the gateway, the gateway's assertion at the services,
demo sign-in, and workers' tracking number + access code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import jwt
import pytest
from sqlalchemy import select

from labornet_common.platform.db import create_engine
from labornet_common.security.auth import Principal, Role, TokenIssuer
from labornet_common.testing.inprocess import assertion
from labornet_gateway.adapters.audit_tables import audit_log
from tests.security.helpers import GULOU, LUOYANG, bearer, file_online, issuer, staff

pytestmark = pytest.mark.asyncio(loop_scope="module")

MEDIATOR = staff(Role.mediator, "4103")


def _gateway(services) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=services.urls["gateway"])


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _hs256(header: dict, claims: dict, key: bytes) -> str:
    """The RS256/HS256 confusion attack, by hand (PyJWT itself refuses to sign it)."""
    signing_input = f"{_b64(header)}.{_b64(claims)}"
    mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def _bad_tokens(services) -> dict[str, str]:
    good = issuer().issue(MEDIATOR)
    header = jwt.get_unverified_header(good)
    claims = jwt.decode(good, options={"verify_signature": False})
    public_jwk = issuer().jwks()["keys"][0]  # what /.well-known/jwks.json publishes
    stranger = TokenIssuer(issuer="labornet-gateway", audience="labornet-api")
    return {
        "expired": issuer().issue(MEDIATOR, ttl_s=60, now=time.time() - 3600),
        "wrong audience": issuer(audience="someone-else").issue(MEDIATOR),
        "wrong issuer": issuer(issuer_name="https://evil.example").issue(MEDIATOR),
        "another key": stranger.issue(MEDIATOR),
        "another key, our kid": jwt.encode(claims, stranger.private_key_pem(), "RS256", headers={"kid": header["kid"]}),
        "alg none": f"{_b64({'alg': 'none', 'kid': header['kid']})}.{_b64(claims)}.",
        "HS256 with the public key": _hs256(
            {"alg": "HS256", "kid": header["kid"]}, claims, json.dumps(public_jwk).encode()
        ),
        "tampered claims": ".".join(
            [good.split(".")[0], _b64({**claims, "scopes": ["*"], "roles": ["admin"]}), good.split(".")[2]]
        ),
        "garbage": "not.a.token",
    }


async def test_forged_expired_or_misaddressed_tokens_are_401(services) -> None:
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        for name, token in _bad_tokens(services).items():
            r = await client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 401, name
            assert r.headers["content-type"].startswith("application/problem+json"), name
            assert r.headers["www-authenticate"].startswith("Bearer"), name
        r = await client.get("/api/v1/complaints", headers={"Authorization": "Basic YTpi"})
        assert r.status_code == 401
        ok = await client.get("/api/v1/complaints", headers=bearer(MEDIATOR))
        assert ok.status_code == 200


async def test_a_token_without_exp_is_refused(services) -> None:
    claims = {
        "iss": "labornet-gateway",
        "aud": "labornet-api",
        "sub": "x",
        "iat": int(time.time()),
        "roles": ["admin"],
        "scopes": ["*"],
    }
    key = issuer()
    token = jwt.encode(claims, key.private_key_pem(), "RS256", headers={"kid": key.kid})
    async with _gateway(services) as client:
        r = await client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


@pytest.mark.parametrize(
    "path", ["/api/v1/complaints", "/api/v1/complaints/x", "/api/v1/mediation/cases", "/api/v1/mediation/cases/x"]
)
async def test_services_refuse_requests_that_did_not_come_through_the_gateway(services, path: str) -> None:
    service = "mediation" if "mediation" in path else "intake"
    async with httpx.AsyncClient(base_url=services.urls[service]) as client:
        assert (await client.get(path)).status_code == 401
        forged = {"x-labornet-principal": jwt.encode({"sub": "admin"}, "guess" * 10, "HS256")}
        assert (await client.get(path, headers=forged)).status_code == 401
        # A bearer token the gateway would accept means nothing to a service.
        assert (await client.get(path, headers=bearer(MEDIATOR))).status_code == 401
    async with httpx.AsyncClient(base_url=services.urls["intake"]) as client:
        assert (await client.post("/api/v1/complaints", json={})).status_code == 401


async def test_the_gateway_drops_a_principal_header_sent_by_a_client(services) -> None:
    async with _gateway(services) as client:
        filed = await file_online(client, LUOYANG)
        # Even signed with the right (public, development) secret, the client's copy is dropped.
        admin = Principal(subject="admin", roles=frozenset({Role.admin}), region_scopes=("*",))
        r = await client.get(f"/api/v1/complaints/{filed['case_id']}", headers=assertion(admin))
    assert r.status_code == 401


async def test_demo_sign_in_with_a_form_or_json(services) -> None:
    async with _gateway(services) as client:
        form = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": "mediator.gulou", "password": "mediator-demo-350102"},
        )
        assert form.status_code == 200 and form.json()["token_type"] == "bearer"
        assert form.headers["cache-control"] == "no-store"
        claims = jwt.decode(form.json()["access_token"], options={"verify_signature": False})
        assert claims["roles"] == ["mediator"] and claims["scopes"] == ["350102"]
        as_json = await client.post("/api/v1/auth/token", json={"username": "admin", "password": "admin-demo"})
        assert as_json.status_code == 200
        for username, password in (("admin", "wrong"), ("nobody", "admin-demo")):
            r = await client.post("/api/v1/auth/token", json={"username": username, "password": password})
            assert r.status_code == 401 and r.json()["error"] == "invalid_grant"
            assert password not in r.text
        r = await client.post(
            "/api/v1/auth/token", data={"grant_type": "client_credentials", "username": "a", "password": "b"}
        )
        assert r.status_code == 400


async def test_the_jwks_verifies_gateway_tokens(services) -> None:
    async with _gateway(services) as client:
        jwks = (await client.get("/.well-known/jwks.json")).json()
        token = (await client.post("/api/v1/auth/token", json={"username": "admin", "password": "admin-demo"})).json()
    key = jwt.PyJWKSet.from_dict(jwks).keys[0]
    assert "d" not in jwks["keys"][0]  # public half only
    claims = jwt.decode(token["access_token"], key.key, algorithms=["RS256"], audience="labornet-api")
    assert claims["iss"] == "labornet-gateway" and claims["exp"] > time.time()


async def test_a_worker_exchanges_the_access_code_for_their_own_case(services) -> None:
    async with _gateway(services) as client:
        filed = await file_online(client, GULOU, worker_id_number="11010519491231002X", worker_phone="13812341234")
        other = await file_online(client, GULOU)
        assert len(filed["access_code"]) == 8
        wrong = await client.post(
            "/api/v1/auth/worker-token",
            json={"tracking_number": filed["tracking_number"], "access_code": other["access_code"]},
        )
        unknown = await client.post(
            "/api/v1/auth/worker-token",
            json={"tracking_number": "350102-20260101-ZZZZZZ", "access_code": filed["access_code"]},
        )
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json()["title_en"] == unknown.json()["title_en"]
        typed = filed["access_code"].lower()[:4] + "-" + filed["access_code"].lower()[4:]
        r = await client.post(
            "/api/v1/auth/worker-token",
            json={"tracking_number": filed["tracking_number"].lower(), "access_code": typed},
        )
        assert r.status_code == 200 and r.json()["case_id"] == filed["case_id"]
        token = {"Authorization": f"Bearer {r.json()['access_token']}"}
        assert r.json()["expires_in"] <= 900
        own = await client.get(f"/api/v1/complaints/{filed['case_id']}", headers=token)
        assert own.status_code == 200 and own.json()["worker_id_number"] == "11010519491231002X"
        assert (await client.get(f"/api/v1/complaints/{other['case_id']}", headers=token)).status_code == 404
        listed = (await client.get("/api/v1/complaints", headers=token)).json()["items"]
        assert [c["case_id"] for c in listed] == [filed["case_id"]]


async def test_the_access_code_is_shown_once_and_stored_only_as_a_hash(services) -> None:
    async with _gateway(services) as client:
        body = {"workplace_division": LUOYANG, "worker_name": "李", "employer_name": "某公司"}
        first = await client.post("/api/v1/complaints", json=body, headers={"Idempotency-Key": "once-1"})
        again = await client.post("/api/v1/complaints", json=body, headers={"Idempotency-Key": "once-1"})
    assert first.json()["access_code"] and again.json().get("access_code") is None
    assert again.json()["case_id"] == first.json()["case_id"]
    engine = create_engine(services.databases["intake"])
    try:
        async with engine.connect() as conn:
            from labornet_intake.adapters.orm import complaints, filings, idempotency_keys

            case = (
                (await conn.execute(select(complaints).where(complaints.c.case_id == first.json()["case_id"])))
                .one()
                ._mapping
            )
            filing = (
                (await conn.execute(select(filings).where(filings.c.case_id == first.json()["case_id"]))).one()._mapping
            )
            replies = (await conn.execute(select(idempotency_keys.c.response))).scalars().all()
    finally:
        await engine.dispose()
    code = first.json()["access_code"]
    # Only a keyed hash (64 hex digits, HMAC-SHA-256) is kept, on the filing of the filer it was given to.
    assert len(filing["access_code_bidx"]) == 64 and code not in str(dict(filing)) and code not in str(dict(case))
    assert all(code not in json.dumps(reply) for reply in replies)


async def test_idempotency_keys_belong_to_their_caller(services) -> None:
    body = {"workplace_division": LUOYANG, "worker_name": "李", "employer_name": "某公司"}
    async with _gateway(services) as client:
        anonymous = await client.post("/api/v1/complaints", json=body, headers={"Idempotency-Key": "shared-key"})
        clerk = await client.post(
            "/api/v1/complaints",
            json=body,
            headers={"Idempotency-Key": "shared-key", **bearer(staff(Role.clerk, "4103"))},
        )
    assert clerk.status_code == 201 and clerk.json()["case_id"] != anonymous.json()["case_id"]


async def test_the_audit_trail_records_who_what_which_case_and_verifies(services) -> None:
    mediator = staff(Role.mediator, "4103", subject="audited-mediator")
    async with _gateway(services) as client:
        filed = await file_online(client, LUOYANG)
        await client.get(f"/api/v1/complaints/{filed['case_id']}", headers={**bearer(mediator), "User-Agent": "ua-1"})
        verify = await client.get(
            "/api/v1/audit/verify",
            headers=bearer(Principal(subject="root", roles=frozenset({Role.admin}), region_scopes=("*",))),
        )
    assert verify.status_code == 200 and verify.json()["ok"] is True
    engine = create_engine(services.databases["gateway"])
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(audit_log).where(audit_log.c.case_id == filed["case_id"]).order_by(audit_log.c.seq)
                )
            ).all()
    finally:
        await engine.dispose()
    filing, read = rows[0]._mapping, rows[1]._mapping
    assert (filing["subject"], filing["method"], filing["route"], filing["status"]) == (
        "anonymous",
        "POST",
        "/api/v1/complaints",
        201,
    )
    assert (read["subject"], read["roles"], read["route"], read["status"], read["user_agent"]) == (
        "audited-mediator",
        "mediator",
        "/api/v1/complaints/{id}",
        200,
        "ua-1",
    )
    assert read["client_ip"] == "127.0.0.1" and len(read["request_id"]) >= 16
