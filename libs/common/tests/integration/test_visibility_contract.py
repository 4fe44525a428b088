"""List filters must show exactly what a read by id would: ``visible_cases`` (SQL) agrees with
``Principal.can_see_case`` (Python) for every principal and row, on SQLite and PostgreSQL.
Keyset pages walk the whole visible set once."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column, DateTime, MetaData, String, Table, insert, select

from labornet_common.platform.db import create_engine
from labornet_common.platform.errors import Problem
from labornet_common.platform.pagination import Cursor, PageRequest
from labornet_common.security.auth import Principal, Role
from labornet_common.security.visibility import division_prefix, visible_cases

metadata = MetaData()
cases = Table(
    "cases",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("division", String(12), nullable=False),
    Column("assigned_to", String(200)),
    Column("at", DateTime(timezone=True), nullable=False),
)
STAFF = frozenset({Role.mediator, Role.clerk, Role.admin})
# Prefix edges: a scope ending in 9 ("4109": up to, not including, "411"), one of all nines.
DIVISIONS = ["410311", "410302001", "371002", "350102", "350103", "4103", "41", "410999", "4110", "419901", "42", "99"]
T0 = datetime(2026, 11, 1, tzinfo=UTC)
ROWS = [
    {"case_id": f"c{i:02d}", "division": d, "assigned_to": a, "at": T0 + timedelta(minutes=i // 2)}
    for i, (d, a) in enumerate(itertools.product(DIVISIONS, [None, "m-gulou", "other"]))
]
PRINCIPALS = [
    Principal(subject="m-gulou", roles=frozenset({Role.mediator}), region_scopes=("350102",)),
    Principal(subject="m-ly", roles=frozenset({Role.mediator}), region_scopes=("410300",)),
    Principal(subject="c-2", roles=frozenset({Role.clerk}), region_scopes=("3710", "350103")),
    Principal(subject="insp", roles=frozenset({Role.inspector}), region_scopes=("4103",)),  # not staff here
    Principal(subject="adm", roles=frozenset({Role.admin}), region_scopes=("*",)),
    Principal(subject="c-9", roles=frozenset({Role.clerk}), region_scopes=("4109", "4199", "99")),
    Principal(subject="w", roles=frozenset({Role.worker}), case_ids=frozenset({"c03", "c10"})),
    Principal(subject="nobody", roles=frozenset({Role.mediator})),
    Principal(subject="m-gulou", roles=frozenset({Role.court_liaison}), region_scopes=("350102",)),
]


def _python_view(principal: Principal) -> set[str]:
    def sees(row: dict) -> bool:
        if Role.worker in principal.roles and row["case_id"] in principal.case_ids:
            return True
        return principal.has_role(*STAFF) and principal.can_see_case(
            case_id=row["case_id"], division_codes=[row["division"]], assigned_to=row["assigned_to"]
        )

    return {row["case_id"] for row in ROWS if sees(row)}


def _clause(principal: Principal):
    c = cases.c
    return visible_cases(
        principal, staff_roles=STAFF, case_id=c.case_id, divisions=[c.division], assigned_to=c.assigned_to
    )


@pytest.fixture
async def engine(database_url: str):
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(insert(cases), ROWS)
    yield engine
    await engine.dispose()


async def test_sql_filter_matches_can_see_case(engine) -> None:
    async with engine.connect() as conn:
        for principal in PRINCIPALS:
            rows = (await conn.execute(select(cases.c.case_id).where(_clause(principal)))).scalars()
            assert set(rows) == _python_view(principal), principal


@pytest.mark.parametrize(
    ("prefix", "sql"),
    [
        ("4103", "cases.division >= '4103' AND cases.division < '4104'"),
        ("4109", "cases.division >= '4109' AND cases.division < '411'"),
        ("4199", "cases.division >= '4199' AND cases.division < '42'"),
        ("99", "cases.division >= '99'"),
    ],
)
def test_a_region_prefix_is_a_range(prefix: str, sql: str) -> None:
    clause = division_prefix(cases.c.division, prefix)
    assert str(clause.compile(compile_kwargs={"literal_binds": True})) == sql
    with pytest.raises(ValueError):
        division_prefix(cases.c.division, "41%")


async def test_a_region_scope_uses_the_division_index(database_url: str) -> None:
    """Under the databases' collation (C.UTF-8 on PostgreSQL) a LIKE prefix is no index range;
    the scope's range is, on both backends."""
    indexed = MetaData()
    table = Table(
        "scoped", indexed, Column("case_id", String(36), primary_key=True), Column("division", String(12), index=True)
    )
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(indexed.create_all)
            clerk = Principal(subject="c", roles=frozenset({Role.clerk}), region_scopes=("4103",))
            clause = visible_cases(clerk, staff_roles=STAFF, case_id=table.c.case_id, divisions=[table.c.division])
            query = select(table.c.case_id).where(clause)
            if conn.dialect.name == "postgresql":
                await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
                explain = "EXPLAIN "
            else:
                explain = "EXPLAIN QUERY PLAN "
            sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(r[-1]) for r in (await conn.exec_driver_sql(explain + sql)).all())
    finally:
        await engine.dispose()
    assert "ix_scoped_division" in plan, plan


async def test_keyset_pages_cover_the_visible_set_once(engine) -> None:
    admin = PRINCIPALS[4]
    seen: list[str] = []
    page = PageRequest(limit=4, after=None)
    async with engine.connect() as conn:
        while True:
            query = (
                select(cases)
                .where(_clause(admin), page.older_than_cursor(cases.c.at, cases.c.case_id))
                .order_by(cases.c.at.desc(), cases.c.case_id.desc())
                .limit(page.limit + 1)
            )
            rows = (await conn.execute(query)).all()
            seen += [r.case_id for r in rows[: page.limit]]
            if len(rows) <= page.limit:
                break
            last = rows[page.limit - 1]
            page = PageRequest(limit=4, after=Cursor.decode(Cursor(at=last.at, id=last.case_id).encode()))
    assert sorted(seen) == sorted(r["case_id"] for r in ROWS) and len(seen) == len(set(seen))


def test_a_tampered_cursor_is_a_field_error() -> None:
    with pytest.raises(Problem) as caught:
        Cursor.decode("not-a-cursor")
    assert caught.value.status == 422 and caught.value.errors[0].field == "cursor"
