"""Merging the services' OpenAPI documents into the gateway's one public document (pure).

Only public paths (under /api/v1) are taken; internal routes stay out. Each service's
component schemas are namespaced (``intake__ComplaintRead``) and their references rewritten,
so two services may use the same model name without clashing; the schemas every service shares
(the Problem) are kept once under their own names. The gateway stands in front of every proxied
operation, so those also document the gateway's own answers (a body too large or too slow, a
backend down or broken, the rate limit of the anonymous filing).
"""

from __future__ import annotations

import copy
from typing import Any

from labornet_common.platform.openapi_schemas import SHARED_SCHEMAS, TAG_DESCRIPTIONS, document_errors

PUBLIC_PREFIX = "/api/v1/"
REF_PREFIX = "#/components/schemas/"
SHARED = frozenset(SHARED_SCHEMAS)
# What the gateway itself may answer on any proxied operation (api/proxy.py).
PROXY_STATUSES = {401, 502, 503, 504}
PROXY_BODY_STATUSES = {408, 413}
# Operations the gateway rate-limits per client address (api/limits.py).
RATE_LIMITED = {("post", "/api/v1/complaints"), ("post", "/api/v1/auth/token"), ("post", "/api/v1/auth/worker-token")}


def _renamed(ref: str, service: str) -> str:
    name = ref.removeprefix(REF_PREFIX)
    return ref if name in SHARED else REF_PREFIX + f"{service}__" + name


def _rename_refs(node: Any, service: str) -> Any:
    if isinstance(node, dict):
        return {
            k: _renamed(v, service)
            if k == "$ref" and isinstance(v, str) and v.startswith(REF_PREFIX)
            else _rename_refs(v, service)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rename_refs(v, service) for v in node]
    return node


def merge(gateway: dict[str, Any], services: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    doc = copy.deepcopy(gateway)
    doc["info"] = {**doc.get("info", {}), "title": "LaborNet API"}
    paths = doc.setdefault("paths", {})
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    missing = []
    for service, sub in services.items():
        if sub is None:
            missing.append(service)
            continue
        for path, operations in sub.get("paths", {}).items():
            if not path.startswith(PUBLIC_PREFIX):
                continue
            ops = _rename_refs(operations, service)
            for op in ops.values():
                if isinstance(op, dict):
                    op["tags"] = [service, *[t for t in op.get("tags", []) if t != service]]
                    statuses = PROXY_STATUSES | (PROXY_BODY_STATUSES if "requestBody" in op else set())
                    document_errors(op, statuses)
            paths[path] = ops
        for name, schema in sub.get("components", {}).get("schemas", {}).items():
            if name in SHARED:
                schemas.setdefault(name, schema)
            else:
                schemas[f"{service}__{name}"] = _rename_refs(schema, service)
    for method, path in RATE_LIMITED:
        if isinstance(paths.get(path, {}).get(method), dict):
            document_errors(paths[path][method], {429})
    _unique_titles(schemas)
    used = {tag for ops in paths.values() for op in ops.values() if isinstance(op, dict) for tag in op.get("tags", [])}
    doc["tags"] = [{"name": tag, "description": TAG_DESCRIPTIONS.get(tag, tag)} for tag in sorted(used)]
    if missing:
        doc["x-labornet-unavailable"] = sorted(missing)
    return doc


def _unique_titles(schemas: dict[str, Any]) -> None:
    """Client generators name a model by its schema's title: where two services' schemas share
    one (ClaimSummary, TribunalCreate), each takes its namespaced name so no model is dropped."""
    counts: dict[str, int] = {}
    for name, schema in schemas.items():
        title = schema.get("title", name)
        counts[title] = counts.get(title, 0) + 1
    for name, schema in schemas.items():
        if counts[schema.get("title", name)] > 1:
            schema["title"] = name


def duplicate_operation_ids(doc: dict[str, Any]) -> list[str]:
    """operationIds used by more than one operation (none in a sound document)."""
    seen: dict[str, int] = {}
    for ops in doc.get("paths", {}).values():
        for op in ops.values():
            if isinstance(op, dict) and "operationId" in op:
                seen[op["operationId"]] = seen.get(op["operationId"], 0) + 1
    return sorted(name for name, count in seen.items() if count > 1)
