"""The audit recorder: every answer under /api/ is journaled before it leaves, the gateway's own
500s included; a journal that cannot be written fails closed (503 + Retry-After, and new
requests are refused before they take effect)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI, Response

from labornet_common.platform.errors import install_problem_handlers
from labornet_gateway.adapters.audit_journal import AuditJournal
from labornet_gateway.api import audit_recorder
from labornet_gateway.service.context import GatewayContext


@pytest.fixture
def journal(tmp_path: Path):
    journal = AuditJournal(tmp_path / "audit")
    journal.open()
    yield journal
    journal.close()


def _app(journal: AuditJournal, effects: list[str]) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    settings = SimpleNamespace(trusted_proxy_hops=0)
    # The recorder reads only the journal (and its sequencer) from the context.
    context = GatewayContext(
        settings=settings, http=None, webhook_http=None, cipher=None, identity=None, limits={}, audit_journal=journal
    )
    app.state.runtime = SimpleNamespace(context=context, settings=settings)

    @app.post("/api/v1/complaints")
    async def file() -> dict:
        effects.append("filed")
        return {"ok": True}

    @app.post("/api/v1/named")
    async def named(response: Response) -> dict:
        response.headers["LaborNet-Case-Id"] = CASE
        return {"case_id": OTHER}  # the body is never read for the trail

    @app.post("/api/v1/named-refused", status_code=409)
    async def named_refused(response: Response) -> dict:
        response.headers["LaborNet-Case-Id"] = CASE
        return {}

    @app.get("/api/v1/boom")
    async def boom() -> dict:
        raise RuntimeError("a bug in the gateway")

    @app.get("/console/page")
    async def page() -> dict:
        return {}

    audit_recorder.install(app)
    return app


CASE, OTHER = "3f2c1a9e-0b7d-4c1e-9a55-2d7f0c8b1e42", "0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b"


def _client(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)  # an answered 500 is not re-raised (keep-alive lives)
    return httpx.AsyncClient(transport=transport, base_url="http://gw")


def _statuses(journal: AuditJournal) -> list[tuple[str, str, int]]:
    lines, _ = journal.read_from(0, 100)
    return [(x.entry.method, x.entry.route, x.entry.status) for x in lines]


async def test_answers_and_the_gateways_own_500_are_journaled(journal: AuditJournal) -> None:
    async with _client(_app(journal, [])) as client:
        assert (await client.post("/api/v1/complaints", headers={"x-request-id": "r-1"})).status_code == 200
        assert (await client.get("/api/v1/boom")).status_code == 500
        assert (await client.get("/api/v1/nowhere")).status_code == 404
        assert (await client.get("/console/page")).status_code == 200  # not the API: not audited
    assert _statuses(journal) == [
        ("POST", "/api/v1/complaints", 200),
        ("GET", "/api/v1/boom", 500),
        ("GET", "/api/v1/nowhere", 404),
    ]
    first, _ = journal.read_from(0, 1)
    assert first[0].entry.request_id == "r-1" and first[0].entry.subject == "anonymous"


async def test_a_journal_that_cannot_be_written_fails_closed(journal: AuditJournal, monkeypatch) -> None:
    effects: list[str] = []
    write = journal._write

    def disk_full(entries) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal, "_write", disk_full)
    async with _client(_app(journal, effects)) as client:
        in_flight = await client.post("/api/v1/complaints")
        assert in_flight.status_code == 503 and in_flight.headers["retry-after"] == "2"
        body = in_flight.json()
        assert in_flight.headers["content-type"].startswith("application/problem+json")
        assert "审计" in body["title_zh"] and "audit" in body["title_en"]
        assert effects == ["filed"]  # it was already in flight when the disk failed
        refused = await client.post("/api/v1/complaints")
        assert refused.status_code == 503 and effects == ["filed"]  # refused before taking effect
        monkeypatch.setattr(journal, "_write", write)
        recovering = await client.post("/api/v1/complaints")
        assert recovering.status_code == 503 and effects == ["filed"]  # the refusal is journaled
        assert (await client.post("/api/v1/complaints")).status_code == 200
    assert effects == ["filed", "filed"]
    assert _statuses(journal) == [("POST", "/api/v1/complaints", 503), ("POST", "/api/v1/complaints", 200)]


def _cases(journal: AuditJournal) -> list[tuple[str, str | None]]:
    lines, _ = journal.read_from(0, 100)
    return [(x.entry.route, x.entry.case_id) for x in lines]


async def test_the_case_comes_from_the_service_s_header_never_from_the_body(journal: AuditJournal) -> None:
    async with _client(_app(journal, [])) as client:
        answered = await client.post("/api/v1/named")
        assert answered.headers["labornet-case-id"] == CASE  # relayed as is: the body holds it too
        await client.post("/api/v1/complaints")  # no header: no case (nothing parsed from the body)
        await client.post("/api/v1/named-refused")  # a refusal names no case it acted on
        await client.get(f"/api/v1/cases/{CASE.upper()}")  # the path names one (404 here)
    assert _cases(journal) == [
        ("/api/v1/named", CASE),
        ("/api/v1/complaints", None),
        ("/api/v1/named-refused", None),
        ("/api/v1/cases/{id}", CASE),
    ]
