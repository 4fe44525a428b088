"""Anonymous filing and sign-in attempts are rate-limited per client address."""

from __future__ import annotations

import httpx
import pytest

from labornet_common.security.auth import Role
from labornet_common.testing.inprocess import running_services
from tests.security.helpers import LUOYANG, SIGNING_KEY, bearer, complaint, staff


@pytest.fixture
async def gateway(db_backend: str, broker: str, tmp_path) -> str:
    async with running_services(
        ["intake", "gateway"],
        backend=db_backend,
        broker=broker,
        workdir=tmp_path,
        idp_private_key_pem=SIGNING_KEY.decode(),
        anonymous_filing_burst=2,
        anonymous_filing_per_minute=1,
        sign_in_burst=3,
        sign_in_per_minute=1,
    ) as running:
        yield running.urls["gateway"]


async def test_anonymous_filing_is_limited_but_signed_in_clerks_are_not(gateway: str) -> None:
    async with httpx.AsyncClient(base_url=gateway) as client:
        statuses = [(await client.post("/api/v1/complaints", json=complaint(LUOYANG))).status_code for _ in range(3)]
        assert statuses == [201, 201, 429]
        limited = await client.post("/api/v1/complaints", json=complaint(LUOYANG))
        assert limited.headers["retry-after"].isdigit() and int(limited.headers["retry-after"]) >= 1
        assert limited.headers["content-type"].startswith("application/problem+json")
        assert limited.json()["title_zh"] == "请求过于频繁，请稍后再试"
        clerk = bearer(staff(Role.clerk, "4103"))
        r = await client.post("/api/v1/complaints", json=complaint(LUOYANG), headers=clerk)
        assert r.status_code == 201
        # Reading is not filing: the limit covers only anonymous POSTs of complaints.
        assert (await client.get("/api/v1/complaints", headers=clerk)).status_code == 200


async def test_access_code_guessing_is_limited(gateway: str) -> None:
    async with httpx.AsyncClient(base_url=gateway) as client:
        filed = (await client.post("/api/v1/complaints", json=complaint(LUOYANG))).json()
        guesses = [
            (
                await client.post(
                    "/api/v1/auth/worker-token",
                    json={"tracking_number": filed["tracking_number"], "access_code": f"WRONG{n:03d}"},
                )
            ).status_code
            for n in range(3)
        ]
        assert guesses == [401, 401, 401]
        # Now even the right code waits: the bucket is per client, not per guess.
        right = await client.post(
            "/api/v1/auth/worker-token",
            json={"tracking_number": filed["tracking_number"], "access_code": filed["access_code"]},
        )
        assert right.status_code == 429
        password = await client.post("/api/v1/auth/token", json={"username": "admin", "password": "admin-demo"})
        assert password.status_code == 429


async def test_a_forged_x_forwarded_for_from_loopback_does_not_reset_the_limit(gateway: str) -> None:
    """With no trusted proxy hops (the default), the client address is the socket's, whatever
    X-Forwarded-For says: the server itself must not believe the header either."""
    async with httpx.AsyncClient(base_url=gateway) as client:
        statuses = [
            (
                await client.post(
                    "/api/v1/auth/token",
                    data={"username": "admin", "password": f"wrong-{n}"},
                    headers={"X-Forwarded-For": f"203.0.113.{n}"},
                )
            ).status_code
            for n in range(6)
        ]
    assert statuses[:3] == [401, 401, 401] and set(statuses[3:]) == {429}, statuses
