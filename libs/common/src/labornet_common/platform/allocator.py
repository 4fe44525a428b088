"""glibc's allocator, bounded for the long-running service processes (``labornet serve`` and
``labornet worker``).

Two of glibc's defaults make a service's resident memory grow with what it did once, not with
what it holds:

* The mmap threshold is dynamic. A block over it (128 KiB at start) is mapped on its own and
  unmapped when freed, but freeing one raises the threshold to that block's size (up to 32
  MiB). From then on blocks of that size come from the heap arenas and stay resident after
  they are freed. The scrypt of a legacy access code or a sign-in needs 16 MiB
  (``labornet_common.security.auth``) and runs in the thread pool.
* Every thread that allocates gets an arena of its own (up to eight per core), so those
  freed-but-resident blocks multiply with the pool's threads.

Measured: 24 scrypt hashes in ``asyncio.to_thread`` take a fresh interpreter from 42 to 138 MB
resident, and it stays there; with the threshold fixed at 128 KiB it stays at 42 MB. Setting
the threshold also switches its dynamic adjustment off (mallopt(3)). Two arenas bound what
threads can pin. A value given in the environment (``MALLOC_MMAP_THRESHOLD_``,
``MALLOC_ARENA_MAX``) wins; on a C library without ``mallopt`` (musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

# <malloc.h>
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's own starting value, kept fixed
ARENA_MAX = 2


def bound_allocator() -> dict[str, int]:
    """Fix the mmap threshold and cap the arenas for this process (call it before threads
    start); returns what was set."""
    if not sys.platform.startswith("linux"):
        return {}
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return {}
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:
        return {}
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    wanted = {
        "MALLOC_MMAP_THRESHOLD_": (M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
        "MALLOC_ARENA_MAX": (M_ARENA_MAX, ARENA_MAX),
    }
    return {
        name: value
        for name, (option, value) in wanted.items()
        if name not in os.environ and mallopt(option, value) == 1
    }
