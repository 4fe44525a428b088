"""Any list as a CSV or XLSX file: the rows the list shows, with the same filters and masking.

A list endpoint ``GET …/<list>`` gets a sibling ``GET …/<list>/export?format=csv|xlsx`` taking
the same query parameters (``labornet_common.platform.listing``). The export reads the list page by
page with the list's own search (so the caller's scope, the filters and each role's masking
are exactly those of the screen), writes the rows into a spooled file (in memory up to
``SPOOL_BYTES``, on disk beyond: a big list never sits in memory whole) and streams it back
in chunks. Every export answers with ``X-Export-List``, ``X-Export-Rows`` and
``X-Export-Format``; the gateway records them with the caller and the filters in the audit
trail of exports.
"""

from __future__ import annotations

import codecs
import csv
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import IO, Annotated, Any
from urllib.parse import quote

from fastapi import Query
from fastapi.responses import StreamingResponse

from labornet_common.platform.clock import CHINA
from labornet_common.platform.listing import ListQuery
from labornet_common.platform.pagination import MAX_PAGE_SIZE

SPOOL_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
# Headers the gateway reads to note the export in its audit trail.
ROWS_HEADER = "X-Export-Rows"
LIST_HEADER = "X-Export-List"
FORMAT_HEADER = "X-Export-Format"
EXPORT_HEADERS = (ROWS_HEADER, LIST_HEADER, FORMAT_HEADER)
# A cell starting with one of these is a formula to a spreadsheet (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

ExportFormatQuery = Annotated[ExportFormat, Query(alias="format", description="csv | xlsx")]


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export: the field of a list item and its header (Chinese, as on screen)."""

    key: str
    title: str
    value: Callable[[Mapping[str, Any]], Any] | None = None

    def of(self, item: Mapping[str, Any]) -> Any:
        return self.value(item) if self.value is not None else item.get(self.key)


Page = tuple[Sequence[Mapping[str, Any]], str | None]
PageReader = Callable[[ListQuery], Awaitable[Page]]


def cell(value: Any) -> str | int | float | None:
    """A value as a spreadsheet shows it: dates as local ISO dates, a leading formula sign
    neutralised, nested values flattened."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # stored times are UTC
        return aware.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "；".join(str(cell(v) or "") for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


async def read_all(read_page: PageReader, query: ListQuery, *, page_size: int = MAX_PAGE_SIZE) -> AsyncIterator[Any]:
    """Every item of the list, following the keyset cursors (no cap)."""
    cursor: str | None = None
    while True:
        items, cursor = await read_page(replace(query, limit=page_size, cursor=cursor))
        for item in items:
            yield item
        if not cursor:
            return


def _as_mapping(item: Any) -> Mapping[str, Any]:
    if isinstance(item, Mapping):
        return item
    dump = getattr(item, "model_dump", None)
    mapping: Mapping[str, Any] = dump(mode="python") if dump is not None else vars(item)
    return mapping


class _CsvSink:
    def __init__(self, out: IO[bytes]) -> None:
        out.write(codecs.BOM_UTF8)  # Excel opens UTF-8 CSV as such only with the BOM
        self._text = codecs.getwriter("utf-8")(out)
        self._writer = csv.writer(self._text, lineterminator="\r\n")

    def row(self, values: Sequence[Any]) -> None:
        self._writer.writerow(["" if v is None else v for v in values])

    def close(self) -> None:
        self._text.flush()


class _XlsxSink:
    def __init__(self, out: IO[bytes], title: str) -> None:
        from openpyxl import Workbook

        self._out = out
        self._book = Workbook(write_only=True)  # rows go to a temporary file, not memory
        self._sheet = self._book.create_sheet(title=title[:31] or "export")

    def row(self, values: Sequence[Any]) -> None:
        self._sheet.append(list(values))

    def close(self) -> None:
        self._book.save(self._out)


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk
    finally:
        spool.close()


async def export_list(
    *,
    read_page: PageReader,
    query: ListQuery,
    columns: Sequence[ExportColumn],
    fmt: ExportFormat,
    list_name: str,
    sheet_title: str = "",
) -> StreamingResponse:
    """The whole filtered list as a file (see the module's doc); ``list_name`` names the list
    in the file name and the audit trail (``mediation.queue``)."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        sink: _CsvSink | _XlsxSink = (
            _CsvSink(spool) if fmt is ExportFormat.csv else _XlsxSink(spool, sheet_title or list_name)
        )
        sink.row([c.title for c in columns])
        rows = 0
        async for item in read_all(read_page, query):
            mapping = _as_mapping(item)
            sink.row([cell(c.of(mapping)) for c in columns])
            rows += 1
        sink.close()
    except BaseException:
        spool.close()
        raise
    filename = f"{list_name}.{fmt.value}"
    headers = {
        "Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}",
        ROWS_HEADER: str(rows),
        LIST_HEADER: list_name,
        FORMAT_HEADER: fmt.value,
        "Cache-Control": "no-store",  # masked or not, personal data stays out of caches
    }
    return StreamingResponse(_chunks(spool), media_type=MEDIA_TYPES[fmt], headers=headers)


def export_responses() -> dict[int | str, dict[str, Any]]:
    """OpenAPI: the two file types an export answers with."""
    return {
        200: {
            "description": "the list as a file (CSV with BOM, or XLSX); X-Export-Rows: how many rows",
            "content": {MEDIA_TYPES[f]: {"schema": {"type": "string", "format": "binary"}} for f in ExportFormat},
        }
    }
