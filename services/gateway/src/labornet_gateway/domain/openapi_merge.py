"""Merging the services' OpenAPI documents into the gateway's one public document (pure).

Only public paths (under /api/v1) are taken; internal routes stay out. Each service's
component schemas are namespaced (``intake__ComplaintRead``) and their references rewritten,
so two services may use the same model name without clashing.
"""

from __future__ import annotations

import copy
from typing import Any

PUBLIC_PREFIX = "/api/v1/"
REF_PREFIX = "#/components/schemas/"


def _rename_refs(node: Any, service: str) -> Any:
    if isinstance(node, dict):
        return {
            k: (REF_PREFIX + f"{service}__" + v.removeprefix(REF_PREFIX))
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
            paths[path] = ops
        for name, schema in sub.get("components", {}).get("schemas", {}).items():
            schemas[f"{service}__{name}"] = _rename_refs(schema, service)
    if missing:
        doc["x-labornet-unavailable"] = sorted(missing)
    return doc
