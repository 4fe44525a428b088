"""A database that refuses connections is a 503 with Retry-After, never a 500 with a traceback;
any other fault stays a 500 that leaks nothing."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from labornet_common.platform.broker import free_port
from labornet_common.platform.db import create_engine
from labornet_common.platform.errors import install_problem_handlers


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    refused = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nothing")  # nothing listens

    @app.get("/read")
    async def read() -> dict:
        async with refused.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return {}

    @app.get("/bug")
    async def bug() -> dict:
        raise KeyError("a programming error")

    return app


async def test_a_refused_database_connection_is_503_with_retry_after_and_a_bug_is_500() -> None:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        outage = await client.get("/read")
        bug = await client.get("/bug")
    assert outage.status_code == 503 and outage.headers["retry-after"] == "2"
    assert outage.headers["content-type"].startswith("application/problem+json")
    assert outage.json()["title_zh"] == "服务暂时不可用，请稍后再试" and "Traceback" not in outage.text
    assert bug.status_code == 500 and "KeyError" not in bug.text
