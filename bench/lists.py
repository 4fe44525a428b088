"""Lists and queues at scale: first and deep keyset pages over 1,000,000 rows, side by side with
a bare ``SELECT … ORDER BY … LIMIT``, with the query plans.

    python bench/lists.py [--rows 1000000] [--samples 30] [--backends postgresql,sqlite]
                          [--endpoints mediation,intake,arbitration,wage-arrears] [--no-save]

Each service gets a fresh database migrated to head (its real tables and indexes), filled in the
database itself with ``--rows`` rows per listed table (one ``INSERT … SELECT`` over
``generate_series`` on PostgreSQL, a recursive CTE on SQLite: no ORM, no rows through Python),
then ``ANALYZE``. The data: timestamps 90 s apart over ~2.9 years, 30 provinces × 17 cities × 9
counties (city ``4103`` holds 1/510 of the rows, province ``41`` 1/30), and only the newest 5 %
of cases still open (the queue), as on a system that has run for years.

Every page is read through the service's own query code (the adapter or query function the
endpoint calls, with its scope, filters and keyset), as a principal of the listed scope. The
bare baseline reads a page of the same table in the same order with no scope or filter: the
floor a page cannot beat. ``first`` is the first page, ``deep`` the page after the row in the
middle of the order (a cursor as a client would send it). Samples alternate between the two, so
the shared machine's noise falls on both. The plan of each service query is the database's own
(``EXPLAIN ANALYZE`` on PostgreSQL, ``EXPLAIN QUERY PLAN`` on SQLite) of the statement the code
sent, captured from the engine. Percentiles are nearest-rank (with 30 samples p99 is the max).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from tables import append_results, markdown_table, percentile

from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.listing import KeysetCursor, ListQuery
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal, Role
from labornet_common.security.crypto import PiiCipher
from labornet_common.testing.databases import POSTGRES_ENV, fresh_database, postgres_base_url

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC)
PAGE = 20

ADMIN = Principal(subject="bench-admin", roles=frozenset({Role.admin}), region_scopes=("*",))


def staff(role: Role, scope: str) -> Principal:
    return Principal(subject=f"bench-{role.value}-{scope}", roles=frozenset({role}), region_scopes=(scope,))


# --- filling, in the database -------------------------------------------------------------
@dataclass(frozen=True)
class Dialect:
    """The few SQL expressions the fills need, spelled for one backend; ``i`` is the row number."""

    name: str

    def series(self, rows: int) -> tuple[str, str]:
        """(a WITH prefix, a FROM source) yielding i = 1..rows."""
        if self.name == "postgresql":
            return "", f"generate_series(1, {rows}) AS s(i)"
        return f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {rows}) ", "s"

    def ts(self, seconds: str) -> str:
        if self.name == "postgresql":
            return f"(TIMESTAMPTZ '2024-01-01 00:00:00+00' + ({seconds}) * INTERVAL '1 second')"
        return f"strftime('%Y-%m-%d %H:%M:%S.000000', '2024-01-01', '+' || ({seconds}) || ' seconds')"

    def day(self, days: str) -> str:
        if self.name == "postgresql":
            return f"(DATE '2024-01-01' + ({days}))"
        return f"date('2024-01-01', '+' || ({days}) || ' days')"

    def json(self, literal: str) -> str:
        return f"CAST('{literal}' AS JSON)" if self.name == "postgresql" else f"'{literal}'"

    def json_object(self, *pairs: str) -> str:
        return f"{'json_build_object' if self.name == 'postgresql' else 'json_object'}({', '.join(pairs)})"

    def chinese_name(self) -> str:
        """A 2- or 3-character name: one of 100 surnames (CJK U+4E00..), one of 3,000 given-name
        characters, and every other row a third: a 2-character name is held by ~3 rows in 1,000,000."""
        c = "chr" if self.name == "postgresql" else "char"
        third = f"CASE WHEN i % 2 = 0 THEN {c}(23068 + (i / 300000) % 1000) ELSE '' END"
        return f"({c}(19968 + i % 100) || {c}(20068 + (i / 100) % 3000) || {third})"

    def boolean(self, condition: str) -> str:
        return f"({condition})" if self.name == "postgresql" else f"CASE WHEN {condition} THEN 1 ELSE 0 END"


# GB/T 2260-shaped six-digit codes: province 12..41 (i % 30), city 01..17, county 01..09.
DIVISION = "CAST((12 + i % 30) * 10000 + (1 + (i / 30) % 17) * 100 + 1 + (i / 510) % 9 AS VARCHAR(12))"
SECONDS = "i * 90"  # one row every 90 s: 1,000,000 rows span 2024-01-01 to late 2026
DAYS = "i / 960"  # the local day of the row's time


def _choice(expr: str, values: tuple[str, ...]) -> str:
    whens = " ".join(f"WHEN {k} THEN '{v}'" for k, v in enumerate(values))
    return f"CASE ({expr}) % {len(values)} {whens} END"


def _open_or_closed(rows: int, open_: tuple[str, ...], closed: tuple[str, ...]) -> str:
    """The newest 5 % of rows in one of ``open_``, the rest in one of ``closed``."""
    return f"CASE WHEN i > {rows - rows // 20} THEN {_choice('i', open_)} ELSE {_choice('i', closed)} END"


def mediation_fill(d: Dialect, rows: int) -> list[str]:
    with_, source = d.series(rows)
    status = _open_or_closed(
        rows, ("RECEIVED", "ACCEPTED", "MEDIATING"), ("AGREED", "FAILED", "PERFORMED", "WITHDRAWN")
    )
    return [
        f"{with_}INSERT INTO mediation_cases (case_id, division_code, status, worker_name, employer_name, facts, "
        "received_on, due_on, opened_at, assigned_to, centre_id, tracking_number) "
        f"SELECT 'med-' || i, {DIVISION}, {status}, {d.chinese_name()}, 'employer ' || (i % 5000), 'bench', "
        f"{d.day(DAYS)}, {d.day(f'{DAYS} + 15')}, {d.ts(SECONDS)}, "
        f"CASE WHEN i % 3 = 0 THEN 'bench-mediator-' || (i % 50) END, 'centre-' || (i % 40), 'TJ' || i FROM {source}"
    ]


def intake_fill(d: Dialect, rows: int) -> list[str]:
    with_, source = d.series(rows)
    status = _open_or_closed(rows, ("RECEIVED",), ("ROUTED", "ROUTED", "FORWARDED", "CLOSED"))
    return [
        f"{with_}INSERT INTO complaints (case_id, tracking_number, channel, status, region_code, workplace_division, "
        "worker_name, employer_name, facts, claims, received_at, accepted_in_region, target_org_id) "
        f"SELECT 'cmp-' || i, 'TN' || i, 'online', {status}, {DIVISION}, {DIVISION}, {d.chinese_name()}, "
        f"'employer ' || (i % 5000), 'bench', {d.json('[]')}, {d.ts(SECONDS)}, "
        f"CASE WHEN i % 10 = 0 THEN {DIVISION} END, 'centre-' || (i % 40) FROM {source}"
    ]


def arbitration_fill(d: Dialect, rows: int) -> list[str]:
    with_, source = d.series(rows)
    status = _open_or_closed(
        rows, ("SUBMITTED", "ACCEPTED", "TRIBUNAL_FORMED"), ("AWARDED", "EFFECTIVE", "WITHDRAWN", "NOT_ACCEPTED")
    )
    empty, nothing = d.json("[]"), d.json("{}")
    return [
        f"{with_}INSERT INTO arb_applications (application_id, case_id, source, source_key, status, version, "
        "division_code, commission_id, commission_division, worker_name, worker_count, collective, employer_name, "
        "facts, claims, received_on, acceptance_due_on, correction_items, reasons, extension_days, paused_days, "
        "recusals, court, created_at, worker_keys, joined_filings, history, procedure) "
        f"SELECT 'app-' || i, 'case-' || i, 'direct', 'direct:' || i, {status}, 0, {DIVISION}, "
        f"'commission-' || (i % 40), {DIVISION}, {d.chinese_name()}, 1, {d.boolean('i % 50 = 0')}, "
        f"'employer ' || (i % 5000), 'bench', {empty}, {d.day(DAYS)}, {d.day(f'{DAYS} + 5')}, {empty}, {empty}, "
        f"0, 0, {empty}, {nothing}, {d.ts(SECONDS)}, {empty}, {empty}, {empty}, {nothing} FROM {source}"
    ]


def wage_arrears_fill(d: Dialect, rows: int) -> list[str]:
    with_, source = d.series(rows)
    state = _open_or_closed(rows, ("open", "acknowledged", "dispatched"), ("resolved", "closed"))
    empty, nothing = d.json("[]"), d.json("{}")
    order = d.json_object("'order_id'", "'ord-' || i", "'region_code'", DIVISION, "'amount_fen'", "(i % 997) * 1000")
    return [
        f"{with_}INSERT INTO wa_alerts (alert_id, alert_key, occurrence, rule, severity, state, region_code, "
        "subject_kind, employer_key, employer_name, source, summary_zh, action, case_ids, worker_count, amount_fen, "
        "basis, raised_at, updated_at, escalation_level, reason, history) "
        f"SELECT 'alert-' || i, 'key-' || i, 1, 'R1', {_choice('i', ('red', 'orange', 'yellow'))}, {state}, "
        f"{DIVISION}, 'employer', 'name:employer ' || (i % 5000), 'employer ' || (i % 5000), 'cases', 'bench', "
        f"'visit', {empty}, 1, (i % 997) * 1000, {nothing}, {d.ts(SECONDS)}, {d.ts(SECONDS)}, 0, '', {empty} "
        f"FROM {source}",
        f"{with_}INSERT INTO wa_records (record_id, kind, employer_key, region_code, record, updated_at) "
        f"SELECT 'ord-' || i, 'order', 'name:employer ' || (i % 5000), {DIVISION}, {order}, {d.ts(SECONDS)} "
        f"FROM {source}",
    ]


# --- the endpoints and what each is asked -----------------------------------------------------
Call = Callable[[async_sessionmaker[AsyncSession], Principal, ListQuery, dict[str, Any]], Awaitable[tuple[list, Any]]]


@dataclass(frozen=True)
class Scenario:
    label: str
    principal: Principal
    query: dict[str, Any] = field(default_factory=dict)  # ListQuery fields
    extra: dict[str, Any] = field(default_factory=dict)  # the endpoint's own filters
    deep_where: str = ""  # where the deep page's starting row is taken from (default: anywhere)


@dataclass(frozen=True)
class Endpoint:
    name: str
    service: str
    table: str
    id_column: str
    orders: dict[str, tuple[str, bool]]  # sort name -> (column, descending)
    default_sort: str
    call: Call
    scenarios: list[Scenario]
    bare_where: str = ""  # what the list always filters on (one kind of record): the baseline too


async def _mediation(factory, principal, query, extra):  # type: ignore[no-untyped-def]
    from labornet_mediation.adapters import case_search

    queue = bool(extra.get("queue"))
    async with factory() as session:
        return await case_search.search(
            session=session,
            principal=principal,
            query=query,
            today=TODAY,
            queue=queue,
            default_sort="due_asc" if queue else "opened_desc",
        )


_CIPHER = PiiCipher(keys={"bench": os.urandom(32)}, active_key_id="bench", index_key=os.urandom(32))


async def _intake(factory, principal, query, extra):  # type: ignore[no-untyped-def]
    from labornet_intake.adapters import complaint_search

    async with factory() as session:
        return await complaint_search.search(session=session, principal=principal, query=query, cipher=_CIPHER)


async def _arbitration(factory, principal, query, extra):  # type: ignore[no-untyped-def]
    from labornet_arbitration.adapters import application_search

    async with factory() as session:
        return await application_search.search(session=session, principal=principal, query=query, today=TODAY)


def _wage_uow(factory: async_sessionmaker[AsyncSession]) -> UnitOfWork:
    from labornet_wage_arrears.adapters.orm import messaging

    return UnitOfWork(factory, messaging, source="wage-arrears")


async def _alerts(factory, principal, query, extra):  # type: ignore[no-untyped-def]
    from labornet_wage_arrears.service import queries

    filters = queries.AlertFilter(region=extra.get("region"))
    page = await queries.list_alerts(uow=_wage_uow(factory), principal=principal, query=query, filters=filters, now=NOW)
    return page.items, page.next_cursor


async def _orders(factory, principal, query, extra):  # type: ignore[no-untyped-def]
    from labornet_wage_arrears.service import records

    return await records.search_records(
        uow=_wage_uow(factory),
        principal=principal,
        kind="order",
        region=extra.get("region"),
        employer_uscc=None,
        query=query,
    )


MEDIATOR_CITY, MEDIATOR_PROVINCE = staff(Role.mediator, "4103"), staff(Role.mediator, "41")
CLERK_CITY, INSPECTOR_CITY, INSPECTOR_PROVINCE = (
    staff(Role.clerk, "4103"),
    staff(Role.inspector, "4103"),
    staff(Role.inspector, "41"),
)
MONTH = {"date_from": dt.date(2025, 6, 1), "date_to": dt.date(2025, 6, 30)}
# The names the fill gives rows 424242 (three characters) and 424243 (two): see Dialect.chinese_name.
NAME_3 = chr(19968 + 424242 % 100) + chr(20068 + (424242 // 100) % 3000) + chr(23068 + (424242 // 300000) % 1000)
NAME_2 = chr(19968 + 424243 % 100) + chr(20068 + (424243 // 100) % 3000)
TEXT_SEARCHES = [
    Scenario("q: a 3-character name (trigram index)", ADMIN, {"q": NAME_3}),
    Scenario("q: a 2-character name (bigram index)", ADMIN, {"q": NAME_2}),
    Scenario("q: an employer", ADMIN, {"q": "employer 4242"}),
]
ACTIVE_CASES = "status IN ('RECEIVED', 'ACCEPTED', 'MEDIATING')"

ENDPOINTS = [
    Endpoint(
        "mediation cases",
        "mediation",
        "mediation_cases",
        "case_id",
        {"opened_desc": ("opened_at", True), "received_asc": ("received_on", False), "due_asc": ("due_on", False)},
        "opened_desc",
        _mediation,
        [
            Scenario("nationwide", ADMIN),
            Scenario("province 41", MEDIATOR_PROVINCE),
            Scenario("city 4103", MEDIATOR_CITY),
            Scenario("status FAILED", ADMIN, {"status": ("FAILED",)}),
            Scenario("status TRANSFERRED (none)", ADMIN, {"status": ("TRANSFERRED",)}),
            Scenario("clock overdue", ADMIN, {"clock": "overdue"}),
            *TEXT_SEARCHES,
            Scenario("received in one month", ADMIN, MONTH),
            Scenario("centre", ADMIN, {"centre": "centre-7"}),
            Scenario("sort received_asc", ADMIN, {"sort": "received_asc"}),
            Scenario("sort due_asc", ADMIN, {"sort": "due_asc"}),
        ],
    ),
    Endpoint(
        "mediation queue",
        "mediation",
        "mediation_cases",
        "case_id",
        {"due_asc": ("due_on", False)},
        "due_asc",
        _mediation,
        [
            Scenario("nationwide", ADMIN, extra={"queue": True}, deep_where=ACTIVE_CASES),
            Scenario("mediator, city 4103", MEDIATOR_CITY, extra={"queue": True}, deep_where=ACTIVE_CASES),
            Scenario("mediator, province 41", MEDIATOR_PROVINCE, extra={"queue": True}, deep_where=ACTIVE_CASES),
        ],
    ),
    Endpoint(
        "intake complaints",
        "intake",
        "complaints",
        "case_id",
        {"received_desc": ("received_at", True), "received_asc": ("received_at", False)},
        "received_desc",
        _intake,
        [
            Scenario("nationwide", ADMIN),
            Scenario("clerk, city 4103", CLERK_CITY),
            Scenario("status RECEIVED", ADMIN, {"status": ("RECEIVED",)}),
            Scenario("status REDIRECTED (none)", ADMIN, {"status": ("REDIRECTED",)}),
            *TEXT_SEARCHES,
            Scenario("received in one month", ADMIN, MONTH),
            Scenario("centre", ADMIN, {"centre": "centre-7"}),
            Scenario("sort received_asc", ADMIN, {"sort": "received_asc"}),
        ],
    ),
    Endpoint(
        "arbitration applications",
        "arbitration",
        "arb_applications",
        "application_id",
        {"created_desc": ("created_at", True), "received_desc": ("received_on", True)},
        "created_desc",
        _arbitration,
        [
            Scenario("nationwide", ADMIN),
            Scenario("clerk, city 4103", CLERK_CITY),
            Scenario("status SUBMITTED", ADMIN, {"status": ("SUBMITTED",)}),
            Scenario("status AWARDED", ADMIN, {"status": ("AWARDED",)}),
            *TEXT_SEARCHES,
            Scenario("received in one month", ADMIN, MONTH),
            Scenario("centre", ADMIN, {"centre": "commission-7"}),
            Scenario("sort received_desc", ADMIN, {"sort": "received_desc"}),
        ],
    ),
    Endpoint(
        "wage-arrears alerts",
        "wage-arrears",
        "wa_alerts",
        "alert_id",
        {"raised_desc": ("raised_at", True), "amount_desc": ("amount_fen", True)},
        "raised_desc",
        _alerts,
        [
            Scenario("nationwide", ADMIN),
            Scenario("inspector, province 41", INSPECTOR_PROVINCE),
            Scenario("inspector, city 4103", INSPECTOR_CITY),
            Scenario("region filter 4103", ADMIN, extra={"region": "4103"}),
            Scenario("status open", ADMIN, {"status": ("open",)}),
            Scenario("q: an employer", ADMIN, {"q": "employer 4242"}),
            Scenario("sort amount_desc", ADMIN, {"sort": "amount_desc"}),
        ],
    ),
    Endpoint(
        "wage-arrears orders",
        "wage-arrears",
        "wa_records",
        "record_id",
        {"updated_desc": ("updated_at", True)},
        "updated_desc",
        _orders,
        [
            Scenario("nationwide", ADMIN),
            Scenario("inspector, city 4103", INSPECTOR_CITY),
            Scenario("region filter 4103", ADMIN, extra={"region": "4103"}),
        ],
        bare_where="kind = 'order'",
    ),
]
FILLS = {
    "mediation": ("mediation_cases", mediation_fill),
    "intake": ("complaints", intake_fill),
    "arbitration": ("arb_applications", arbitration_fill),
    "wage-arrears": ("wa_alerts, wa_records", wage_arrears_fill),
}


def migrations_dir(service: str) -> Path:
    module = {
        "mediation": "labornet_mediation.main",
        "intake": "labornet_intake.main",
        "arbitration": "labornet_arbitration.main",
        "wage-arrears": "labornet_wage_arrears.main",
    }[service]
    spec = __import__(module, fromlist=["SPEC"]).SPEC
    return Path(spec.migrations_dir)


# --- measuring --------------------------------------------------------------------------------


class Captured:
    """The last list statement (ORDER BY … LIMIT) an engine sent, with its parameters."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.statement: str | None = None
        self.parameters: Any = None
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if "ORDER BY" in statement and "LIMIT" in statement and not statement.lstrip().upper().startswith("EXPLAIN"):
            self.statement, self.parameters = statement, parameters


