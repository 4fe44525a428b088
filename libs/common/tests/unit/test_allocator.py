"""A service process's resident memory does not keep the 16 MiB blocks that scrypt hashes in the
thread pool freed: with the allocator bounded it stays near where it started; the same work in
an interpreter left with glibc's defaults keeps them (the control, so the test can fail)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt, /proc")

SCRIPT = """
import asyncio, sys
from labornet_common.platform.allocator import bound_allocator
from labornet_common.security.auth import hash_access_code, verify_access_code

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024

async def main():
    code = "ABCD-EFGH-JKLM"
    hashed = hash_access_code(code)
    before = rss_mb()
    for _ in range(2):
        await asyncio.gather(*(asyncio.to_thread(verify_access_code, code, hashed) for _ in range(12)))
    print(rss_mb() - before)

if sys.argv[1] == "bounded":
    assert bound_allocator() == {"MALLOC_MMAP_THRESHOLD_": 131072, "MALLOC_ARENA_MAX": 2}
asyncio.run(main())
"""


def _growth_mb(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return int(run.stdout.strip())


def test_freed_scrypt_blocks_do_not_stay_resident() -> None:
    assert _growth_mb("bounded") < 16
    assert _growth_mb("defaults") > 48  # glibc's defaults: the freed blocks stay
