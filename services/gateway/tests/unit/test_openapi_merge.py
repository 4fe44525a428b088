from labornet_gateway.domain.openapi_merge import merge

GATEWAY = {"openapi": "3.1.0", "info": {"title": "gw", "version": "1"}, "paths": {"/api/v1/auth/token": {"post": {}}}}


def _service(model: str) -> dict:
    ref = {"$ref": f"#/components/schemas/{model}"}
    return {
        "paths": {
            "/api/v1/things/{id}": {
                "get": {"tags": ["things"], "responses": {"200": {"content": {"a": {"schema": ref}}}}}
            },
            "/internal/v1/secret": {"post": {}},
        },
        "components": {"schemas": {model: {"type": "object", "properties": {"x": ref}}}},
    }


def test_public_paths_and_namespaced_schemas() -> None:
    doc = merge(GATEWAY, {"intake": _service("Read"), "mediation": None})
    assert set(doc["paths"]) == {"/api/v1/auth/token", "/api/v1/things/{id}"}  # no internal route
    op = doc["paths"]["/api/v1/things/{id}"]["get"]
    assert op["tags"] == ["intake", "things"]
    assert op["responses"]["200"]["content"]["a"]["schema"] == {"$ref": "#/components/schemas/intake__Read"}
    assert (
        doc["components"]["schemas"]["intake__Read"]["properties"]["x"]["$ref"] == "#/components/schemas/intake__Read"
    )
    assert doc["x-labornet-unavailable"] == ["mediation"]
    assert GATEWAY["paths"] == {"/api/v1/auth/token": {"post": {}}}  # input untouched


def test_same_model_name_in_two_services_does_not_clash() -> None:
    a, b = _service("Case"), _service("Case")
    b["components"]["schemas"]["Case"]["type"] = "string"
    doc = merge(GATEWAY, {"intake": a, "mediation": b})
    assert doc["components"]["schemas"]["intake__Case"]["type"] == "object"
    assert doc["components"]["schemas"]["mediation__Case"]["type"] == "string"
