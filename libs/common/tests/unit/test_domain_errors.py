"""Errors of the application and domain layers are answered in one place: the platform's handler
turns any of them (labornet_common.platform.problems) into the same problem+json a hand-made Problem gave
(status, code, fields, detail, extra members, headers)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from labornet_common.platform.errors import FieldError, Problem, conflict, install_problem_handlers, invalid, not_found
from labornet_common.platform.problems import (
    ApplicationError,
    BadSignature,
    Conflict,
    DomainRuleError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthenticated,
    Unavailable,
    Unprocessable,
)
from labornet_common.security.api_auth import unauthorized


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


# Each application error beside the hand-made Problem it stands for: the same answer, byte for byte.
# Built when the test runs: a service's catalogue registered meanwhile changes the texts of both.
SAME_ANSWERS: list[tuple[Callable[[], ApplicationError], Callable[[], Problem]]] = [
    (lambda: NotFound(), lambda: not_found()),
    (
        lambda: NotFound("court.case_unknown", field="case_number"),
        lambda: Problem(404, "court.case_unknown", errors=[FieldError.of("case_number", "court.case_unknown")]),
    ),
    (lambda: Forbidden(), lambda: Problem(403, "forbidden")),
    (lambda: Forbidden("filing.clerk_required"), lambda: Problem(403, "filing.clerk_required")),
    (lambda: Conflict(detail="the case changed meanwhile"), lambda: conflict("the case changed meanwhile")),
    (
        lambda: Conflict("wage_arrears.order_exists", extra={"order_id": "o1"}),
        lambda: Problem(409, "wage_arrears.order_exists", extra={"order_id": "o1"}),
    ),
    (
        lambda: Conflict("mediation.mediator_exists", field="subject"),
        lambda: Problem(
            409, "mediation.mediator_exists", errors=[FieldError.of("subject", "mediation.mediator_exists")]
        ),
    ),
    (lambda: Unprocessable("idempotency_mismatch"), lambda: Problem(422, "idempotency_mismatch")),
    (lambda: InvalidInput.at("due_on", "missing"), lambda: invalid(FieldError.of("due_on", "missing"))),
    (lambda: Unauthenticated(), lambda: unauthorized()),
    (
        lambda: BadSignature(detail="bad or missing X-Sms-Signature"),
        lambda: Problem(401, "unauthorized", "bad or missing X-Sms-Signature"),
    ),
    (lambda: Unavailable(detail="intake unreachable"), lambda: Problem(503, "unavailable", "intake unreachable")),
    (
        lambda: Unavailable("arbitration.documents_font_missing", detail="no font", retry_after_s=3600),
        lambda: Problem(503, "arbitration.documents_font_missing", "no font", headers={"Retry-After": "3600"}),
    ),
]


@pytest.mark.parametrize(("make_error", "make_by_hand"), SAME_ANSWERS)
async def test_an_application_error_answers_like_the_problem_it_replaces(
    make_error: Callable[[], ApplicationError], make_by_hand: Callable[[], Problem]
) -> None:
    error, by_hand = make_error(), make_by_hand()
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/error")
    async def raise_error() -> None:
        raise error

    @app.post("/by-hand")
    async def raise_by_hand() -> None:
        raise by_hand

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        ours, theirs = await client.post("/error"), await client.post("/by-hand")
    assert ours.status_code == theirs.status_code == by_hand.status
    assert ours.content == theirs.content.replace(b"/by-hand", b"/error")
    for header in ("www-authenticate", "retry-after"):
        assert ours.headers.get(header) == theirs.headers.get(header)
    assert ours.headers["content-type"] == "application/problem+json"
