"""Each list's text search finds the same rows on SQLite and PostgreSQL, and on PostgreSQL the
planner reads it through the list's search indexes: the pg_trgm index for a needle of 3
characters or more, the bigram index over the names for a 1- or 2-character one. The tables are
filled as bench/lists.py fills them (a few thousand rows, in the database), a few rows get
Chinese names, then ``VACUUM ANALYZE`` (VACUUM moves the rows a GIN index holds in its pending
list into the index proper); plans are ``EXPLAIN`` without timing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.listing import ListQuery
from labornet_common.platform.migrations import upgrade_to_head

ROWS = 3000
BENCH = Path(__file__).resolve().parents[1] / "bench" / "lists.py"


def _bench() -> Any:
    if "bench_lists" not in sys.modules:
        if str(BENCH.parent) not in sys.path:  # the bench modules import their shared tables module
            sys.path.insert(0, str(BENCH.parent))
        spec = importlib.util.spec_from_file_location("bench_lists", BENCH)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_lists"] = module
        spec.loader.exec_module(module)
    return sys.modules["bench_lists"]


# service -> [(list, table, id column, the column holding the names, the needles and the rows each finds)]
NAMES = {1001: "张三丰", 1002: "李四", 1003: "欧阳张三", 1004: "王五"}
CASES = {
    "mediation": [("mediation cases", "mediation_cases", "case_id", "worker_name", "med-")],
    "intake": [("intake complaints", "complaints", "case_id", "worker_name", "cmp-")],
    "arbitration": [("arbitration applications", "arb_applications", "application_id", "worker_name", "app-")],
    "wage-arrears": [
        ("wage-arrears alerts", "wa_alerts", "alert_id", "employer_name", "alert-"),
        ("wage-arrears orders", "wa_records", "record_id", "employer_key", "ord-"),
    ],
}
# needle -> the numbered rows it finds (among the renamed ones), and the index PostgreSQL reads
NEEDLES = {
    "张三丰": ({1001}, "search_trgm"),
    "张三": ({1001, 1003}, "search_short"),  # anywhere in the name, not only at its start
    "李": ({1002}, "search_short"),
    "欧阳张": ({1003}, "search_trgm"),
}


@pytest.mark.parametrize("service", list(CASES))
async def test_text_search_rows_and_plans(service: str, database_url: str) -> None:
    bench = _bench()
    engine = create_engine(database_url, pool_size=1)
    try:
        await upgrade_to_head(engine, bench.migrations_dir(service))
        dialect = bench.Dialect(engine.dialect.name)
        async with engine.begin() as conn:
            for statement in bench.FILLS[service][1](dialect, ROWS):
                await conn.exec_driver_sql(statement)
            for label, table, id_column, name_column, prefix in CASES[service]:
                for i, name in NAMES.items():
                    await conn.execute(
                        text(f"UPDATE {table} SET {name_column} = :name WHERE {id_column} = :id"),
                        {"name": name, "id": f"{prefix}{i}"},
                    )
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            vacuum = "VACUUM " if engine.dialect.name == "postgresql" else ""
            for _, table, *_ in CASES[service]:
                await conn.exec_driver_sql(f"{vacuum}ANALYZE {table}")
        captured = bench.Captured(engine)
        factory = session_factory(engine)
        endpoints = {ep.name: ep for ep in bench.ENDPOINTS}
        for label, table, id_column, _, prefix in CASES[service]:
            ep = endpoints[label]
            for needle, (numbers, index) in NEEDLES.items():
                items, _ = await ep.call(factory, bench.ADMIN, ListQuery(q=needle, limit=50), {})
                found = {str(_id(item, id_column)) for item in items}
                assert found == {f"{prefix}{i}" for i in numbers}, (label, needle)
                if engine.dialect.name == "postgresql":
                    plan = "\n".join(await _plan(engine, captured.statement, captured.parameters))
                    assert f"ix_{table}_{index}" in plan, (label, needle, plan)
                    assert "Seq Scan" not in plan, (label, needle, plan)
            # a needle of 3 characters or more still finds ids and numbers (``q`` as before)
            items, _ = await ep.call(factory, bench.ADMIN, ListQuery(q=f"{prefix}1004", limit=50), {})
            assert {str(_id(item, id_column)) for item in items} == {f"{prefix}1004"}
    finally:
        await engine.dispose()


async def _plan(engine: Any, statement: str | None, parameters: Any) -> list[str]:
    assert statement is not None
    async with engine.connect() as conn:
        rows = (await conn.exec_driver_sql("EXPLAIN (COSTS OFF) " + statement, parameters)).all()
    return [str(r[0]) for r in rows]


def _id(item: Any, column: str) -> Any:
    """A listed item's id: a row, a mapping or a record object (an order names its own id)."""
    if isinstance(item, dict):
        return item[column]
    mapping = getattr(item, "_mapping", None)
    if mapping is not None:
        return mapping[column]
    return getattr(item, column, None) or getattr(item, "order_id")
