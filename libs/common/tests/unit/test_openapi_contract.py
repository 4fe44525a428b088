"""The platform's OpenAPI contract: operationIds, problem+json answers, security, examples,
405 with the documented methods, 415 for a body that is not JSON, and docs served offline."""

from __future__ import annotations

import httpx
import jsonschema
from fastapi import APIRouter, FastAPI
from openapi_spec_validator import validate
from pydantic import BaseModel, Field

from labornet_common.platform import openapi
from labornet_common.platform.errors import PROBLEM_JSON, install_problem_handlers
from labornet_common.platform.settings import BaseServiceSettings
from labornet_common.security.api_auth import CurrentPrincipal, OptionalPrincipal
from labornet_common.security.auth import Principal, Role
from labornet_common.testing.inprocess import assertion

CLERK = Principal(subject="c1", roles=frozenset({Role.clerk}), region_scopes=("4103",))


class Claim(BaseModel):
    category: str = Field(examples=["labor_remuneration"])
    amount_fen: int = Field(ge=1)


class ThingCreate(BaseModel):
    division: str = Field(pattern=r"^\d{6}(\d{3})?$")
    name: str = Field(min_length=2, max_length=10)
    on: str | None = None
    claims: list[Claim] = Field(min_length=1)


def _app() -> FastAPI:
    app = FastAPI(generate_unique_id_function=openapi.operation_id, docs_url=None, redoc_url=None)
    app.state.settings = BaseServiceSettings(service_name="t", environment="test")
    install_problem_handlers(app)
    router = APIRouter(prefix="/api/v1/things", tags=["things"])

    @router.post("", status_code=201)
    async def create_thing(body: ThingCreate, principal: OptionalPrincipal) -> dict:
        return {"name": body.name}

    @router.get("/{thing_id}")
    async def read_thing(thing_id: str, principal: CurrentPrincipal) -> dict:
        return {"id": thing_id}

    @router.delete("/{thing_id}")
    async def remove_thing(thing_id: str, principal: CurrentPrincipal) -> dict:
        return {"id": thing_id}

    app.include_router(router)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict:
        return {"status": "alive"}

    openapi.install(app)
    return app


def _operations(doc: dict) -> dict[str, dict]:
    return {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}


def test_document_is_a_valid_contract() -> None:
    doc = _app().openapi()
    validate(doc)  # OpenAPI 3.1, by openapi-spec-validator
    ops = _operations(doc)
    assert set(ops) == {"things_create_thing", "things_read_thing", "things_remove_thing", "ops_healthz"}

    create = ops["things_create_thing"]
    assert create["security"] == [{}, {"staffToken": []}, {"workerToken": []}]  # anonymous filing allowed
    assert ops["things_read_thing"]["security"] == [{"staffToken": []}, {"workerToken": []}]
    assert ops["ops_healthz"]["security"] == []
    assert {"staffToken", "workerToken"} == set(doc["components"]["securitySchemes"])

    assert {"201", "400", "401", "403", "404", "408", "409", "413", "415", "422", "503"} <= set(create["responses"])
    assert {"401", "403", "404", "422", "503"} <= set(ops["things_read_thing"]["responses"])
    assert "409" in ops["things_remove_thing"]["responses"]
    for op in ops.values():
        for status, answer in op["responses"].items():
            if status.startswith(("4", "5")):
                assert list(answer["content"]) == [PROBLEM_JSON], (op["operationId"], status)
                assert answer["content"][PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    problem = doc["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance", "title_zh", "title_en", "errors"} <= set(
        problem["properties"]
    )
    assert {t["name"] for t in doc["tags"]} == {"things", "ops"} and all(t["description"] for t in doc["tags"])


def test_each_request_body_has_an_example_valid_against_its_schema() -> None:
    doc = _app().openapi()
    media = doc["paths"]["/api/v1/things"]["post"]["requestBody"]["content"]["application/json"]
    example = media["example"]
    assert example["division"] == "410311" and example["claims"][0]["category"] == "labor_remuneration"
    jsonschema.validate(example, {"$ref": media["schema"]["$ref"], "components": doc["components"]})
    assert example == {
        "division": "410311",
        "name": "示例",
        "claims": [{"category": "labor_remuneration", "amount_fen": 1}],
    }


async def _call(app: FastAPI, method: str, path: str, **kw: object) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        return await client.request(method, path, **kw)  # type: ignore[arg-type]


async def test_wrong_method_is_405_listing_every_documented_method() -> None:
    app = _app()
    r = await _call(app, "PATCH", "/api/v1/things/abc", headers=assertion(CLERK))
    assert r.status_code == 405 and r.headers["content-type"].startswith(PROBLEM_JSON)
    assert r.headers["allow"] == "DELETE, GET"  # both routes of the path, not only the first one met
    assert r.json()["title_en"] == "This method is not allowed on this address"


async def test_a_body_that_is_not_json_is_415() -> None:
    app = _app()
    headers = {**assertion(CLERK), "content-type": "text/plain"}
    r = await _call(app, "POST", "/api/v1/things", content=b"name=x", headers=headers)
    assert r.status_code == 415 and r.headers["content-type"].startswith(PROBLEM_JSON)
    assert r.json()["title_zh"]
    empty = await _call(app, "POST", "/api/v1/things", headers=assertion(CLERK))
    assert empty.status_code == 422  # no body at all: the field is missing, not the media type


async def test_docs_pages_load_their_assets_from_this_process() -> None:
    app = _app()
    for page in ("/docs", "/redoc"):
        html = (await _call(app, "GET", page)).text
        assert (
            "/docs/assets/" in html and "cdn." not in html and "https://" not in html.replace("https://labornet", "")
        ), page
    js = await _call(app, "GET", "/docs/assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
