"""User-facing message catalogue (Chinese first, English second), keyed by stable codes."""

from __future__ import annotations

from labornet_common.security.auth import _MESSAGES as _AUTH_MESSAGES

MESSAGES: dict[str, tuple[str, str]] = {
    # generic problems
    "validation": ("请求内容有误，请检查标出的字段", "The request has invalid fields"),
    "not_found": ("未找到该记录，或您无权查看", "Not found, or not visible to you"),
    "unauthorized": ("需要登录或凭证无效", "Authentication required or credentials invalid"),
    "forbidden": ("您无权执行此操作", "You may not perform this action"),
    "conflict": ("该操作与当前状态冲突", "The request conflicts with the current state"),
    "rate_limited": ("请求过于频繁，请稍后再试", "Too many requests; try again later"),
    "payload_too_large": ("请求内容过大", "Request body too large"),
    "method_not_allowed": ("该地址不支持此请求方法", "This method is not allowed on this address"),
    "unsupported_media_type": (
        "请求内容类型不受支持，请以 application/json 发送",
        "Unsupported content type; send application/json",
    ),
    "unavailable": ("服务暂时不可用，请稍后再试", "Service temporarily unavailable"),
    "internal": ("系统内部错误，已记录，请稍后再试", "Internal error; it has been logged"),
    "documents.font_missing": (
        "文书无法生成：未配置中文字体（LABORNET_DOCUMENT_FONT）",
        "Documents cannot be rendered: no CJK font (LABORNET_DOCUMENT_FONT)",
    ),
    "idempotency_mismatch": (
        "同一幂等键已用于不同的请求内容",
        "This Idempotency-Key was already used with a different request body",
    ),
    # field-level (pydantic error types)
    "missing": ("必填项不能为空", "This field is required"),
    "string_too_short": ("内容太短", "Too short"),
    "string_too_long": ("内容太长", "Too long"),
    "string_pattern_mismatch": ("格式不正确", "Wrong format"),
    "int_parsing": ("应为整数", "Must be a whole number"),
    "int_type": ("应为整数", "Must be a whole number"),
    "float_parsing": ("应为数字", "Must be a number"),
    "greater_than": ("数值太小", "Value too small"),
    "greater_than_equal": ("数值太小", "Value too small"),
    "less_than": ("数值太大", "Value too large"),
    "less_than_equal": ("数值太大", "Value too large"),
    "date_parsing": ("日期格式应为 YYYY-MM-DD", "Date must be YYYY-MM-DD"),
    "date_from_datetime_parsing": ("日期格式应为 YYYY-MM-DD", "Date must be YYYY-MM-DD"),
    "datetime_parsing": ("时间格式不正确", "Invalid date-time"),
    "enum": ("不是允许的取值", "Not one of the allowed values"),
    "literal_error": ("不是允许的取值", "Not one of the allowed values"),
    "json_invalid": ("请求体不是有效的 JSON", "The body is not valid JSON"),
    "model_attributes_type": ("应为对象", "Must be an object"),
    "dict_type": ("应为对象", "Must be an object"),
    "list_type": ("应为数组", "Must be a list"),
    "too_short": ("条目太少", "Too few items"),
    "too_long": ("条目太多", "Too many items"),
    "extra_forbidden": ("不允许的字段", "Unknown field"),
    "value_error": ("取值无效", "Invalid value"),
    "uuid_parsing": ("标识格式不正确", "Invalid identifier"),
    "unsafe_url": ("不允许的推送地址（须为公网 https 地址）", "Webhook URL refused"),
    "bool_parsing": ("应为是或否", "Must be true or false"),
    # sign-in, access and paging (gateway and services)
    "auth.login_failed": ("用户名或密码错误", "Wrong username or password"),
    "auth.access_code_failed": (
        "受理编号或查询码不正确",
        "Wrong tracking number or access code",
    ),
    "auth.unsupported_grant": ("不支持的登录方式", "Unsupported grant type"),
    "filing.clerk_required": (
        "该受理渠道须由用工所在地辖区的窗口工作人员登记",
        "This channel must be filed by a clerk serving the workplace's region",
    ),
    "cursor_invalid": ("分页游标无效，请从第一页重新查询", "The page cursor is invalid; start again"),
    "audit.receipt_invalid": (
        "审计检查点凭证无效（签名不符或已被改动）",
        "The audit checkpoint receipt is invalid (bad signature or altered)",
    ),
    "settings.audit_retention": (
        "审计日志保存期限不得少于183天（6个月）",
        "Audit retention must be at least 183 days (6 months)",
    ),
}
# Token problems carry the codes and texts of labornet_common.security.auth (auth.token_expired, ...).
MESSAGES.update(_AUTH_MESSAGES)


def register_messages(catalogue: dict[str, tuple[str, str]]) -> None:
    """Add a service's own codes (kept in its ``messages.py``); a code keeps one meaning."""
    for code, texts in catalogue.items():
        if code in MESSAGES and MESSAGES[code] != texts:
            raise ValueError(f"message code {code} already means {MESSAGES[code]}")
        MESSAGES[code] = texts


def message(code: str) -> tuple[str, str]:
    return MESSAGES.get(code, MESSAGES["value_error"])
