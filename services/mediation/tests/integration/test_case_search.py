"""The case list and the queue searched, filtered, sorted and paged on a real database (SQLite and
PostgreSQL): more cases than the queue used to show (50) all come back, page by page, once each."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from labornet_common.contracts.intake import ClaimSummary, ComplaintRouted
from labornet_common.platform.errors import Problem
from labornet_common.platform.listing import ListQuery
from labornet_mediation.service.context import MediationContext
from labornet_mediation.service.handlers import event_handlers
from labornet_mediation.service.search import search_cases
from tests.support.mediation import (
    LUOYANG_CLERK,
    LUOYANG_MEDIATOR,
    deliver,
    fixed_today,
    mediation_db,
)

TODAY = date(2026, 9, 30)
CTX = MediationContext(today=fixed_today(TODAY))
CASES = 55
CTX_ZONE = timezone(timedelta(hours=8))  # receipt dates are local (Asia/Shanghai)


@pytest.fixture
async def db(database_url: str):
    async with mediation_db(database_url) as db:
        yield db


async def _routed(db, n: int, *, received: datetime) -> str:
    case_id = str(uuid.uuid4())
    event = ComplaintRouted(
        case_id=case_id,
        route="mediation",
        target_division="410311007",
        worker_name=f"工人{n:03d}",
        employer_name="洛阳某建筑工程有限公司" if n % 5 else "洛阳某物流有限公司",
        tracking_number=f"LN-4103-2026-{n:06d}",
        facts="工资未发放",
        claims=[ClaimSummary(category="labor_remuneration", amount_fen=100000 + n)],
        received_at=received,
    )
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    settled = await deliver(consumer, event, case_id=case_id, time=received)
    assert settled.outcome == "applied"
    return case_id


async def _walk(db, principal, query: ListQuery, *, queue: bool = False) -> list[dict]:
    found, cursor, pages = [], None, 0
    while True:
        page = await search_cases(
            uow=db.uow(),
            principal=principal,
            query=ListQuery(**{**query.__dict__, "cursor": cursor}),
            ctx=CTX,
            queue=queue,
        )
        found.extend(page.items)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return found
        assert pages < 100


async def test_search_filter_sort_and_page_the_whole_queue(db) -> None:
    start = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)
    ids = [await _routed(db, n, received=start + timedelta(hours=9 * n)) for n in range(CASES)]

    # The queue pages through every open case, nearest deadline first, no case twice or missing.
    queue = await _walk(db, LUOYANG_MEDIATOR, ListQuery(limit=20), queue=True)
    assert sorted(c["case_id"] for c in queue) == sorted(ids)
    assert len(queue) == CASES > 50
    dues = [(c["due_on"], c["case_id"]) for c in queue]
    assert dues == sorted(dues)

    # Newest receipt first, over pages of 7.
    newest = await _walk(db, LUOYANG_CLERK, ListQuery(limit=7, sort="received_desc"))
    assert [c["received_on"] for c in newest] == sorted((c["received_on"] for c in newest), reverse=True)
    assert len({c["case_id"] for c in newest}) == CASES

    # Worker name, tracking number, employer (case-insensitive substring).
    by_worker = await _walk(db, LUOYANG_MEDIATOR, ListQuery(q="工人042"))
    assert [c["case_id"] for c in by_worker] == [ids[42]]
    by_tracking = await _walk(db, LUOYANG_MEDIATOR, ListQuery(q="ln-4103-2026-000007"))
    assert [c["case_id"] for c in by_tracking] == [ids[7]]
    logistics = await _walk(db, LUOYANG_MEDIATOR, ListQuery(q="物流"))
    assert sorted(c["case_id"] for c in logistics) == sorted(ids[n] for n in range(0, CASES, 5))
    # A wildcard is a literal character, not "anything".
    assert await _walk(db, LUOYANG_MEDIATOR, ListQuery(q="%")) == []
    # An ID number is looked up by blind index only; mediation keeps none, so nothing is found.
    assert await _walk(db, LUOYANG_MEDIATOR, ListQuery(q="410311199001011234")) == []

    # Date range on the receipt date (local days, both ends inclusive).
    sept_3 = await _walk(db, LUOYANG_CLERK, ListQuery(date_from=date(2026, 9, 3), date_to=date(2026, 9, 3)))
    assert sept_3 and all(c["received_on"] == date(2026, 9, 3) for c in sept_3)
    expected = [
        ids[n] for n in range(CASES) if (start + timedelta(hours=9 * n)).astimezone(CTX_ZONE).date() == date(2026, 9, 3)
    ]
    assert sorted(c["case_id"] for c in sept_3) == sorted(expected)

    # Clock state: LDA Art. 14's 15 days from receipt; on TODAY the earliest cases are past their last day.
    overdue = await _walk(db, LUOYANG_CLERK, ListQuery(clock="overdue"))
    running = await _walk(db, LUOYANG_CLERK, ListQuery(clock="running"))
    assert overdue and running
    assert all(c["due_on"] < TODAY for c in overdue) and all(c["due_on"] >= TODAY for c in running)
    assert len(overdue) + len(running) == CASES
    assert await _walk(db, LUOYANG_CLERK, ListQuery(status=("AGREED",))) == []
    assert len(await _walk(db, LUOYANG_CLERK, ListQuery(status=("RECEIVED", "ACCEPTED"), limit=100))) == CASES


async def test_bad_sort_status_clock_and_cursor_are_422_naming_the_field(db) -> None:
    await _routed(db, 1, received=datetime(2026, 9, 1, 2, 0, tzinfo=UTC))
    await _routed(db, 2, received=datetime(2026, 9, 2, 2, 0, tzinfo=UTC))
    for query, field in (
        (ListQuery(sort="salary"), "sort"),
        (ListQuery(status=("LOST",)), "status"),
        (ListQuery(clock="late"), "clock"),
        (ListQuery(cursor="not-a-cursor"), "cursor"),
    ):
        with pytest.raises(Problem) as refused:
            await search_cases(uow=db.uow(), principal=LUOYANG_CLERK, query=query, ctx=CTX)
        assert refused.value.status == 422
        assert [e.field for e in refused.value.errors] == [field]
    # A cursor made for one order is refused in another (it would skip or repeat rows).
    first = await search_cases(uow=db.uow(), principal=LUOYANG_CLERK, query=ListQuery(limit=1), ctx=CTX)
    assert first.next_cursor
    with pytest.raises(Problem) as refused:
        await search_cases(
            uow=db.uow(),
            principal=LUOYANG_CLERK,
            query=ListQuery(limit=1, cursor=first.next_cursor, sort="due_asc"),
            ctx=CTX,
        )
    assert [e.field for e in refused.value.errors] == ["cursor"]


async def _years_of_cases(db) -> None:
    """4,000 cases opened six hours apart from 2020 on, every hundredth still open (RECEIVED):
    years of closed cases behind a few open ones, as a system that has run for years holds."""
    from sqlalchemy import insert

    from labornet_mediation.adapters.orm import mediation_cases

    first = date(2020, 1, 1)
    rows = [
        {
            "case_id": f"case-{n:05d}",
            "division_code": "410311",
            "status": "RECEIVED" if n % 100 == 0 else "AGREED",
            "worker_name": f"工人{n}",
            "employer_name": "洛阳某建筑工程有限公司",
            "facts": "工资未发放",
            "claims": [],
            "received_on": first + timedelta(days=n // 4),
            "due_on": first + timedelta(days=n // 4 + 15),
            "opened_at": datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=6 * n),
        }
        for n in range(4000)
    ]
    async with db.engine.begin() as conn:
        await conn.execute(insert(mediation_cases), rows)
        await conn.exec_driver_sql("ANALYZE mediation_cases")


async def _page_and_plan(db, query: ListQuery, *, queue: bool) -> tuple[list[str], str, str]:
    """One page's case ids, the list statement as sent, and (on PostgreSQL) its plan."""
    from sqlalchemy import event

    sent: list[tuple[str, object]] = []

    def seen(conn, cursor, statement, parameters, context, many) -> None:
        if "FROM mediation_cases" in statement and "LIMIT" in statement:
            sent.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", seen)
    try:
        page = await search_cases(uow=db.uow(), principal=LUOYANG_CLERK, query=query, ctx=CTX, queue=queue)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", seen)
    statement, parameters = sent[-1]
    plan = ""
    if db.engine.dialect.name == "postgresql":
        async with db.engine.connect() as conn:
            plan = "\n".join(str(r[0]) for r in await conn.exec_driver_sql("EXPLAIN " + statement, parameters))
    return [c["case_id"] for c in page.items], statement, plan