async def explain(engine: AsyncEngine, statement: str, parameters: Any) -> list[str]:
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            prefix = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) "
        else:
            prefix = "EXPLAIN QUERY PLAN "
        rows = (await conn.exec_driver_sql(prefix + statement, parameters)).all()
    return [str(r[-1]) for r in rows]


_INDEX_READ = re.compile(
    r"(?:Index Scan|Index Only Scan|Bitmap Index Scan|USING (?:COVERING )?INDEX)"
    r"\s*(?:Backward\s*)?(?:using|on)?\s*(\w+)"
)


def plan_verdict(plan: list[str]) -> str:
    """``index`` when every table read is an index read, else what reads the table whole."""
    joined = "\n".join(plan)
    if re.search(r"Seq Scan|\bSCAN (?!.*USING)", joined):
        return "TABLE SCAN"
    names = sorted(set(re.findall(_INDEX_READ, joined)))
    sorted_ = " + sort" if re.search(r"\bSort\b|TEMP B-TREE", joined) else ""
    return ("index " + ", ".join(names) if names else "index") + sorted_


@dataclass
class Row:
    endpoint: str
    scenario: str
    page: str
    ours: list[float]
    bare: list[float]
    found: int
    verdict: str
    plan: list[str]


async def _cursor_at_middle(engine: AsyncEngine, ep: Endpoint, sort: str, where: str, rows: int) -> str:
    column, descending = ep.orders[sort]
    direction = "DESC" if descending else "ASC"
    async with engine.connect() as conn:
        count = (
            rows
            if not where
            else (await conn.execute(text(f"SELECT count(*) FROM {ep.table} WHERE {where}"))).scalar_one()
        )
        sql = (
            f"SELECT {column}, {ep.id_column} FROM {ep.table} {'WHERE ' + where if where else ''} "
            f"ORDER BY {column} {direction}, {ep.id_column} {direction} LIMIT 1 OFFSET {max(count // 2 - 1, 0)}"
        )
        value, ident = (await conn.execute(text(sql))).one()
    if isinstance(value, str) and engine.dialect.name == "sqlite" and column.endswith("_at"):
        value = dt.datetime.fromisoformat(value)
    elif isinstance(value, str) and engine.dialect.name == "sqlite" and column.endswith("_on"):
        value = dt.date.fromisoformat(value)
    return KeysetCursor(sort=sort, value=value, id=str(ident)).encode()


