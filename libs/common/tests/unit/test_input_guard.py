"""NUL characters are refused at the door with a 422 naming the field, wherever they hide; every
other body reaches the handler byte for byte."""

from __future__ import annotations

import json

import httpx
from fastapi import FastAPI, Request

from labornet_common.platform.errors import install_problem_handlers
from labornet_common.platform.input_guard import RefuseNulMiddleware


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(RefuseNulMiddleware)

    @app.post("/echo")
    async def echo(request: Request) -> dict:
        return {"body": (await request.body()).decode(), "query": str(request.query_params)}

    return app


async def _post(**kwargs) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://t") as client:
        return await client.post("/echo", **kwargs)


async def test_a_nul_in_a_nested_json_string_is_refused_naming_its_field() -> None:
    body = {"worker_name": "张三", "claims": [{"category": "labor_remuneration", "description": "拖欠\u0000工资"}]}
    r = await _post(json=body)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    error = r.json()["errors"][0]
    assert (error["field"], error["code"]) == ("claims.0.description", "text.control_character")
    assert "控制字符" in error["message_zh"] and "control character" in error["message_en"]


async def test_a_nul_in_a_query_parameter_or_a_form_field_is_refused() -> None:
    r = await _post(params={"worker": "a\x00b"}, json={})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "worker"
    r = await _post(data={"username": "admin\x00", "password": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "username"


async def test_clean_bodies_and_an_escaped_backslash_reach_the_handler_unchanged() -> None:
    raw = json.dumps({"facts": "literally \\u0000, not a NUL", "n": 1}, ensure_ascii=False)
    r = await _post(content=raw.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["body"] == raw
    r = await _post(content=b"\x00binary", headers={"content-type": "application/octet-stream"})
    assert r.status_code == 200  # not text: its own handler decides


async def test_a_body_announced_and_never_sent_is_cut_off_with_408(monkeypatch) -> None:
    import asyncio

    from labornet_common.platform import input_guard

    monkeypatch.setattr(input_guard, "BODY_TIMEOUT_S", 0.2)
    sent: list[dict] = []
    reached = False

    async def app(scope, receive, send) -> None:
        nonlocal reached
        reached = True

    async def trickle() -> dict:
        if not sent and not getattr(trickle, "once", False):
            trickle.once = True  # type: ignore[attr-defined]
            return {"type": "http.request", "body": b"{", "more_body": True}
        await asyncio.sleep(3600)  # the rest never comes
        return {}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/x",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
    }
    await asyncio.wait_for(RefuseNulMiddleware(app)(scope, trickle, send), 5)
    assert not reached and sent[0]["status"] == 408
    assert (b"connection", b"close") in sent[0]["headers"]
