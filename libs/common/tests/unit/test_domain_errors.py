"""Domain errors are answered in one place: the platform's handler turns any DomainRuleError into
the same problem+json a hand-made Problem gave (status, code, fields, detail, extra members)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from labornet_common.errors import FieldError, Problem, install_problem_handlers, invalid
from labornet_common.problems import DomainRuleError, InvalidInput


class _Refused(DomainRuleError):
    """A domain's own refusal, as services declare them."""


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/rule")
    async def rule() -> None:
        raise _Refused("conflict", detail="the case is closed", extra={"state": "CLOSED"})

    @app.post("/field")
    async def field() -> None:
        raise DomainRuleError("validation", status=422, field="received_on")

    @app.post("/several")
    async def several() -> None:
        raise InvalidInput([("claims.0.period_to", "missing"), ("facts", "string_too_short")])

    @app.post("/by-hand")
    async def by_hand() -> None:
        raise invalid(FieldError.of("claims.0.period_to", "missing"), FieldError.of("facts", "string_too_short"))

    @app.post("/conflict-by-hand")
    async def conflict_by_hand() -> None:
        raise Problem(409, "conflict", "the case is closed", extra={"state": "CLOSED"})

    return app


async def _post(path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post(path)


async def test_a_rule_refusal_is_a_409_problem_with_its_detail_and_members() -> None:
    r = await _post("/rule")
    assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
    assert r.json() == {
        "type": "https://labornet.example.cn/problems/conflict",
        "title": "该操作与当前状态冲突 / The request conflicts with the current state",
        "title_zh": "该操作与当前状态冲突",
        "title_en": "The request conflicts with the current state",
        "status": 409,
        "detail": "the case is closed",
        "instance": "/rule",
        "state": "CLOSED",
    }
    assert r.content == (await _post("/conflict-by-hand")).content.replace(b"/conflict-by-hand", b"/rule")


async def test_the_input_at_fault_is_named_with_the_rules_text() -> None:
    r = await _post("/field")
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "field": "received_on",
            "code": "validation",
            "message_zh": "请求内容有误，请检查标出的字段",
            "message_en": "The request has invalid fields",
        }
    ]


async def test_several_inputs_at_fault_answer_like_a_hand_made_422() -> None:
    several, by_hand = await _post("/several"), await _post("/by-hand")
    assert several.status_code == by_hand.status_code == 422
    assert several.content == by_hand.content.replace(b"/by-hand", b"/several")
    assert [e["field"] for e in several.json()["errors"]] == ["claims.0.period_to", "facts"]
