"""Each list export passing the gateway is noted: who, which list, which filters, how many rows.

The upstream below answers an export as every service's list does (labornet_common.platform.exports):
the file with X-Export-List/Rows/Format. The gateway notes it before relaying the file; an
administrator reads the trail of exports, nobody else does.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from labornet_common.platform.broker import free_port
from labornet_common.testing.databases import POSTGRES_ENV, postgres_base_url
from labornet_common.testing.inprocess import running_services, serving

CSV = "\ufeff受理编号,劳动者\r\nLN-1,张三\r\nLN-2,张四\r\n".encode()


def _upstream() -> Starlette:
    async def export(request: Request) -> Response:
        return Response(
            CSV,
            media_type="text/csv; charset=utf-8",
            headers={
                "X-Export-List": "mediation.queue",
                "X-Export-Rows": "2",
                "X-Export-Format": "csv",
                "X-Seen-Status": ",".join(request.query_params.getlist("status")),
            },
        )

    return Starlette(routes=[Route("/api/v1/mediation/queue/export", export)])


@pytest.fixture(params=["sqlite", "postgresql"])
async def gateway(request: pytest.FixtureRequest, tmp_path: Path, broker: str):
    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    async with serving(_upstream(), free_port()) as upstream_url:
        async with running_services(
            ["gateway"], backend=request.param, broker=broker, workdir=tmp_path, mediation_url=upstream_url
        ) as services:
            yield services.urls["gateway"]


async def _token(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    r = await client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"authorization": f"Bearer {r.json()['access_token']}"}


async def test_an_export_is_noted_with_its_list_filters_and_rows(gateway: str) -> None:
    async with httpx.AsyncClient(base_url=gateway) as client:
        mediator = await _token(client, "mediator.luoyang", "mediator-demo-4103")
        admin = await _token(client, "admin", "admin-demo")
        params = [("q", "张"), ("status", "RECEIVED"), ("status", "ACCEPTED"), ("format", "csv"), ("limit", "100")]
        r = await client.get("/api/v1/mediation/queue/export", params=params, headers=mediator)
        assert r.status_code == 200 and r.content == CSV, r.headers

        trail = await client.get("/api/v1/audit/exports", headers=admin)
        assert trail.status_code == 200, trail.text
        (row,) = trail.json()
        assert row["subject"] == "demo:mediator.luoyang" and row["roles"] == "mediator"
        assert row["list_name"] == "mediation.queue" and row["route"] == "/api/v1/mediation/queue/export"
        assert row["filters"] == {"q": "张", "status": ["RECEIVED", "ACCEPTED"]}
        assert row["format"] == "csv" and row["rows"] == 2
        assert row["request_id"] == r.headers["x-request-id"]

        # Filtered by who exported; only an administrator reads the trail.
        assert (await client.get("/api/v1/audit/exports", params={"subject": "x"}, headers=admin)).json() == []
        assert (await client.get("/api/v1/audit/exports", headers=mediator)).status_code == 404
        bad = await client.get("/api/v1/audit/exports", params={"limit": 0}, headers=admin)
        assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["limit"]


async def test_a_repeated_parameter_reaches_the_service_whole(gateway: str) -> None:
    """status=A&status=B is forwarded as both values (a list filter), not only the last one."""
    async with httpx.AsyncClient(base_url=gateway) as client:
        mediator = await _token(client, "mediator.luoyang", "mediator-demo-4103")
        params = [("status", "RECEIVED"), ("status", "ACCEPTED"), ("format", "csv")]
        r = await client.get("/api/v1/mediation/queue/export", params=params, headers=mediator)
        assert r.status_code == 200 and r.headers["x-seen-status"] == "RECEIVED,ACCEPTED"
