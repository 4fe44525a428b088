"""The public API's OpenAPI document as a contract, checked against one real stack (every
service its own process, behind the gateway):

* the gateway's one document holds every public route of every service, validates (OpenAPI 3.1,
  openapi-spec-validator), and documents every operation's answers, security and examples;
* each operation, called as a client would (its own example body, as an anonymous caller and
  as a clerk), answers a status and content type the document declares;
* /docs and /redoc render the whole API in Chromium with every outside address blocked;
* Schemathesis, with all its default checks, runs the whole API as every role (anonymous, a
  worker, each staff role, the admin) with a fixed seed and bounded examples: 0 failures. In
  every run it is bounded by examples and by time (about a minute, on PostgreSQL); with
  LABORNET_FUZZ=1 it is the long run (every phase, both backends, no time limit).
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jsonschema
import pytest
import pytest_asyncio
from openapi_spec_validator import validate

from labornet_common.testing.api import sign_in
from labornet_common.testing.databases import POSTGRES_ENV, postgres_base_url
from labornet_common.testing.stack import Stack, running_stack

COURT_SECRET = "whsec_" + "c2NoZW1hdGhlc2lzLWNvdXJ0LXNlY3JldC0xMjM0NTY="
PROBLEM_JSON = "application/problem+json"
METHODS = {"get", "post", "put", "patch", "delete"}
# Schemathesis bounds: fixed seed, few examples per operation. The suite's run has a time budget
# shared by the roles and skips the coverage phase (some 7,500 requests per role on its own);
# LABORNET_FUZZ=1 runs every phase without a time limit, on both backends.
SEED = int(os.environ.get("LABORNET_FUZZ_SEED", "20261204"))
MAX_EXAMPLES = int(os.environ.get("LABORNET_FUZZ_EXAMPLES", "2"))
LONG_FUZZ = os.environ.get("LABORNET_FUZZ") == "1"
FUZZ_BUDGET_S = int(os.environ.get("LABORNET_FUZZ_BUDGET_S", "64"))
ROLES = {  # the demo accounts (README), one per staff role, and the admin
    "clerk": ("clerk.luoyang", "clerk-demo-4103"),
    "mediator": ("mediator.luoyang", "mediator-demo-4103"),
    "arbitrator": ("arbitrator.luoyang", "arbitrator-demo-4103"),
    "inspector": ("inspector.luoyang", "inspector-demo-4103"),
    "court_liaison": ("court.weihai", "court-demo-3710"),
    "admin": ("admin", "admin-demo"),
}
COMPLAINT = {
    "workplace_division": "410311",
    "worker_name": "张三",
    "employer_name": "洛阳某建筑公司",
    "facts": "拖欠三个月工资",
    "worker_phone": "13812341234",
    "claims": [{"category": "labor_remuneration", "amount_fen": 1500000}],
}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_PRESENT = CHROMIUM.exists()
SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    return str(request.param)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    env = {
        "LABORNET_COURT_WEBHOOK_SECRETS": COURT_SECRET,
        # Every role signs in and the fuzzer files anonymously: the limits are not what is tested here.
        "LABORNET_SIGN_IN_BURST": "1000",
        "LABORNET_ANONYMOUS_FILING_BURST": "100000",
    }
    workdir = tmp_path_factory.mktemp(f"contract-{backend}")
    async with running_stack(backend=backend, broker=broker, workdir=workdir, extra_env=env) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def document(stack: Stack) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        r = await client.get("/api/v1/openapi.json")
    assert r.status_code == 200, r.text
    return r.json()


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        if method in METHODS and isinstance(op, dict)
    ]


@pytest.mark.asyncio(loop_scope="module")
async def test_one_document_holds_every_public_route_and_documents_every_answer(
    stack: Stack, document: dict[str, Any]
) -> None:
    validate(document)  # OpenAPI 3.1 (openapi-spec-validator)
    assert "x-labornet-unavailable" not in document
    async with httpx.AsyncClient(timeout=30) as client:
        for name, url in stack.urls.items():
            own = (await client.get(f"{url}/openapi.json")).json()
            for path, ops in own["paths"].items():
                if not path.startswith("/api/v1/"):
                    continue
                assert path in document["paths"], f"{name}: {path} missing from the public document"
                assert set(ops) <= set(document["paths"][path]), (name, path)

    operations = _operations(document)
    assert len(operations) >= 100
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids)), "operationIds must be unique"
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids), ids
    assert not any(re.search(r"_api_v1_|_(get|post|put|delete)$", i) for i in ids), "FastAPI's default ids remain"

    schemes = document["components"]["securitySchemes"]
    assert set(schemes) == {"staffToken", "workerToken"}
    tags = {t["name"]: t.get("description", "") for t in document["tags"]}
    for method, path, op in operations:
        where = f"{method.upper()} {path}"
        assert op["tags"] and all(tags.get(t) and tags[t] != t for t in op["tags"]), where
        assert "security" in op, where
        for requirement in op["security"]:
            assert set(requirement) <= set(schemes), where
        answers = op["responses"]
        assert any(s.startswith("2") for s in answers), where
        assert "503" in answers, where
        for status, answer in answers.items():
            if status[0] in "45":
                assert answer["content"] == {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}, (
                    where,
                    status,
                )
        if path.startswith("/api/v1/"):
            assert "401" in answers, where
        if op.get("requestBody"):
            assert {"413", "415", "422"} <= set(answers), where
            for media_type, media in op["requestBody"]["content"].items():
                assert "example" in media, (where, media_type)
                jsonschema.validate(media["example"], {**media["schema"], "components": document["components"]})
    problem = document["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "instance", "title_zh", "title_en", "errors"} <= set(problem)
    assert not [name for name in document["components"]["schemas"] if name.endswith("HTTPValidationError")]


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path).replace(
        "/calendar/years/00000000-0000-4000-8000-000000000000", "/calendar/years/2026"
    )


@pytest.mark.asyncio(loop_scope="module")
async def test_every_operation_answers_as_documented(stack: Stack, document: dict[str, Any]) -> None:
    """Each operation called with its own example, anonymously and as a clerk: a documented
    status, and problem+json for every error; a wrong method is 405 with Allow."""
    seen: dict[str, int] = {}
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        clerk = await sign_in(client, *ROLES["clerk"])
        for method, path, op in _operations(document):
            body = op.get("requestBody", {}).get("content", {})
            kwargs: dict[str, Any] = {}
            if "application/json" in body:
                kwargs["json"] = body["application/json"]["example"]
            for headers in ({}, clerk):
                r = await client.request(method.upper(), _fill(path), headers=headers, **kwargs)
                where = f"{method.upper()} {path} -> {r.status_code}: {r.text[:300]}"
                assert str(r.status_code) in op["responses"], where
                if r.status_code >= 400:
                    assert r.headers["content-type"].startswith(PROBLEM_JSON), where
                seen[str(r.status_code)] = seen.get(str(r.status_code), 0) + 1
        for path in ("/api/v1/auth/token", "/api/v1/complaints", "/api/v1/mediation/cases/x"):
            wrong = await client.request("PATCH", path, headers=clerk)
            assert wrong.status_code == 405 and wrong.headers["content-type"].startswith(PROBLEM_JSON), path
            documented = {m.upper() for m in document["paths"][_template(document, path)] if m in METHODS}
            assert set(wrong.headers["allow"].split(", ")) == documented, (path, wrong.headers["allow"])
    print(f"\ncontract probe: {sum(seen.values())} calls, statuses {dict(sorted(seen.items()))}")


def _template(document: dict[str, Any], path: str) -> str:
    for template in document["paths"]:
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return template
    raise AssertionError(path)


@pytest.mark.browser
@pytest.mark.asyncio(loop_scope="module")
async def test_docs_render_the_whole_api_offline(stack: Stack, backend: str, document: dict[str, Any]) -> None:
    if not CHROMIUM_PRESENT:
        pytest.skip(f"browser test: {CHROMIUM} is absent (apt-get install chromium; .ci/run does)")
    from playwright.async_api import async_playwright

    local = {urlsplit(stack.gateway).netloc}
    blocked: list[str] = []

    async def only_this_machine(route: Any) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1",) and urlsplit(route.request.url).netloc in local:
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort("internetdisconnected")

    folder = ARTIFACTS / backend
    folder.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            await context.route("**/*", only_this_machine)
            page = await context.new_page()
            await page.goto(f"{stack.gateway}/docs")
            await page.wait_for_selector(".opblock", timeout=60_000)
            # Swagger UI lists an operation under each of its tags: its blocks' ids end in the operationId.
            ids = await page.eval_on_selector_all(".opblock", "blocks => blocks.map(b => b.id)")
            shown = {i.rsplit("-", 1)[-1] for i in ids}
            assert shown == {op["operationId"] for _, _, op in _operations(document)}  # the whole public API
            assert await page.locator(".opblock-tag", has_text="complaints").count() >= 1
            await page.screenshot(path=str(folder / "api-docs.png"), full_page=False)
            assert blocked == [], f"/docs asked for outside addresses: {blocked}"

            await page.goto(f"{stack.gateway}/redoc")
            await page.wait_for_selector("text=Create Complaint", timeout=60_000, state="attached")
            await page.screenshot(path=str(folder / "api-redoc.png"), full_page=False)
        finally:
            await browser.close()
    # ReDoc's bundle links its own "powered by" logo on its CDN: blocked, and the page works without it.
    assert [url for url in blocked if not url.endswith("/redoc/logo-mini.svg")] == [], blocked


async def _tokens(stack: Stack) -> dict[str, str | None]:
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        tokens: dict[str, str | None] = {"anonymous": None}
        filed = await client.post("/api/v1/complaints", json=COMPLAINT, headers={"Idempotency-Key": "fuzz-worker"})
        assert filed.status_code == 201, filed.text
        worker = await client.post(
            "/api/v1/auth/worker-token",
            json={"tracking_number": filed.json()["tracking_number"], "access_code": filed.json()["access_code"]},
        )
        assert worker.status_code == 200, worker.text
        tokens["worker"] = worker.json()["access_token"]
        for role, (username, password) in ROLES.items():
            tokens[role] = (await sign_in(client, username, password))["Authorization"].removeprefix("Bearer ")
    return tokens


def _fuzz(stack: Stack, role: str, token: str | None, report: Path, *, max_time_s: int | None) -> dict[str, Any]:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(SCHEMATHESIS_CONFIG),
        "run",
        f"{stack.gateway}/api/v1/openapi.json",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--phases",
        "examples,coverage,fuzzing" if max_time_s is None else "examples,fuzzing",
        "--no-shrink",
        # One worker: CPython 3.11 can fail compiling in two threads at once (SystemError "AST
        # constructor recursion depth mismatch" inside Hypothesis), an error of the tool, not the API.
        "--workers",
        "1",
        "--warnings",
        "off",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    if max_time_s is not None:
        command += ["--max-time", str(max_time_s)]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    if not report.exists():
        raise AssertionError(f"schemathesis did not report ({run.returncode}):\n{run.stdout[-3000:]}{run.stderr}")
    result = json.loads(report.read_text())
    result["output"] = run.stdout
    return result


@pytest.mark.asyncio(loop_scope="module")
async def test_schemathesis_finds_nothing_as_any_role(
    stack: Stack, backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The suite's run is on PostgreSQL only: the stricter store (NUL, integer ranges, string
    types) where every database-specific finding so far was made, with the whole budget for its
    roles; SQLite adds nothing the long run (LABORNET_FUZZ=1, both backends) would not find."""
    if backend == "sqlite" and not LONG_FUZZ:
        pytest.skip("the suite's bounded Schemathesis run is on PostgreSQL; LABORNET_FUZZ=1 runs both backends")
    tokens = await _tokens(stack)
    per_role_s = None if LONG_FUZZ else max(1, FUZZ_BUDGET_S // len(tokens))
    lines, failed = [], []
    started = time.monotonic()
    for role, token in tokens.items():
        result = _fuzz(stack, role, token, tmp_path / f"{role}.json", max_time_s=per_role_s)
        cases = result["test_cases"]
        by_check = {f"{f['code']} {f['title']}": f["count"] for f in result["failures"]}
        lines.append(
            f"  {role:<14} {cases['generated']:>6} requests, {result['running_time']:6.1f} s, "
            f"{cases['with_failures']} failing, errors {len(result['errors'])}, failures by check {by_check or '{}'}"
        )
        if result["failures"] or result["errors"]:
            failed.append(f"--- {role} ---\n{result['output'][-6000:]}")
    with capsys.disabled():  # the seed and the statistics belong in CI's output
        bound = "no time limit" if per_role_s is None else f"{per_role_s} s per role"
        print(
            f"\nschemathesis ({backend}) seed {SEED}, max examples {MAX_EXAMPLES}, {bound}, "
            f"{time.monotonic() - started:.0f} s in all"
        )
        print("\n".join(lines))
    assert not failed, "\n".join(failed)


GENERATOR_CONFIG = "content_type_overrides:\n  application/pdf: application/octet-stream\n"


def _generate_client(document: dict[str, Any], where: Path) -> Any:
    """openapi-python-client over the gateway's document, into ``where``; the package imported.
    A PDF answer is bytes to the generator (its documented override for binary types)."""
    (where / "openapi.json").write_text(json.dumps(document, ensure_ascii=False))
    (where / "config.yaml").write_text(GENERATOR_CONFIG)
    bin_dir = Path(sys.executable).parent
    run = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(where / "openapi.json"),
            "--output-path",
            str(where / "labornet_client"),
            "--meta",
            "none",
            "--config",
            str(where / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    # Every schema and operation generated: the generator warns of anything it had to leave out.
    assert "Warning" not in output and "Unable to" not in output, output
    sys.path.insert(0, str(where))
    try:
        import labornet_client

        # Every module imports (the code compiles and names what it uses), not only those used below.
        for module in pkgutil.walk_packages(labornet_client.__path__, "labornet_client."):
            importlib.import_module(module.name)
        return labornet_client
    finally:
        sys.path.remove(str(where))


@pytest.mark.asyncio(loop_scope="module")
async def test_a_generated_client_files_tracks_and_reads(
    stack: Stack, backend: str, document: dict[str, Any], tmp_path: Path
) -> None:
    """The document makes a usable SDK: generated at test time (nothing generated is kept in the
    repository), it files a complaint anonymously, reads the worker's status with the worker's
    token and an application as a clerk, every answer a typed model. The document is the same
    code on either backend, so this runs on one (SQLite)."""
    if backend != "sqlite":
        pytest.skip("the OpenAPI document does not depend on the database: the client is generated once")
    generated = _generate_client(document, tmp_path)
    from labornet_client import AuthenticatedClient, Client
    from labornet_client.api.arbitration import (
        arbitration_file_application,
        arbitration_read_application,
    )
    from labornet_client.api.auth import auth_token, auth_worker_token
    from labornet_client.api.intake import complaints_create_complaint, tracking_case_status
    from labornet_client.models import (
        ApplicationCreate,
        ApplicationRead,
        AuthTokenPasswordGrant,
        AuthWorkerTokenAccessCodeGrant,
        ComplaintCreate,
        ComplaintCreated,
        TokenRead,
        TrackingView,
        WorkerTokenRead,
    )

    assert generated.__name__ == "labornet_client"
    anonymous = Client(base_url=stack.gateway, timeout=httpx.Timeout(30), raise_on_unexpected_status=True)
    async with anonymous:
        filed = await complaints_create_complaint.asyncio(
            client=anonymous,  # the anonymous filing (a kiosk, an app)
            body=ComplaintCreate.from_dict(COMPLAINT),
            idempotency_key=f"generated-client-{time.time_ns()}",
        )
        assert isinstance(filed, ComplaintCreated), filed
        assert isinstance(filed.access_code, str) and filed.tracking_number
        grant = AuthWorkerTokenAccessCodeGrant(tracking_number=filed.tracking_number, access_code=filed.access_code)
        worker_token = await auth_worker_token.asyncio(client=anonymous, body=grant)
        assert isinstance(worker_token, WorkerTokenRead) and worker_token.case_id == filed.case_id
        staff_token = await auth_token.asyncio(
            client=anonymous,
            body=AuthTokenPasswordGrant(username=ROLES["clerk"][0], password=ROLES["clerk"][1]),
        )
        assert isinstance(staff_token, TokenRead) and staff_token.token_type == "bearer"

    worker = AuthenticatedClient(base_url=stack.gateway, token=worker_token.access_token, timeout=httpx.Timeout(30))
    async with worker:
        status = await tracking_case_status.asyncio(filed.case_id, client=worker)
        assert isinstance(status, TrackingView), status
        assert status.tracking_number == filed.tracking_number and status.status_zh and status.timeline

    clerk = AuthenticatedClient(base_url=stack.gateway, token=staff_token.access_token, timeout=httpx.Timeout(30))
    application = ApplicationCreate.from_dict(
        {
            "commission_id": "arb-4103",
            "workplace_division": "410311",
            "worker_name": "李师傅",
            "employer_name": "洛阳某建筑工程有限公司",
            "claims": [{"category": "labor_remuneration", "amount_fen": 1_200_000}],
        }
    )
    async with clerk:
        made = await arbitration_file_application.asyncio(
            client=clerk, body=application, idempotency_key=f"generated-client-{time.time_ns()}"
        )
        assert isinstance(made, ApplicationRead), made
        read = await arbitration_read_application.asyncio(made.application_id, client=clerk)
        assert isinstance(read, ApplicationRead), read
        assert (read.case_id, read.employer_name, read.claims[0].to_dict()["category"]) == (
            made.case_id,
            "洛阳某建筑工程有限公司",
            "labor_remuneration",
        )