def _bare_sql(ep: Endpoint, sort: str, deep: bool) -> str:
    column, descending = ep.orders[sort]
    direction, op = ("DESC", "<") if descending else ("ASC", ">")
    clauses = [ep.bare_where] if ep.bare_where else []
    if deep:
        clauses.append(f"({column}, {ep.id_column}) {op} (:value, :ident)")
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    return f"SELECT * FROM {ep.table} {where}ORDER BY {column} {direction}, {ep.id_column} {direction} LIMIT {PAGE + 1}"


async def measure_endpoint(engine: AsyncEngine, ep: Endpoint, rows: int, samples: int) -> list[Row]:
    factory = session_factory(engine)
    captured = Captured(engine)
    out: list[Row] = []
    for sc in ep.scenarios:
        sort = sc.query.get("sort") or ep.default_sort
        deep_cursor = await _cursor_at_middle(engine, ep, sort, sc.deep_where or ep.bare_where, rows)
        deep_value = KeysetCursor.decode(deep_cursor, sort=sort)
        for page, cursor in (("first", None), ("deep", deep_cursor)):
            query = ListQuery(limit=PAGE, cursor=cursor, **sc.query)
            bare = text(_bare_sql(ep, sort, cursor is not None))
            params = {"value": deep_value.value, "ident": deep_value.id} if cursor else {}
            ours_ms: list[float] = []
            bare_ms: list[float] = []
            found = 0
            await ep.call(factory, sc.principal, query, sc.extra)  # warm-up: connections, first plans
            for _ in range(samples):
                started = time.perf_counter()
                items, _next = await ep.call(factory, sc.principal, query, sc.extra)
                ours_ms.append((time.perf_counter() - started) * 1000)
                found = len(items)
                started = time.perf_counter()
                async with factory() as session:
                    (await session.execute(bare, params)).all()
                bare_ms.append((time.perf_counter() - started) * 1000)
            await ep.call(factory, sc.principal, query, sc.extra)  # the statement whose plan is shown
            plan = await explain(engine, captured.statement or "", captured.parameters)
            out.append(Row(ep.name, sc.label, page, ours_ms, bare_ms, found, plan_verdict(plan), plan))
    return out


