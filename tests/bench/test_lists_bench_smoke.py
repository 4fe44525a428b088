"""Smoke run of bench/lists.py on each backend: it fills every listed table (a few thousand rows),
reads first and deep pages through each service's query code and the bare baseline, and prints
the table and the plans. No timing is asserted: the figures are for people (at 1,000,000 rows),
this keeps the command working against the services' current tables and query code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from labornet_common.testing.databases import POSTGRES_ENV

pytestmark = pytest.mark.slow
BENCH = Path(__file__).resolve().parents[2] / "bench" / "lists.py"
ENDPOINTS = (
    "mediation cases",
    "mediation queue",
    "intake complaints",
    "arbitration applications",
    "wage-arrears alerts",
    "wage-arrears orders",
)


def test_lists_bench_runs_and_prints_its_table(db_backend: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABORNET_") or k == POSTGRES_ENV}
    run = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "3000", "--samples", "1", "--backends", db_backend, "--no-save"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    rows = [line.split("|")[1:-1] for line in run.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    pages = {(r[0].strip(), r[1].strip(), r[2].strip()): r for r in rows[1:]}
    for endpoint in ENDPOINTS:
        for page in ("first", "deep"):
            row = pages[(endpoint, "nationwide", page)]
            assert row[8].strip() == "20", row  # a full page, from the start and from a cursor
    assert "Plans (the statement each service sent, as the database ran it):" in run.stdout
