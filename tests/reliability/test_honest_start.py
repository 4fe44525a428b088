"""`labornet up` says so and exits non-zero when it cannot start, instead of announcing a
system that is not there."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from labornet_common.broker import free_port


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
                "labornet_common.cli",
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
    from labornet_common.broker import EmbeddedBroker, wait_for_port
    from labornet_common.cli import revive_broker

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