async def fill(engine: AsyncEngine, service: str, rows: int) -> float:
    started = time.perf_counter()
    dialect = Dialect(engine.dialect.name)
    async with engine.begin() as conn:
        for statement in FILLS[service][1](dialect, rows):
            await conn.exec_driver_sql(statement)
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        # VACUUM also moves the rows a GIN index (the text search) holds in its pending list into
        # the index proper, as autovacuum would on a live system.
        vacuum = "VACUUM " if engine.dialect.name == "postgresql" else ""
        for table in FILLS[service][0].split(", "):
            await conn.exec_driver_sql(f"{vacuum}ANALYZE {table}")
    return time.perf_counter() - started


async def run_backend(backend: str, args: argparse.Namespace, workdir: Path) -> list[str]:
    rows: list[Row] = []
    fills: list[str] = []
    for service in args.endpoints:
        async with fresh_database(backend, workdir) as url:
            engine = create_engine(url, pool_size=2)
            try:
                await upgrade_to_head(engine, migrations_dir(service))
                took = await fill(engine, service, args.rows)
                fills.append(f"{service} {took:.1f} s")
                print(f"{backend}: {service} filled with {args.rows:,} rows per table in {took:.1f} s", flush=True)
                for ep in ENDPOINTS:
                    if ep.service == service:
                        rows += await measure_endpoint(engine, ep, args.rows, args.samples)
            finally:
                await engine.dispose()
    return report(backend, args, rows, fills)


