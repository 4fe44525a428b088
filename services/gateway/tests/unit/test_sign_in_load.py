"""Sign-ins check passwords with scrypt (16 MiB each) in threads; however many arrive at once,
at most PASSWORD_CHECKS_AT_ONCE run together, so a flood cannot pile up threads and memory."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx
import pytest

from labornet_gateway.config import GatewaySettings
from labornet_gateway.service import identity
from labornet_gateway.service.identity import PASSWORD_CHECKS_AT_ONCE, Identity


async def test_a_burst_of_sign_ins_runs_at_most_two_password_checks_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def slow_check(password: str, hashed: str) -> bool:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)  # scrypt's tens of milliseconds
        with lock:
            running -= 1
        return False

    monkeypatch.setattr(identity, "verify_password", slow_check)
    settings = GatewaySettings(environment="test", idp_key_file=str(tmp_path / "key.pem"))
    async with httpx.AsyncClient() as http:
        gate = Identity(settings=settings, http=http)
        answers = await asyncio.gather(*(gate.sign_in(username=f"someone-{i}", password="wrong") for i in range(12)))
    assert answers == [None] * 12
    assert most == PASSWORD_CHECKS_AT_ONCE == 2
