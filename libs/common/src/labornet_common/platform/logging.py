"""JSON structured logs with request id, case id and trace id; PII masked before output."""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from labornet_common.platform.context import case_id_var, request_id_var, traceparent_var


def _add_context(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    if (rid := request_id_var.get()) and "request_id" not in event:
        event["request_id"] = rid
    if (cid := case_id_var.get()) and "case_id" not in event:
        event["case_id"] = cid
    if (tp := traceparent_var.get()) and "trace_id" not in event:
        event["trace_id"] = tp.split("-")[1]
    return event


def _redact(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    # ID numbers and phones must never reach a log line in clear (PII protection).
    from labornet_common.standards.masking import redact_pii

    for key, value in event.items():
        if isinstance(value, str):
            event[key] = redact_pii(value)
    return event


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]  # generic only in typeshed
    """Writes to whatever ``sys.stderr`` is when a record is emitted, not the stream of the
    moment the handler was made: a process whose stderr is replaced later (a test runner's
    capture, a daemon redirecting its output) never logs to a closed file."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(*, service: str, level: str = "INFO", json: bool = True) -> None:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_context,
        structlog.processors.format_exc_info,
        _redact,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False) if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            lambda _l, _n, ev: {"service": service, **ev},
            renderer,
        ],
    )
    handler = _StderrHandler()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