async def test_the_queue_walks_the_open_cases_index(db) -> None:
    """With years of closed cases behind a few open ones, the queue reads the open cases' partial
    index in due order (its status clause is written with the index's literals): on PostgreSQL
    the plan names the index; on both, the page is the open cases, nearest last day first."""
    await _years_of_cases(db)
    ids, statement, plan = await _page_and_plan(db, ListQuery(limit=20), queue=True)
    assert ids == [f"case-{n:05d}" for n in range(0, 2000, 100)]
    assert "status IN ('ACCEPTED', 'MEDIATING', 'RECEIVED')" in statement
    if plan:
        assert "ix_mediation_cases_open_due" in plan, plan


async def test_the_overdue_list_from_a_deep_cursor_walks_the_open_cases_only(db) -> None:
    """The overdue filter (LDA Art. 14's 15 days passed, the case still open) in the default order,
    from a cursor halfway back: the page reads the open cases' index in opening order instead of
    every closed case between the cursor and the oldest open one."""
    from labornet_common.platform.listing import KeysetCursor

    await _years_of_cases(db)
    halfway = KeysetCursor(
        sort="opened_desc", value=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=6 * 2000), id="case-02000"
    ).encode()
    ids, statement, plan = await _page_and_plan(db, ListQuery(clock="overdue", limit=20, cursor=halfway), queue=False)
    # Every open case is overdue by 2026-09-30; those opened before the cursor, newest first.
    assert ids == [f"case-{n:05d}" for n in range(1900, -1, -100)]
    assert "status IN ('ACCEPTED', 'MEDIATING', 'RECEIVED')" in statement
    if plan:
        assert "ix_mediation_cases_open_opened" in plan, plan
