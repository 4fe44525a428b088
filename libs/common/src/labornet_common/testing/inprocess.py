"""Services served by uvicorn inside the test's event loop: real HTTP, real databases, and
direct access to each service's database for the test's own checks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from labornet_common.platform.app import build_app
from labornet_common.platform.broker import free_ports
from labornet_common.platform.db import create_engine
from labornet_common.platform.http_server import QuietServer
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.registry import spec as service_spec
from labornet_common.platform.settings import DEV_INTERNAL_SECRET
from labornet_common.security.api_auth import PRINCIPAL_HEADER
from labornet_common.security.auth import Principal, sign_internal_principal
from labornet_common.testing.databases import fresh_database


def assertion(principal: Principal, secret: str = DEV_INTERNAL_SECRET) -> dict[str, str]:
    """The header the gateway would send for ``principal``."""
    return {PRINCIPAL_HEADER: sign_internal_principal(principal, secret=secret.encode())}


class SignedAs(Mapping[str, str]):
    """Headers for ``principal`` signed afresh at every request: a module-level constant of
    ``assertion(...)`` would expire (assertions live briefly) before a long suite reaches it."""

    def __init__(self, principal: Principal, secret: str = DEV_INTERNAL_SECRET) -> None:
        self._principal, self._secret = principal, secret

    def _signed(self) -> dict[str, str]:
        return assertion(self._principal, self._secret)

    def __getitem__(self, key: str) -> str:
        return self._signed()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._signed())

    def __len__(self) -> int:
        return 1


@asynccontextmanager
async def serving(app: Any, port: int) -> AsyncIterator[str]:
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False, proxy_headers=False)
    server = QuietServer(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped before starting")
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@dataclass
class Services:
    urls: dict[str, str] = field(default_factory=dict)
    databases: dict[str, str] = field(default_factory=dict)
    apps: dict[str, Any] = field(default_factory=dict)


@asynccontextmanager
async def running_services(
    names: list[str], *, backend: str, broker: str, workdir: Path, **settings: Any
) -> AsyncIterator[Services]:
    """Migrate a fresh database per service and serve each one; the gateway (if listed) is
    pointed at the others. Relays and consumers are off: tests arrange state themselves."""
    services = Services()
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    services.urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    async with AsyncExitStack() as stack:
        for name in names:
            spec = service_spec(name)
            url = await stack.enter_async_context(fresh_database(backend, workdir))
            engine = create_engine(url)
            try:
                await upgrade_to_head(engine, spec.migrations_dir)
            finally:
                await engine.dispose()
            upstreams = {f"{other.replace('-', '_')}_url": services.urls[other] for other in names if other != name}
            extra = {**settings, **upstreams} if name == "gateway" else dict(settings)
            config = spec.settings_cls(
                database_url=url,
                environment="test",
                kafka_bootstrap_servers=broker,
                run_relay=False,
                run_consumers=False,
                data_dir=workdir / name,
                port=ports[name],
                log_json=True,
                **{k: v for k, v in extra.items() if k in spec.settings_cls.model_fields},
            )
            services.databases[name] = url
            services.apps[name] = build_app(spec, config)
        for name in names:
            await stack.enter_async_context(serving(services.apps[name], ports[name]))
        yield services
