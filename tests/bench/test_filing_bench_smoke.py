"""Smoke run of bench/filing.py: it starts the stack and the bare baselines, runs every target
a few times and prints its table and ratios. No timing is asserted: the figures are for people,
this only keeps the command working."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
BENCH = Path(__file__).resolve().parents[2] / "bench" / "filing.py"


def test_filing_bench_runs_and_prints_its_table(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABORNET_")}
    args = ["--requests", "3", "--rounds", "1", "--warmup", "1", "--idle-seconds", "0.5", "--latency-filings", "2"]
    args += ["--open-rates", "2", "--open-seconds", "2"]
    run = subprocess.run(
        [sys.executable, str(BENCH), *args, "--backends", "sqlite", "--no-save"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = run.stdout
    for target in ("bare: row + outbox row", "bare: proxy -> row + outbox", "LaborNet: filing via gateway"):
        row = next((line for line in out.splitlines() if line.startswith(f"| {target} |")), None)
        assert row is not None, out
        assert row.split("|")[5].strip() == "0", row  # no failed request
    assert "filing via gateway / bare row + outbox:" in out
    assert "gateway's own CPU per filing / bare proxy's:" in out
    assert "Resident memory after the warm-up -> at the end (after every phase" in out
    assert "drains included), MB: intake" in out
    assert "Round trips per request, LaborNet: filing via gateway" in out
    assert "Complaint -> mediation case visible (one filing at a time, 2 filings" in out
    open_row = next((line for line in out.splitlines() if line.startswith("| 2 |")), None)  # the open-loop rate
    assert open_row is not None, out
    assert open_row.split("|")[3].strip() == "0", open_row  # no failed filing
    largest = open_row.split("|")[8].split()  # the largest service's resident memory at the rate's end
    assert largest[0] in ("intake", "mediation", "arbitration", "wage-arrears", "gateway"), open_row
    assert 0 < float(largest[1]) < 1000, open_row
    assert "Highest rate held:" in out
