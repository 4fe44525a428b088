"""Run the real services as separate processes for end-to-end tests.

Each service gets its own database (SQLite file or a fresh PostgreSQL database), free ports,
and the test's broker; each database is migrated first (as ``labornet migrate`` does), then
``labornet serve`` runs per service.
A service named in ``workers`` runs its relay and consumers in a process of their own
(``labornet worker``, named ``<service>-worker``), its API process runs neither. Fault tests
kill any process and start it again with ``Stack.start``.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from labornet_common.platform.broker import free_ports
from labornet_common.platform.db import create_engine
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.registry import service_names
from labornet_common.platform.registry import spec as service_spec
from labornet_common.testing.databases import fresh_database


@dataclass
class Stack:
    urls: dict[str, str]
    logs: dict[str, Path]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    databases: dict[str, str] = field(default_factory=dict)  # SQLAlchemy URL per service
    data_dirs: dict[str, Path] = field(default_factory=dict)
    # How each process is started: its ``labornet`` command and environment.
    commands: dict[str, list[str]] = field(default_factory=dict)
    envs: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def gateway(self) -> str:
        return self.urls["gateway"]

    def start(self, name: str) -> subprocess.Popen[bytes]:
        """Start process ``name`` (a service or ``<service>-worker``), again after it died."""
        log = self.logs[name].open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "labornet_common.platform.cli", *self.commands[name]],
            env=self.envs[name],
            stdout=log,
            stderr=log,
        )
        return self.processes[name]

    def log_tail(self, name: str, lines: int = 40) -> str:
        return "\n".join(self.logs[name].read_text(errors="replace").splitlines()[-lines:])


def _env(base: dict[str, str], **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABORNET_")}
    env.update(base)
    env.update(extra)
    return env


async def _wait_ready(stack: Stack, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    async with httpx.AsyncClient(timeout=3) as client:
        while time.monotonic() < deadline:
            try:
                r = await client.get(f"{stack.gateway}/readyz")
                if r.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            for name, proc in stack.processes.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{stack.log_tail(name)}")
            await asyncio.sleep(0.2)
    raise TimeoutError("stack not ready:\n" + "\n".join(stack.log_tail(n, 10) for n in stack.logs))


async def _migrate(name: str, database_url: str) -> None:
    """What ``labornet migrate <name>`` does, in this process: a ``labornet`` process spends
    seconds importing the platform before its fraction of a second of migrating, once per
    service and stack (the operability test's stacks run the command itself)."""
    engine = create_engine(database_url)
    try:
        await upgrade_to_head(engine, service_spec(name).migrations_dir)
    finally:
        await engine.dispose()


@asynccontextmanager
async def running_stack(
    *,
    backend: str,
    broker: str,
    workdir: Path,
    extra_env: dict[str, str] | None = None,
    workers: Sequence[str] = (),
    database_url_for: Callable[[str], str] | None = None,
    migrate_by_command: bool = False,
) -> AsyncIterator[Stack]:
    """``database_url_for`` rewrites the URL the processes are given (e.g. through a proxy);
    ``Stack.databases`` keeps the database's own. ``migrate_by_command`` runs ``labornet
    migrate`` per service instead of migrating in this process (the same upgrade, seconds slower)."""
    names = service_names()
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    common = {
        "LABORNET_KAFKA_BOOTSTRAP_SERVERS": broker,
        "LABORNET_ENVIRONMENT": "test",
        "LABORNET_LOG_JSON": "true",
        "LABORNET_RELAY_POLL_INTERVAL_S": "0.02",
        **{f"LABORNET_{n.upper().replace('-', '_')}_URL": urls[n] for n in names if n != "gateway"},
        **(extra_env or {}),
    }
    stack = Stack(
        urls=urls,
        logs={n: workdir / f"{n}.log" for n in [*names, *(f"{w}-worker" for w in workers)]},
        data_dirs={n: workdir / "data" / n for n in names},  # e.g. the gateway's signing key
    )
    async with AsyncExitStack() as exits:
        db_urls = {n: await exits.enter_async_context(fresh_database(backend, workdir)) for n in names}
        stack.databases = db_urls
        reach = database_url_for or (lambda url: url)
        envs = {
            n: _env(
                common,
                LABORNET_DATABASE_URL=reach(db_urls[n]),
                LABORNET_PORT=str(ports[n]),
                LABORNET_DATA_DIR=str(stack.data_dirs[n]),
            )
            for n in names
        }
        for n in names:
            if migrate_by_command:
                await asyncio.to_thread(
                    subprocess.run,
                    [sys.executable, "-m", "labornet_common.platform.cli", "migrate", n],
                    env=envs[n],
                    check=True,
                    capture_output=True,
                )
            else:
                await _migrate(n, reach(db_urls[n]))
        for n in names:
            stack.commands[n], stack.envs[n] = ["serve", n], envs[n]
            if n in workers:
                stack.envs[n] = {**envs[n], "LABORNET_RUN_RELAY": "false", "LABORNET_RUN_CONSUMERS": "false"}
                stack.commands[f"{n}-worker"], stack.envs[f"{n}-worker"] = ["worker", n], envs[n]
        for n in stack.commands:
            stack.start(n)
        try:
            await _wait_ready(stack, timeout_s=60)
            yield stack
        finally:
            for proc in stack.processes.values():
                proc.terminate()
            for proc in stack.processes.values():
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
