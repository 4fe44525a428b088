"""`labornet up` waits for readiness as it comes, and reports a service that dies while starting
with the end of its log instead of waiting out a fixed time."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from labornet_common.platform import cli, registry


def test_a_service_that_exits_while_starting_is_reported_with_its_log(tmp_path: Path) -> None:
    (tmp_path / "log").mkdir()
    for name in registry.service_specs():
        (tmp_path / "log" / f"{name}.log").write_text(f"{name} starting\nOSError: address already in use\n")
    children = {
        name: subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"]) for name in registry.service_specs()
    }
    for proc in children.values():
        proc.wait()
    started = time.monotonic()
    failed = cli._await_ready(children, tmp_path, lambda: False)
    assert failed is not None and "exited with 3 while starting" in failed
    assert "OSError: address already in use" in failed
    assert time.monotonic() - started < 10  # told at once, not after a fixed wait
