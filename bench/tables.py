"""What the benchmarks share for their output: nearest-rank percentiles, Markdown tables, and the
dated section each run appends to ``bench/results/<name>-<date>.md``."""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest rank: every reported value was observed (NaN when there is none)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1]


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]], *, right: Sequence[int] = ()) -> list[str]:
    """The lines of a Markdown table; the columns numbered in ``right`` are right-aligned."""
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(rule) + "|",
        *("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows),
    ]


def append_results(name: str, lines: Sequence[str]) -> Path:
    """Append one run to ``results/<name>-<today>.md``, headed by when, how it was called and the
    machine's load (the machine is shared: the load says how noisy the figures are)."""
    load = os.getloadavg()
    head = [
        f"## {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC  `{' '.join(sys.argv[1:]) or '(defaults)'}`",
        "",
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average at the end "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}",
        "",
    ]
    path = RESULTS / f"{name}-{dt.date.today():%Y-%m-%d}.md"
    with path.open("a") as f:
        f.write("\n".join([*head, *lines]) + "\n")
    print(f"appended to {path}")
    return path
