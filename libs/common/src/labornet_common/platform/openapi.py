"""The OpenAPI document every service publishes, written as a contract for API clients.

One place decides, for every operation of every service (the gateway's merge keeps it):

* ``operationId``: ``<tag>_<handler>`` (``complaints_create_complaint``), stable as long as the
  handler keeps its name, unique within the public API (the gateway's merge checks);
* the error answers: each status an operation can give (401 for any refused token, 403 and
  404 where a caller or a path id is involved, 409 for changes, 408/413/415 for a body, 422
  for any input, 503 everywhere), all ``application/problem+json`` with one ``Problem`` schema;
* ``security``: the staff token (OAuth2 password grant), the worker token (from the tracking
  number and access code), or none, read from the dependencies the handler declares;
* an example for each request body (the schema's own examples first, else one built from it).

Documentation pages (``/docs`` and ``/redoc``) load their scripts from this process, never
from an outside address: the assets come from the pinned ``fastapi-offline`` package.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI, Request, routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from starlette.staticfiles import StaticFiles

from labornet_common.platform.openapi_schemas import (
    FIELD_ERROR_SCHEMA,
    PROBLEM_SCHEMA,
    SCHEMA_REF,
    SHARED_SCHEMAS,
    TAG_DESCRIPTIONS,
    document_errors,
    problem_response,
)

__all__ = [
    "FIELD_ERROR_SCHEMA",
    "PROBLEM_SCHEMA",
    "SCHEMA_REF",
    "SHARED_SCHEMAS",
    "TAG_DESCRIPTIONS",
    "document_errors",
    "problem_response",
]

STAFF, WORKER = "staffToken", "workerToken"
STAFF_ONLY_SECURITY: list[dict[str, list[str]]] = [{STAFF: []}]
PUBLIC_PREFIX = "/api/"
ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_PATH = "/docs/assets"

SECURITY_SCHEMES: dict[str, Any] = {
    STAFF: {
        "type": "oauth2",
        "description": "Staff sign-in (工作人员登录): OAuth2 password grant at /api/v1/auth/token; "
        "send the access token as `Authorization: Bearer …`.",
        "flows": {"password": {"tokenUrl": "/api/v1/auth/token", "scopes": {}}},
    },
    WORKER: {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A worker's token (劳动者查询凭证) from /api/v1/auth/worker-token "
        "(tracking number + access code); it reads only the worker's own case.",
    },
}
BODY_METHODS = {"post", "put", "patch"}


def operation_id(route: Any) -> str:
    """``<first tag>_<handler name>``, in snake case (FastAPI's generate_unique_id_function)."""
    tag = route.tags[0] if route.tags else "api"
    return _snake(f"{tag}_{route.name}")


def _snake(text: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", str(text)).strip("_").lower()


def _dependencies(dependant: Dependant) -> Iterator[str]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield getattr(sub.call, "__name__", "")
        yield from _dependencies(sub)


# Names of the dependencies that say who may call (labornet_common.security.api_auth and the gateway's own).
ANONYMOUS_TOO = {"_optional"}
SIGNED_IN = {"_signed_in", "current_principal"}
STAFF_ONLY = {"admin", "lookup_principal", "staff_principal"}


def security_of(route: Any) -> list[dict[str, list[str]]]:
    names = set(_dependencies(route.dependant))
    if names & STAFF_ONLY:
        return [{STAFF: []}]
    if names & ANONYMOUS_TOO:
        return [{}, {STAFF: []}, {WORKER: []}]
    if names & SIGNED_IN:
        return [{STAFF: []}, {WORKER: []}]
    return []


def error_statuses(route: Any, method: str, operation: dict[str, Any]) -> set[int]:
    statuses = {503}
    public = route.path_format.startswith(PUBLIC_PREFIX)
    security = operation.get("security") or []
    if public:
        statuses.add(401)  # a bearer token that fails verification is refused on any API path
    if any(requirement for requirement in security):
        statuses |= {401, 403}
    parameters = operation.get("parameters") or []
    if any(p.get("in") == "path" for p in parameters) or public:
        statuses.add(404)
    if method in BODY_METHODS or method == "delete":
        statuses.add(409)
    if "requestBody" in operation:
        statuses |= {400, 408, 413, 415, 422}
    if parameters:
        statuses.add(422)
    return statuses


# The platform refuses NUL in any string (input_guard): the document says so, in every string and
# property name, so a client (or a fuzzer) knows such a value is invalid, not a surprise 422.
NO_NUL = "^[^\\x00]*$"


def _refuse_nul(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(node):
            node["pattern"] = NO_NUL
        if "properties" in node and node.get("additionalProperties") is not False:
            node.setdefault("propertyNames", {"pattern": NO_NUL})
        for value in node.values():
            _refuse_nul(value)
    elif isinstance(node, list):
        for value in node:
            _refuse_nul(value)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 20:
        schema = components.get(schema["$ref"].removeprefix(SCHEMA_REF), {})
        seen += 1
    return schema


_PATTERN_CANDIDATES = ("410311", "410311007", "https://hooks.example.org/labornet", "", "A1")
_NAMED = {
    "worker_name": "张三",
    "employer_name": "洛阳某建筑公司",
    "facts": "自2026年9月起拖欠三个月工资",
    "worker_phone": "13812341234",
    "reason": "当事人已自行和解",
    "note": "电话联系用人单位，约定下周调解",
    "text": "电话联系用人单位，约定下周调解",
    "tracking_number": "410311-20261201-0001",
    "access_code": "K7PX-3QMA",
    "username": "mediator.luoyang",
    "password": "mediator-demo-4103",
}


def example_of(schema: dict[str, Any], components: dict[str, Any], name: str = "", depth: int = 0) -> Any:
    """A value valid against ``schema``: its own example if it has one, otherwise a plain one."""
    schema = _resolve(schema, components)
    if depth > 8:
        return None
    for key in ("examples", "example"):
        if key in schema:
            value = schema[key]
            return value[0] if key == "examples" and isinstance(value, list) and value else value
    if schema.get("default") is not None:
        return schema["default"]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s, components).get("type") != "null"] or schema[key]
            return example_of(options[0], components, name, depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(_resolve(part, components))
        return example_of(merged, components, name, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", []))
        return {
            prop: example_of(sub, components, prop, depth + 1)
            for prop, sub in schema.get("properties", {}).items()
            if prop in required
        }
    if kind == "array":
        count = max(1, int(schema.get("minItems", 1)))
        return [example_of(schema.get("items", {}), components, name, depth + 1) for _ in range(count)]
    if kind == "integer" or kind == "number":
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1 if "exclusiveMinimum" in schema else 1)
        high = schema.get(
            "maximum", schema.get("exclusiveMaximum", low + 2) - 1 if "exclusiveMaximum" in schema else None
        )
        value = max(low, 1) if high is None else min(max(low, 1), high)
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return True
    if kind == "string":
        return _string_example(schema, name)
    return None


def _string_example(schema: dict[str, Any], name: str) -> str:
    fmt = schema.get("format")
    if fmt == "date":
        return "2026-12-01"
    if fmt == "date-time":
        return "2026-12-01T09:00:00+08:00"
    if fmt == "time":
        return "09:00:00"
    if fmt == "uuid":
        return "3f2b8a62-5c1e-4a7d-9b0e-2d4c6f8a1b3c"
    if schema.get("pattern", NO_NUL) != NO_NUL:
        for candidate in (_NAMED.get(name, ""), *_PATTERN_CANDIDATES):
            if re.search(schema["pattern"], candidate):
                return candidate
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    value = _NAMED.get(name, "示例")
    if len(value) < low:
        value = value + "。" * (low - len(value))
    return value[: int(high)] if high is not None else value


def api_routes(app: Any) -> Iterator[Any]:
    """Every documented API route of the app, routers included (with their prefixes and tags)."""
    for context in routing.iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute) and context.include_in_schema:
            yield context


def allowed_methods(app: Any, path: str) -> list[str]:
    """The methods the app documents for ``path`` (what a 405's Allow header lists): those of the
    most specific template that matches (``/endpoints/{id}/deliveries`` over ``/endpoints/{id}/{action}``)."""
    matching = [route for route in api_routes(app) if route.path_regex.match(path)]
    if not matching:
        return []
    fewest = min(route.path_format.count("{") for route in matching)
    return sorted({m for route in matching if route.path_format.count("{") == fewest for m in route.methods})


def _routes(app: FastAPI) -> dict[tuple[str, str], Any]:
    return {(route.path_format, method.lower()): route for route in api_routes(app) for method in route.methods}


def enrich(document: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """Complete FastAPI's document in place: security, error answers, examples, tags."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    _refuse_nul(schemas)
    # Added after: a problem may name a field the client sent, NUL and all.
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["FieldError"] = FIELD_ERROR_SCHEMA
    components["securitySchemes"] = SECURITY_SCHEMES
    routes = _routes(app)
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            route = routes.get((path, method))
            if route is None or not isinstance(operation, dict):
                continue
            # A route whose handler checks the caller itself names its security in openapi_extra.
            operation.setdefault("security", security_of(route))
            _refuse_nul(operation.get("parameters"))
            _refuse_nul(operation.get("requestBody"))
            document_errors(operation, error_statuses(route, method, operation))
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                if "example" not in media and "examples" not in media and "schema" in media:
                    media["example"] = example_of(media["schema"], schemas)
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused in schemas and f'"{SCHEMA_REF}{unused}"' not in _dump(document, skip=unused):
            del schemas[unused]
    used = sorted({tag for ops in document.get("paths", {}).values() for op in ops.values() for tag in op["tags"]})
    document["tags"] = [{"name": tag, "description": TAG_DESCRIPTIONS.get(tag, tag)} for tag in used]
    return document


def _dump(document: dict[str, Any], skip: str) -> str:
    import json

    schemas = document.get("components", {}).get("schemas", {})
    rest = {k: v for k, v in schemas.items() if k != skip}
    return json.dumps({"paths": document.get("paths", {}), "schemas": rest})


def install(app: FastAPI) -> None:
    """The enriched document at the app's openapi_url, and documentation pages served offline."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = enrich(generate(), app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="docs-assets")

    def document_url(request: Request) -> str:
        # The gateway shows the whole public API, not only its own routes.
        return getattr(request.app.state, "docs_openapi_url", None) or app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=document_url(request),
            title=f"{app.title} · API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        return get_redoc_html(
            openapi_url=document_url(request),
            title=f"{app.title} · API reference",
            redoc_js_url=f"{ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_PATH}/favicon.png",
            with_google_fonts=False,
        )
