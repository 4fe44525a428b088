"""The bare baselines `filing.py` compares LaborNet with: as little as a service can do.

    python bench/bare_service.py app   --port P --database URL
    python bench/bare_service.py proxy --port P --upstream http://127.0.0.1:Q

``app``: a FastAPI app whose ``POST /row`` inserts the JSON body as one row, and ``POST
/row-outbox`` inserts it plus one outbox row in one transaction; both answer 201 with the new
id. PostgreSQL through an asyncpg pool, SQLite through aiosqlite with the pragmas LaborNet's
engine sets (WAL, synchronous=NORMAL, BEGIN IMMEDIATE). ``GET /row/{id}`` reads one back.

``proxy``: a FastAPI app with one catch-all route that forwards method, path, query, headers
and body to ``--upstream`` with one pooled ``httpx.AsyncClient`` and answers with what came
back (read whole, as the gateway reads JSON answers).

Both are served exactly as ``labornet serve`` serves a service: ``uvicorn.run`` with its
defaults (uvloop and httptools when installed), no access log, no proxy headers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request, Response

ROWS = "CREATE TABLE IF NOT EXISTS bare_rows (id TEXT PRIMARY KEY, body TEXT NOT NULL)"
OUTBOX = (
    "CREATE TABLE IF NOT EXISTS bare_outbox (id TEXT PRIMARY KEY, topic TEXT NOT NULL, "
    "key TEXT NOT NULL, payload TEXT NOT NULL, published INTEGER NOT NULL DEFAULT 0)"
)


class PostgresStore:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.pool: Any = None

    async def open(self) -> None:
        import asyncpg

        self.pool = await asyncpg.create_pool(self.dsn, min_size=2, max_size=10)
        async with self.pool.acquire() as conn:
            await conn.execute(ROWS)
            await conn.execute(OUTBOX)

    async def close(self) -> None:
        await self.pool.close()

    async def insert(self, body: str, *, outbox: bool) -> str:
        row_id = uuid.uuid4().hex
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("INSERT INTO bare_rows (id, body) VALUES ($1, $2)", row_id, body)
            if outbox:
                await conn.execute(
                    "INSERT INTO bare_outbox (id, topic, key, payload) VALUES ($1, $2, $3, $4)",
                    uuid.uuid4().hex,
                    "bare.filed",
                    row_id,
                    body,
                )
        return row_id

    async def read(self, row_id: str) -> str | None:
        async with self.pool.acquire() as conn:
            return await conn.fetchval("SELECT body FROM bare_rows WHERE id = $1", row_id)


class SqliteStore:
    def __init__(self, path: str) -> None:
        self.path = path
        self.conn: Any = None
        self.lock = asyncio.Lock()  # one connection, one writer: what SQLite allows anyway

    async def open(self) -> None:
        import aiosqlite

        self.conn = await aiosqlite.connect(self.path, isolation_level=None)
        await self.conn.execute("PRAGMA journal_mode=WAL")
        await self.conn.execute("PRAGMA synchronous=NORMAL")
        await self.conn.execute(ROWS)
        await self.conn.execute(OUTBOX)

    async def close(self) -> None:
        await self.conn.close()

    async def insert(self, body: str, *, outbox: bool) -> str:
        row_id = uuid.uuid4().hex
        async with self.lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            await self.conn.execute("INSERT INTO bare_rows (id, body) VALUES (?, ?)", (row_id, body))
            if outbox:
                await self.conn.execute(
                    "INSERT INTO bare_outbox (id, topic, key, payload) VALUES (?, ?, ?, ?)",
                    (uuid.uuid4().hex, "bare.filed", row_id, body),
                )
            await self.conn.execute("COMMIT")
        return row_id

    async def read(self, row_id: str) -> str | None:
        async with self.conn.execute("SELECT body FROM bare_rows WHERE id = ?", (row_id,)) as cursor:
            row = await cursor.fetchone()
        return row[0] if row else None


def store_for(database: str) -> PostgresStore | SqliteStore:
    """``database`` is a SQLAlchemy URL as the test helpers hand them out."""
    if database.startswith("postgresql"):
        return PostgresStore(database.replace("postgresql+asyncpg://", "postgresql://", 1))
    return SqliteStore(database.split(":///", 1)[1])


def bare_app(database: str) -> FastAPI:
    store = store_for(database)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await store.open()
        try:
            yield
        finally:
            await store.close()

    app = FastAPI(lifespan=lifespan)

    async def _insert(request: Request, *, outbox: bool) -> Response:
        body = await request.body()
        json.loads(body)  # parsed, as any service parses what it stores
        row_id = await store.insert(body.decode("utf-8"), outbox=outbox)
        return Response(json.dumps({"id": row_id}), status_code=201, media_type="application/json")

    @app.post("/row")
    async def row(request: Request) -> Response:
        return await _insert(request, outbox=False)

    @app.post("/row-outbox")
    async def row_outbox(request: Request) -> Response:
        return await _insert(request, outbox=True)

    @app.get("/row/{row_id}")
    async def read(row_id: str) -> Response:
        found = await store.read(row_id)
        if found is None:
            return Response(status_code=404)
        return Response(found, media_type="application/json")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


DROPPED = {"host", "content-length", "connection", "keep-alive", "transfer-encoding"}


def bare_proxy(upstream: str) -> FastAPI:
    client = httpx.AsyncClient(base_url=upstream, timeout=15)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await client.aclose()

    app = FastAPI(lifespan=lifespan)

    @app.api_route("/{path:path}", methods=["GET", "POST"])
    async def forward(path: str, request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in DROPPED}
        answer = await client.request(
            request.method, f"/{path}", params=request.query_params, content=await request.body(), headers=headers
        )
        kept = {k: v for k, v in answer.headers.items() if k.lower() not in DROPPED | {"content-encoding"}}
        return Response(answer.content, status_code=answer.status_code, headers=kept)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["app", "proxy"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", default="")
    parser.add_argument("--upstream", default="")
    args = parser.parse_args()
    app = bare_app(args.database) if args.kind == "app" else bare_proxy(args.upstream)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, access_log=False, proxy_headers=False)


if __name__ == "__main__":
    main()
