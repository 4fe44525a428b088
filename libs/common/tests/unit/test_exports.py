"""Exports: every page of a list in one file, cells a spreadsheet cannot take for formulas."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from labornet_common.platform.exports import ExportColumn, ExportFormat, cell, export_list
from labornet_common.platform.listing import ListQuery

COLUMNS = (ExportColumn("name", "姓名"), ExportColumn("n", "序号", value=lambda item: item["n"] * 10))


async def _body(response) -> bytes:
    return b"".join([chunk async for chunk in response.body_iterator])


def _reader(total: int):
    seen: list[ListQuery] = []

    async def read(query: ListQuery):
        seen.append(query)
        start = int(query.cursor or 0)
        end = min(start + query.limit, total)
        items = [{"name": f"=工人{i}", "n": i} for i in range(start, end)]
        return items, (str(end) if end < total else None)

    return read, seen


def test_cells_neutralise_formulas_and_show_local_times() -> None:
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell("+86") == "'+86" and cell("-1") == "'-1" and cell("@a") == "'@a"
    assert cell("张三") == "张三" and cell(12) == 12 and cell(None) is None and cell(True) == "是"
    assert cell(date(2026, 12, 5)) == "2026-12-05"
    # 2026-12-04 16:30 UTC is 00:30 on the 5th in China Standard Time; naive means UTC.
    assert cell(datetime(2026, 12, 4, 16, 30, tzinfo=UTC)) == "2026-12-05 00:30"
    assert cell(datetime(2026, 12, 4, 16, 30)) == "2026-12-05 00:30"


@pytest.mark.asyncio
async def test_csv_follows_every_page_and_counts_the_rows() -> None:
    read, seen = _reader(250)
    response = await export_list(
        read_page=read, query=ListQuery(q="工人"), columns=COLUMNS, fmt=ExportFormat.csv, list_name="demo.list"
    )
    assert response.headers["x-export-rows"] == "250" and response.headers["x-export-list"] == "demo.list"
    assert "demo.list.csv" in response.headers["content-disposition"]
    body = await _body(response)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["姓名", "序号"] and len(rows) == 251
    assert rows[1] == ["'=工人0", "0"] and rows[-1] == ["'=工人249", "2490"]
    assert [q.limit for q in seen] == [100, 100, 100] and all(q.q == "工人" for q in seen)


@pytest.mark.asyncio
async def test_xlsx_opens_with_the_same_rows() -> None:
    read, _ = _reader(3)
    response = await export_list(
        read_page=read, query=ListQuery(), columns=COLUMNS, fmt=ExportFormat.xlsx, list_name="demo.list"
    )
    assert response.media_type.endswith("spreadsheetml.sheet") and response.headers["x-export-rows"] == "3"
    sheet = load_workbook(io.BytesIO(await _body(response)), read_only=True).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["姓名", "序号"],
        ["'=工人0", 0],
        ["'=工人1", 10],
        ["'=工人2", 20],
    ]
