"""Small platform pieces: relay settlement, trace context, settings, problem details."""

from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from labornet_common.platform.context import child_traceparent, new_traceparent, valid_traceparent
from labornet_common.platform.errors import FieldError, install_problem_handlers, invalid
from labornet_common.platform.outbox.relay import _settle
from labornet_common.platform.settings import BaseServiceSettings


def _rows(*keys: str):
    return [SimpleNamespace(id=i, partition_key=k) for i, k in enumerate(keys, start=1)]


def test_a_failed_event_holds_back_the_rest_of_its_case_only() -> None:
    rows = _rows("a", "b", "a", "b", "a")
    sent, failed = _settle(rows, [None, None, TimeoutError("x"), None, None])
    assert sent == [1, 2, 4]  # case b is unaffected
    assert [row_id for row_id, _ in failed] == [3, 5]  # a's failed event and everything after it


def test_trace_context() -> None:
    tp = new_traceparent()
    assert valid_traceparent(tp)
    child = child_traceparent(tp)
    assert child.split("-")[1] == tp.split("-")[1] and child != tp
    assert not valid_traceparent("00-" + "0" * 32 + "-" + "1" * 16 + "-01")
    assert valid_traceparent(child_traceparent("garbage"))


def test_settings_defaults_work_with_nothing_configured(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = BaseServiceSettings(service_name="intake")
    assert s.database_url == f"sqlite+aiosqlite:///{tmp_path / 'var' / 'data' / 'intake.db'}"
    assert s.kafka_client_id == "labornet-intake" and s.kafka_enable_idempotence is False


def test_production_refuses_the_development_secret(monkeypatch) -> None:
    monkeypatch.setenv("LABORNET_ENVIRONMENT", "production")
    with pytest.raises(ValueError, match="INTERNAL_SECRET"):
        BaseServiceSettings()
    monkeypatch.setenv("LABORNET_INTERNAL_SECRET", "a-real-secret-from-the-vault-0123456789")
    assert BaseServiceSettings().environment == "production"


@pytest.mark.parametrize(
    ("environment", "host", "allowed"),
    [
        ("embedded", "127.0.0.1", True),
        ("test", "::1", True),
        ("embedded", "localhost", True),
        ("embedded", "0.0.0.0", False),
        ("test", "10.0.0.5", False),
        ("development", "127.0.0.1", False),
        ("production", "127.0.0.1", False),
    ],
)
def test_the_development_secret_serves_only_an_embedded_or_test_stack_on_loopback(
    environment: str, host: str, allowed: bool
) -> None:
    if allowed:
        assert BaseServiceSettings(environment=environment, host=host).host == host
    else:
        with pytest.raises(ValueError, match="INTERNAL_SECRET"):
            BaseServiceSettings(environment=environment, host=host)
    real = BaseServiceSettings(environment=environment, host=host, internal_secret="r" * 40)
    assert real.internal_secret == "r" * 40


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    class Body(BaseModel):
        amount_fen: int = Field(ge=0)

    @app.post("/things")
    async def things(body: Body) -> dict:
        raise invalid(FieldError.of("name", "missing"))

    @app.get("/boom")
    async def boom() -> dict:
        raise RuntimeError("secret internals")

    return app


def _client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_problem_details_are_bilingual_and_name_the_field() -> None:
    client = _client()
    r = await client.post("/things", json={"amount_fen": -1})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    err = r.json()["errors"][0]
    assert err["field"] == "amount_fen" and err["code"] == "greater_than_equal"
    assert err["message_zh"] == "数值太小" and err["message_en"] == "Value too small"
    r = await client.post("/things", content=b"{oops", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "json_invalid"
    r = await client.post("/things", json={"amount_fen": 1})
    assert r.json()["errors"] == [
        {"field": "name", "code": "missing", "message_zh": "必填项不能为空", "message_en": "This field is required"}
    ]


async def test_unexpected_errors_leak_nothing() -> None:
    r = await _client().get("/boom")
    assert r.status_code == 500 and "secret" not in r.text
    assert r.json()["title_en"] == "Internal error; it has been logged"


def test_logs_are_json_with_context_and_no_pii(capsys) -> None:
    import json
    import logging as std_logging

    from labornet_common.platform.context import case_id_var, request_id_var
    from labornet_common.platform.logging import configure_logging

    configure_logging(service="intake", level="INFO", json=True)
    t1, t2 = request_id_var.set("req-1"), case_id_var.set("case-9")
    try:
        std_logging.getLogger("labornet.test").info("worker 11010519491231002X phone 13812341234 filed")
    finally:
        request_id_var.reset(t1)
        case_id_var.reset(t2)
        std_logging.getLogger().handlers.clear()
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["service"] == "intake" and line["request_id"] == "req-1" and line["case_id"] == "case-9"
    assert "11010519491231002X" not in line["event"] and "13812341234" not in line["event"]
    assert "110105********002X" in line["event"] and "138****1234" in line["event"]


def test_logs_follow_the_current_stderr_not_a_closed_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # A process (or a test) that built an app while its stderr was a capture keeps logging after
    # that capture is closed: records go to the stderr of the moment, never to a closed file.
    import io
    import logging as std_logging
    import sys

    from labornet_common.platform.logging import configure_logging

    root = std_logging.getLogger()
    saved = root.handlers[:], root.level
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(std_logging, "raiseExceptions", True)
    try:
        monkeypatch.setattr(sys, "stderr", first)
        configure_logging(service="intake", level="INFO", json=True)
        first.close()
        monkeypatch.setattr(sys, "stderr", second)
        std_logging.getLogger("labornet.test").info("after the capture closed")
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    # With the stream fixed at configuration, logging reports "--- Logging error ---"
    # (ValueError: I/O operation on closed file) on the stderr of the moment instead.
    assert "after the capture closed" in second.getvalue()
    assert "Logging error" not in second.getvalue()