def report(backend: str, args: argparse.Namespace, rows: list[Row], fills: list[str]) -> list[str]:
    table = []
    for r in rows:
        o50, o99 = percentile(r.ours, 50), percentile(r.ours, 99)
        b50, b99 = percentile(r.bare, 50), percentile(r.bare, 99)
        times = [f"{o50:.2f}", f"{o99:.2f}", f"{b50:.2f}", f"{b99:.2f}", f"{o50 / b50:.1f}×"]
        table.append([r.endpoint, r.scenario, r.page, *times, r.found, r.verdict])
    header = ["endpoint", "scenario", "page", "LaborNet p50 ms", "p99 ms", "bare p50 ms", "p99 ms", "p50 / bare"]
    lines = [
        f"### {backend}: {args.rows:,} rows per table, {args.samples} samples per page, page of {PAGE}",
        "",
        "Fill (INSERT … SELECT in the database, then ANALYZE): " + ", ".join(fills),
        "",
        *markdown_table([*header, "rows", "plan"], table, right=range(3, 9)),
    ]
    worst = max(rows, key=lambda r: percentile(r.ours, 99))
    lines += [
        "",
        f"Slowest page: {worst.endpoint}, {worst.scenario}, {worst.page}: p99 {percentile(worst.ours, 99):.1f} ms. "
        f"Pages with a table scan: {sum(r.verdict == 'TABLE SCAN' for r in rows)} of {len(rows)}.",
        "",
        "Plans (the statement each service sent, as the database ran it):",
        "",
    ]
    for r in rows:
        lines += [
            f"- {r.endpoint}, {r.scenario}, {r.page} page:",
            "",
            "  ```",
            *(f"  {p}" for p in r.plan),
            "  ```",
            "",
        ]
    print("\n".join(lines), flush=True)
    return lines


async def main(args: argparse.Namespace) -> int:
    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-lists-") as tmp:
        for backend in args.backends:
            if backend == "postgresql" and postgres_base_url() is None:
                print(f"postgresql skipped: set {POSTGRES_ENV}")
                continue
            out += await run_backend(backend, args, Path(tmp))
    if out and args.save:
        append_results("lists", out)
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows per listed table")
    parser.add_argument("--samples", type=int, default=30, help="reads per page and target")
    parser.add_argument("--backends", type=lambda s: s.split(","), default=["postgresql"])
    parser.add_argument(
        "--endpoints", type=lambda s: s.split(","), default=list(FILLS), help="services: " + ",".join(FILLS)
    )
    parser.add_argument("--no-save", dest="save", action="store_false", help="do not append to bench/results")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
