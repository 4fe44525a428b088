"""Search, filter and sort parameters of list endpoints; cursors that name their order."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Column, Date, DateTime, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from labornet_common.platform.errors import Problem, install_problem_handlers
from labornet_common.platform.listing import (
    KeysetCursor,
    ListQuery,
    ListQueryDep,
    SortOrder,
    keyset,
    list_query,
    local_day_start,
    status_in,
    text_match,
    with_id_number,
    within_dates,
)

cases = Table(
    "cases",
    MetaData(),
    Column("case_id", String, primary_key=True),
    Column("received_on", Date),
    Column("opened_at", DateTime(timezone=True)),
    Column("worker_name", String),
)
ORDERS = {
    "opened_desc": SortOrder(cases.c.opened_at, descending=True),
    "received_asc": SortOrder(cases.c.received_on, descending=False),
}


def _field(problem: Problem) -> list[str]:
    return [e.field for e in problem.errors]


@pytest.mark.parametrize("value", [datetime(2026, 9, 1, 2, 3, 4, tzinfo=UTC), date(2026, 10, 8), 42, "工人007"])
def test_cursor_round_trip_keeps_the_type_of_the_value(value) -> None:
    text = KeysetCursor(sort="x", value=value, id="c-1").encode()
    back = KeysetCursor.decode(text, sort="x")
    assert back == KeysetCursor(sort="x", value=value, id="c-1")
    assert type(back.value) is type(value)


def test_naive_timestamps_are_read_as_utc() -> None:
    text = KeysetCursor(sort="x", value=datetime(2026, 9, 1, 2, 0), id="c").encode()
    assert KeysetCursor.decode(text, sort="x").value == datetime(2026, 9, 1, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "!!!", "bm90IGpzb24", KeysetCursor(sort="other", value=1, id="c").encode()])
def test_a_garbled_cursor_or_one_of_another_order_is_422_naming_cursor(text: str) -> None:
    with pytest.raises(Problem) as refused:
        KeysetCursor.decode(text, sort="x")
    assert refused.value.status == 422 and _field(refused.value) == ["cursor"]


def test_an_id_number_is_never_searched_as_text() -> None:
    query = ListQuery(q=" 41031119900101123x ")
    assert query.id_number == "41031119900101123X" and query.text is None
    assert ListQuery(q="张三").id_number is None and ListQuery(q="张三").text == "张三"
    assert ListQuery(q="4103111990010112").id_number is None  # too short: a tracking-number fragment
    # One from a request body (a 15-digit number of the first generation too) is never text either.
    body = with_id_number(ListQuery(q="张三"), "410311900101123")
    assert body.id_number == "410311900101123" and body.text == "张三"


def test_unknown_sort_or_status_is_422_naming_the_field() -> None:
    with pytest.raises(Problem) as refused:
        keyset(ListQuery(sort="salary"), ORDERS, default="opened_desc", id_column=cases.c.case_id)
    assert _field(refused.value) == ["sort"]
    with pytest.raises(Problem) as refused:
        status_in(cases.c.case_id, ListQuery(status=("OPEN", "LOST")), ["OPEN"])
    assert _field(refused.value) == ["status"]
    with pytest.raises(Problem) as refused:
        list_query(date_from=date(2026, 9, 2), date_to=date(2026, 9, 1))
    assert _field(refused.value) == ["from"]
    with pytest.raises(Problem) as refused:
        list_query(q="410311199001011234")  # an ID number in a URL would land in access logs
    assert _field(refused.value) == ["q"]


def _sql(clause, dialect=sqlite.dialect()) -> str:
    return str(select(cases.c.case_id).where(clause).compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def test_text_search_escapes_wildcards_and_ignores_case() -> None:
    sql = _sql(text_match("50%_Off", [cases.c.worker_name]))
    assert "lower(('\x1f' || coalesce(cases.worker_name, '')) || '\x1f')" in sql
    assert "50/%/_off" in sql and "ESCAPE '/'" in sql
    # PostgreSQL: a constant pattern with LIKE's default escape, which pg_trgm's index can read
    sql = _sql(text_match("50%_Off", [cases.c.worker_name]), dialect=postgresql.dialect())
    assert "LIKE '%%50\\%%\\_off%%'" in sql and "ESCAPE" not in sql


def test_a_short_needle_searches_the_names_through_the_bigram_index() -> None:
    names = [cases.c.worker_name]
    assert "LIKE '%张三%' ESCAPE '/'" in _sql(text_match("张三", [cases.c.case_id, *names], names=names))
    sql = _sql(text_match("张三", [cases.c.case_id, *names], names=names), dialect=postgresql.dialect())
    assert "labornet_short_grams(lower(('\x1f' || coalesce(cases.worker_name, '')) || '\x1f'))" in sql
    assert "@> ARRAY[CAST('张三' AS TEXT)]" in sql and "case_id" not in sql.split("WHERE")[1]
    # without names (a list with no search indexes), any needle is a LIKE over every field
    assert "LIKE '%%张三%%'" in _sql(text_match("张三", [cases.c.case_id]), dialect=postgresql.dialect())


def test_local_days_are_china_standard_time() -> None:
    # 2026-10-01 00:00 in Beijing is 2026-09-30 16:00 UTC.
    assert local_day_start(date(2026, 10, 1)) == datetime(2026, 9, 30, 16, 0, tzinfo=UTC)
    sql = _sql(
        within_dates(
            cases.c.opened_at, ListQuery(date_from=date(2026, 10, 1), date_to=date(2026, 10, 1)), timestamp=True
        )
    )
    assert "2026-09-30 16:00:00" in sql and "2026-10-01 16:00:00" in sql and "<" in sql


def test_keyset_pages_after_the_cursor_in_the_named_order() -> None:
    cursor = KeysetCursor(sort="received_asc", value=date(2026, 9, 3), id="c-9").encode()
    page = keyset(
        ListQuery(sort="received_asc", cursor=cursor, limit=2), ORDERS, default="opened_desc", id_column=cases.c.case_id
    )
    sql = _sql(page.where(), postgresql.dialect())
    # One row-value comparison: the (received_on, case_id) index is sought to the cursor.
    assert "(cases.received_on, cases.case_id) > ('2026-09-03', 'c-9')" in sql
    rows = [
        {"case_id": f"c-{n}", "received_on": date(2026, 9, n), "opened_at": None, "worker_name": ""} for n in (4, 5, 6)
    ]
    items, nxt = page.page(rows)
    assert [r["case_id"] for r in items] == ["c-4", "c-5"] and nxt is not None
    assert KeysetCursor.decode(nxt, sort="received_asc") == KeysetCursor("received_asc", date(2026, 9, 5), "c-5")
    items, nxt = page.page(rows[:2])
    assert len(items) == 2 and nxt is None  # no row beyond the page: the last page


def test_a_narrow_date_range_on_another_column_orders_so_that_its_own_index_reads_it() -> None:
    def order(date_from: date, date_to: date, sort: str = "opened_desc") -> str:
        query = ListQuery(sort=sort, date_from=date_from, date_to=date_to)
        page = keyset(query, ORDERS, default="opened_desc", id_column=cases.c.case_id)
        statement = select(cases.c.case_id).order_by(*page.order_by(dated=cases.c.received_on))
        return str(statement.compile(dialect=postgresql.dialect())).split("ORDER BY", 1)[1].strip()

    # A month (and up to 62 days): the same order, through an expression no index serves.
    assert order(date(2025, 6, 1), date(2025, 6, 30)) == (
        "coalesce(cases.opened_at, cases.opened_at) DESC, cases.case_id DESC"
    )
    assert order(date(2025, 6, 1), date(2025, 8, 1)).startswith("coalesce(")  # 61 days
    # Wider, or the range's own column as the order: the order's index, as always.
    assert order(date(2025, 6, 1), date(2025, 8, 2)) == "cases.opened_at DESC, cases.case_id DESC"
    assert order(date(2025, 6, 1), date(2025, 6, 30), "received_asc") == "cases.received_on ASC, cases.case_id ASC"


def test_params_repeat_the_filters_for_the_next_page() -> None:
    query = ListQuery(q="张", status=("RECEIVED",), date_from=date(2026, 9, 1), sort="due_asc", clock="overdue")
    assert query.params() == {
        "q": "张",
        "status": ["RECEIVED"],
        "from": "2026-09-01",
        "sort": "due_asc",
        "clock": "overdue",
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": "0"}, "to"),  # a Unix timestamp is not a date (pydantic would read 1970-01-01)
        ({"from": "20261201"}, "from"),
        ({"to": "9999-12-31"}, "to"),  # the day after it cannot be computed
        ({"from": "0001-01-01"}, "from"),  # its local midnight is before year 1 in UTC
        ({"from": "2026-02-30"}, "from"),
    ],
)
async def test_a_day_filter_is_an_iso_date_within_range_or_422_naming_it(params: dict, field: str) -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/items")
    async def items(query: ListQueryDep) -> dict:
        where = within_dates(cases.c.opened_at, query, timestamp=True)
        return {"where": str(where), "to": str(query.date_to)}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        r = await client.get("/items", params=params)
        ok = await client.get("/items", params={"from": "1900-01-01", "to": "9998-12-31"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = r.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    if params[field].count("-") != 2 or params[field] in ("9999-12-31", "0001-01-01"):
        assert errors[0]["code"] == "list.date_invalid" and "YYYY-MM-DD" in errors[0]["message_en"]
    assert ok.status_code == 200, ok.text
    schema = app.openapi()["paths"]["/items"]["get"]["parameters"]
    to = next(p for p in schema if p["name"] == "to")["schema"]
    assert {"type": "string", "format": "date"} in to["anyOf"]
