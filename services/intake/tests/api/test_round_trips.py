"""A new complaint is filed in one transaction of few statements: no lookup of rows the
transaction has just created, nothing read back that it wrote (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from labornet_common.testing.intake_support import as_, complaint_body, id_number

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_new_case_is_filed_in_one_short_transaction(intake, backend: str) -> None:
    engine = intake.app.state.runtime.engine.sync_engine
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", count)
    try:
        async with intake.client() as client:
            r = await client.post(
                "/api/v1/complaints",
                json=complaint_body(
                    employer_name="往返次数测试有限公司", worker_id_number=id_number("41030219900303345")
                ),
                headers=as_(None),
            )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert r.status_code == 201, r.text
    writes = [s for s in statements if not s.startswith("SELECT")]
    reads = [s for s in statements if s.startswith("SELECT")]
    # Reads: the employer's open cases (grouping) alone; the employer's filing lock is taken by
    # the insert that makes its row. Nothing the filing itself creates (passport, timeline
    # lines) is looked up first.
    assert len(reads) == 1, reads
    assert not any("FROM passports WHERE passports.case_id" in s for s in reads)
    assert not any("FROM timeline" in s for s in reads)
    assert len(statements) <= 10, statements
    # The case's first timeline lines (received, routed) go in together.
    timeline = [s for s in writes if s.startswith("INSERT INTO timeline")]
    assert len(timeline) == 1, timeline
    # Its events numbered and kept in one statement (PostgreSQL) or an upsert and one insert.
    outbox = [s for s in writes if "INSERT INTO outbox" in s]
    assert len(outbox) == 1, outbox
    if backend == "postgresql":
        assert outbox[0].startswith("WITH reserved AS") and "INSERT INTO event_streams" in outbox[0]
    else:
        assert outbox[0].startswith("INSERT INTO outbox")
