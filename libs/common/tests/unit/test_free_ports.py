"""Ports for the test stacks' services: distinct, free, and below the kernel's ephemeral range,
where no outgoing connection can take one between its pick and its service's bind."""

from __future__ import annotations

import socket

from labornet_common.platform import broker
from labornet_common.platform.broker import LISTEN_PORTS_FROM, free_ports


def test_ports_are_distinct_free_and_below_the_ephemeral_range(tmp_path, monkeypatch) -> None:
    ranges = tmp_path / "ip_local_port_range"
    ranges.write_text("32768\t60999\n")
    monkeypatch.setattr(broker, "PORT_RANGE_FILE", ranges)
    ports = free_ports(12)
    assert len(set(ports)) == 12
    assert all(LISTEN_PORTS_FROM <= p < 32768 for p in ports)
    for port in ports:  # each can be listened on now
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


def test_a_port_taken_is_passed_over(tmp_path, monkeypatch) -> None:
    ranges = tmp_path / "ip_local_port_range"
    ranges.write_text("32768 60999")
    monkeypatch.setattr(broker, "PORT_RANGE_FILE", ranges)
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        free = other.getsockname()[1]
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        taken = held.getsockname()[1]
        draws = iter([taken, taken, free])
        monkeypatch.setattr(broker, "_draw", lambda _ceiling: next(draws))
        assert free_ports(1) == [free]


def test_without_the_range_the_kernel_picks(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(broker, "PORT_RANGE_FILE", tmp_path / "absent")
    assert broker._ephemeral_start() is None and broker._draw(None) == 0
    assert len(set(free_ports(3))) == 3
