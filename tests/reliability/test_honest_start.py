"""`labornet up` says so and exits non-zero when it cannot start, instead of announcing a
system that is not there."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from labornet_common.platform.broker import free_port


def test_a_port_already_in_use_stops_the_start_with_the_reason(tmp_path: Path) -> None:
    squatter = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        try:
            squatter.bind(("127.0.0.1", 8000))  # the gateway's port
            squatter.listen()
        except OSError:
            pass  # something else holds it already: the same situation for `labornet up`
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABORNET_")}
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "labornet_common.platform.cli",
                "up",
                "--data-dir",
                str(tmp_path),
                "--broker-port",
                str(free_port()),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
    finally:
        squatter.close()
    assert run.returncode == 2, run.stdout + run.stderr
    assert "gateway: 127.0.0.1:8000 is already in use" in run.stderr
    assert "LaborNet is running" not in run.stdout and "无法启动" in run.stderr


def test_up_starts_a_broker_that_died_again_on_its_port(tmp_path: Path) -> None:
    from labornet_common.platform.broker import EmbeddedBroker, wait_for_port
    from labornet_common.platform.cli import revive_broker

    broker = EmbeddedBroker(port=free_port(), log_path=tmp_path / "broker.log").start()
    try:
        first = broker.cluster_id
        assert not revive_broker(broker)  # alive: left alone
        broker.process.kill()  # type: ignore[union-attr]
        broker.process.wait()  # type: ignore[union-attr]
        assert revive_broker(broker)
        wait_for_port(broker.host, broker.port, timeout_s=5)
        assert not broker.killed() and broker.cluster_id != first  # a new cluster: clients notice
    finally:
        broker.stop()


class _Child:
    """A started service as ``labornet up`` sees it: running, or exited with a code."""

    def __init__(self, returncode: int | None = None) -> None:
        self.returncode = returncode

    def poll(self) -> int | None:
        return self.returncode


def _readiness_after(polls: dict[str, int]) -> Callable[[str], dict | None]:
    """A fake ``/readyz`` per service port: not answering, then ready after ``polls`` probes."""
    from labornet_common.platform.cli import _settings

    port_of = {f"http://{_settings(n).host}:{_settings(n).port}": n for n in polls}
    seen: dict[str, int] = dict.fromkeys(polls, 0)

    def ready(url: str) -> dict | None:
        name = port_of[url]
        seen[name] += 1
        return {"ready": True} if seen[name] > polls[name] else None

    return ready


def test_each_service_is_announced_ready_when_it_is_and_no_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from labornet_common.platform import cli, registry

    names = list(registry.service_specs())
    polls = {n: i for i, n in enumerate(names)}  # the last one needs the most probes
    monkeypatch.setattr(cli, "_ready", _readiness_after(polls))
    monkeypatch.setattr(cli.time, "sleep", lambda _s: None)  # no fixed wait: ready as probed
    children = {n: _Child() for n in names}
    started = time.monotonic()
    assert cli._await_ready(children, tmp_path, lambda: False) is None  # type: ignore[arg-type]
    assert time.monotonic() - started < 5
    announced = [line.split()[1] for line in capsys.readouterr().out.splitlines() if "✔" in line]
    assert announced == names  # in the order they became ready, each once


def test_a_service_that_exits_while_starting_stops_the_start_with_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from labornet_common.platform import cli, registry

    names = list(registry.service_specs())
    (tmp_path / "log").mkdir()
    (tmp_path / "log" / "mediation.log").write_text("starting\nOSError: [Errno 98] address already in use\n")
    monkeypatch.setattr(cli, "_ready", lambda _url: None)
    monkeypatch.setattr(cli.time, "sleep", lambda _s: None)
    children = {n: _Child(1 if n == "mediation" else None) for n in names}
    failed = cli._await_ready(children, tmp_path, lambda: False)  # type: ignore[arg-type]
    assert failed is not None and failed.startswith("mediation exited with 1 while starting")
    assert "address already in use" in failed  # the reason, from the service's own log


def test_up_exits_non_zero_with_the_reason_when_a_service_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole of ``labornet up`` around a service that dies while starting: exit 1, the
    reason on stderr, no "running" announcement, the other services and the broker stopped."""
    import argparse

    from labornet_common.platform import cli

    spawned: list[_SpawnedService] = []
    broker = _FakeBroker()

    def popen(argv: list[str], **_kw: object) -> _SpawnedService:
        spawned.append(_SpawnedService(argv[-1], exits=argv[-1] == "wage-arrears"))
        return spawned[-1]

    async def no_migrations(_names: list[str]) -> None:
        return None

    monkeypatch.setattr(cli, "_taken_ports", lambda _port: [])
    monkeypatch.setattr(cli, "_migrate", no_migrations)
    monkeypatch.setattr(cli, "EmbeddedBroker", lambda **_kw: broker)
    monkeypatch.setattr(cli.subprocess, "Popen", popen)
    monkeypatch.setattr(cli, "_ready", lambda _url: None)
    monkeypatch.setattr(cli.time, "sleep", lambda _s: None)
    monkeypatch.setattr(cli.signal, "signal", lambda *_a: None)  # pytest keeps its own handlers
    for var in ("DATA_DIR", "ENVIRONMENT", "KAFKA_BOOTSTRAP_SERVERS", "REPUBLISH_OUTBOX_ON_START"):
        monkeypatch.setenv(f"LABORNET_{var}", "")  # what `up` sets is undone after the test
    with pytest.raises(SystemExit) as exited:
        cli.cmd_up(argparse.Namespace(data_dir=str(tmp_path), broker_port=free_port()))
    out = capsys.readouterr()
    assert exited.value.code == 1
    assert "LaborNet did not start (未能启动): wage-arrears exited with 1 while starting" in out.err
    assert "LaborNet is running" not in out.out
    assert spawned and all(s.terminated or s.exits for s in spawned) and broker.stopped


class _SpawnedService(_Child):
    def __init__(self, name: str, *, exits: bool) -> None:
        super().__init__(1 if exits else None)
        self.name, self.exits, self.terminated = name, exits, False

    def terminate(self) -> None:
        self.terminated = True

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode or 0

    def kill(self) -> None:
        self.terminated = True


class _FakeBroker:
    stopped = False

    def start(self) -> _FakeBroker:
        return self

    def stop(self) -> None:
        self.stopped = True
