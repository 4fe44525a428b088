"""The pure parts of the OpenAPI document (no web framework): the shared Problem schemas, the
public tags, and the problem+json answers an operation documents. ``labornet_common.platform.openapi``
builds each service's document with them; the gateway's merge uses them without FastAPI.
"""

from __future__ import annotations

from typing import Any

from labornet_common.platform.problems import PROBLEM_JSON

SCHEMA_REF = "#/components/schemas/"
# Shared by every service: the merged document keeps one copy, under these names.
SHARED_SCHEMAS = ("Problem", "FieldError")

FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "FieldError",
    "description": "One invalid field: where it is, a stable code, and what is wrong in Chinese and English.",
    "required": ["field", "code", "message_zh", "message_en"],
    "properties": {
        "field": {"type": "string", "description": "Dotted location (claims.0.amount_fen)"},
        "code": {"type": "string", "description": "Stable code (string_too_short, missing, …)"},
        "message_zh": {"type": "string"},
        "message_en": {"type": "string"},
    },
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details, with the title in Chinese and English and, for invalid input, "
    "one entry per field. Other members may follow (error, retry hints).",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "URI naming the kind of problem"},
        "title": {"type": "string", "description": "中文 / English"},
        "title_zh": {"type": "string"},
        "title_en": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The request path"},
        "request_id": {"type": "string"},
        "errors": {"type": "array", "items": {"$ref": SCHEMA_REF + "FieldError"}},
    },
    "additionalProperties": True,
}
# Every tag of the public API, described once (Chinese first, English second).
TAG_DESCRIPTIONS: dict[str, str] = {
    "auth": "登录与凭证 · Sign-in: staff tokens, worker tokens from the access code",
    "audit": "审计日志 · The audit trail: verification and signed checkpoints",
    "webhooks": "事件推送 · Outgoing webhooks: endpoints, secrets, deliveries, replay",
    "reports": "劳动关系监测 · Monitoring figures of the caller's regions, named 和谐 enterprises, rebuilds",
    "court": "裁审衔接 · Court linkage: case lookups by 案号 and the courts' callbacks",
    "calendar": "法定节假日 · Holiday schedules (holidays and make-up workdays) the legal clocks use",
    "ops": "运行状态 · Liveness and readiness",
    "intake": "一窗受理 · Intake: one-window complaints from every channel",
    "complaints": "投诉 · Complaints: filing, reading, searching, representatives",
    "tracking": "进度查询 · A worker's view of their own case",
    "disputes": "争议 · One dispute across desks (its passport)",
    "joint acceptance": "联合受理 · Complaints forwarded between regions",
    "mediation": "调解 · Mediation cases, the 15-day clock, agreements, transfers",
    "mediation centres": "调解组织 · Mediation centres and mediators",
    "mediation administration": "调解管理 · Administration of mediation centres and their caseload",
    "arbitration": "仲裁 · Docketing, acceptance, tribunals, hearings, awards and their clocks",
    "arbitration administration": "仲裁员名册 · The arbitrator roster of each commission: add, move, retire",
    "wage-arrears": "欠薪预警 · Wage-arrears risk, alerts, orders to pay, referrals",
}

_STATUS_TEXT = {
    400: "Bad request (a grant or header the operation cannot use)",
    401: "Not signed in, or the token was refused (WWW-Authenticate)",
    403: "Signed in, but this role or organisation may not do this",
    404: "Not found, or not visible to the caller",
    405: "Method not allowed (Allow lists the documented methods)",
    408: "The request body did not arrive in time",
    409: "Conflicts with the current state (or an Idempotency-Key reused for another body)",
    413: "The request body is too large",
    415: "The body's content type is not accepted",
    422: "Invalid input: one entry per field in `errors`",
    429: "Too many requests from this client (Retry-After)",
    502: "A backend broke the connection; retry with the same Idempotency-Key (Retry-After)",
    503: "Temporarily unavailable (Retry-After)",
    504: "A backend did not answer in time (Retry-After)",
}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "string"}}}
_HEADERS = {
    401: {"WWW-Authenticate": {"description": "Bearer challenge", "schema": {"type": "string"}}},
    405: {"Allow": {"description": "The documented methods of this path", "schema": {"type": "string"}}},
    429: _RETRY_AFTER,
    502: _RETRY_AFTER,
    503: _RETRY_AFTER,
    504: _RETRY_AFTER,
}


def problem_response(status: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": _STATUS_TEXT.get(status, "Problem"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": SCHEMA_REF + "Problem"}}},
    }
    if status in _HEADERS:
        answer["headers"] = _HEADERS[status]
    return answer


def document_errors(operation: dict[str, Any], statuses: set[int]) -> None:
    """Add problem+json answers for ``statuses``; FastAPI's own 422 (plain JSON) is replaced."""
    responses = operation.setdefault("responses", {})
    for status in sorted(statuses):
        existing = responses.get(str(status)) or {}
        answer = problem_response(status)
        if existing.get("description") and "HTTPValidationError" not in str(existing):
            answer["description"] = existing["description"]  # the route's own words for it
        responses[str(status)] = {**existing, **answer}
