"""Search, filters and sorting for list endpoints, paged by keyset cursors.

Every list takes the same query parameters: ``q`` (free text: tracking number, 案号, worker,
employer; an 18-character ID number is matched by blind index only, never as text), ``status``
(repeatable), ``from``/``to`` (local dates in Asia/Shanghai, both inclusive), ``sort`` (one of
the list's named orders) and ``limit``/``cursor``. The cursor names the order it was made for
and carries the last row's sort value and id, so a page never repeats or skips a row, whatever
the order. Like ``labornet_common.pagination``, a crafted cursor only moves the starting point:
every list query is filtered to the caller's scope independently of it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import AfterValidator, BeforeValidator
from sqlalchemy import ColumnElement, String, and_, cast, func, literal, or_, true, tuple_

from labornet_common.clock import CHINA
from labornet_common.errors import FieldError, invalid
from labornet_common.messages import message, register_messages
from labornet_common.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# Staff work in China Standard Time (UTC+8, no daylight saving): a date filter means that day there.
MAX_QUERY_LENGTH = 100
# GB 11643-1999: 17 digits and a check character (a digit or X).
_ID_NUMBER = re.compile(r"^[0-9]{17}[0-9Xx]$")

register_messages(
    {
        "list.sort_invalid": (
            "排序方式无效，请从列出的排序方式中选择",
            "Unknown sort order; use one of the listed orders",
        ),
        "list.status_invalid": ("状态筛选值无效", "Unknown status value in the filter"),
        "list.date_range_invalid": ("起始日期不能晚于截止日期", "The start date is after the end date"),
        "list.clock_invalid": ("时限状态筛选值无效", "Unknown clock-state value in the filter"),
        "list.date_invalid": (
            "日期格式应为YYYY-MM-DD，且在1900-01-01至9998-12-31之间",
            "A date is written YYYY-MM-DD, between 1900-01-01 and 9998-12-31",
        ),
        "list.id_number_in_url": (
            "身份证号码不得出现在网址中，请通过检索接口（POST，请求体）按身份证号码查询",
            "An ID number must not appear in a URL; search by ID number with POST (in the body)",
        ),
    }
)

SortValue = datetime | date | int | str


def _utc(value: datetime) -> datetime:
    # SQLite hands timestamps back without a zone; every stored time is UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _encode_value(value: SortValue) -> list[Any]:
    if isinstance(value, datetime):
        return ["dt", _utc(value).isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, bool):  # a bool is an int in Python: keep it out of the int branch
        return ["i", int(value)]
    if isinstance(value, int):
        return ["i", value]
    return ["s", str(value)]


def _decode_value(tag: str, raw: Any) -> SortValue:
    if tag == "dt":
        return _utc(datetime.fromisoformat(raw))
    if tag == "d":
        return date.fromisoformat(raw)
    if tag == "i" and isinstance(raw, int):
        return raw
    if tag == "s" and isinstance(raw, str):
        return raw
    raise ValueError(tag)


@dataclass(frozen=True)
class KeysetCursor:
    """Where the next page starts: after (``value``, ``id``) in the order named ``sort``."""

    sort: str
    value: SortValue
    id: str

    def encode(self) -> str:
        raw = json.dumps([self.sort, *_encode_value(self.value), self.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, text: str, *, sort: str) -> KeysetCursor:
        """A cursor of this order, or 422 naming ``cursor`` (garbled, or made for another order)."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            name, tag, value, ident = json.loads(raw)
            cursor = cls(sort=str(name), value=_decode_value(tag, value), id=str(ident))
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
            raise invalid(FieldError.of("cursor", "cursor_invalid")) from None
        if cursor.sort != sort:
            raise invalid(FieldError.of("cursor", "cursor_invalid"))
        return cursor


@dataclass(frozen=True)
class SortOrder:
    """A named order of a list: one column, ascending or descending, ties broken by the id."""

    column: ColumnElement[Any]
    descending: bool


@dataclass(frozen=True)
class ListQuery:
    """The caller's search, filters, order and page, as parsed from the query string."""

    limit: int = DEFAULT_PAGE_SIZE
    cursor: str | None = None
    q: str | None = None
    status: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: str | None = None
    clock: str | None = None
    centre: str | None = None
    worker_id_number: str | None = None  # from a request body, never a URL

    @property
    def id_number(self) -> str | None:
        """The worker's ID number to look up by blind index only: one given in a request body,
        or ``q`` when it is one."""
        if self.worker_id_number:
            return self.worker_id_number
        text = (self.q or "").strip()
        return text.upper() if _ID_NUMBER.match(text) else None

    @property
    def text(self) -> str | None:
        """``q`` as free text, or None when empty or an ID number (never matched as text)."""
        text = (self.q or "").strip()
        return text if text and not _ID_NUMBER.match(text) else None

    def sort_name(self, default: str) -> str:
        return self.sort or default

    def params(self) -> dict[str, Any]:
        """The filters as query parameters (for a client repeating the query on the next page)."""
        out: dict[str, Any] = {}
        if self.q:
            out["q"] = self.q
        if self.status:
            out["status"] = list(self.status)
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        if self.sort:
            out["sort"] = self.sort
        if self.clock:
            out["clock"] = self.clock
        if self.centre:
            out["centre"] = self.centre
        return out


# A day filter is a calendar date written as ISO 8601 (what the OpenAPI document's
# ``format: date`` promises), not a Unix timestamp such as ``0``, within years that the UTC
# bounds of its local day (UTC+8) and the day after it can still be computed for.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9998, 12, 31)


class DateFilterError(ValueError):
    code = "list.date_invalid"

    def __init__(self) -> None:
        self.message_zh, self.message_en = message(self.code)
        super().__init__(self.message_en)


def _iso_day(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise DateFilterError()
    return value


def _day_in_range(value: date) -> date:
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise DateFilterError()
    return value


LocalDay = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_day_in_range)]


def list_query(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=600)] = None,
    q: Annotated[str | None, Query(max_length=MAX_QUERY_LENGTH, description="案号、受理编号、劳动者、用人单位")] = None,
    status: Annotated[list[str] | None, Query(max_length=40)] = None,
    date_from: Annotated[LocalDay | None, Query(alias="from", description="local date, inclusive")] = None,
    date_to: Annotated[LocalDay | None, Query(alias="to", description="local date, inclusive")] = None,
    sort: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")] = None,
    clock: Annotated[str | None, Query(max_length=20, pattern=r"^[a-z_]+$")] = None,
    centre: Annotated[str | None, Query(max_length=40)] = None,
) -> ListQuery:
    if date_from and date_to and date_from > date_to:
        raise invalid(FieldError.of("from", "list.date_range_invalid"))
    if q and _ID_NUMBER.match(q.strip()):
        # URLs end up in access logs and browser history: an ID number travels in a body only.
        raise invalid(FieldError.of("q", "list.id_number_in_url"))
    return ListQuery(
        limit=limit,
        cursor=cursor,
        q=q.strip() if q and q.strip() else None,
        status=tuple(dict.fromkeys(s for s in (status or ()) if s)),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        clock=clock,
        centre=centre or None,
    )


ListQueryDep = Annotated[ListQuery, Depends(list_query)]


def with_id_number(query: ListQuery, id_number: str | None) -> ListQuery:
    """The query searching for one worker's ID number (given in a request body)."""
    return replace(query, worker_id_number=id_number) if id_number else query


def check_choice(field_name: str, value: str | None, allowed: Iterable[str], code: str) -> None:
    if value is not None and value not in set(allowed):
        raise invalid(FieldError.of(field_name, code))


def status_in(column: ColumnElement[Any], query: ListQuery, allowed: Iterable[str]) -> ColumnElement[Any]:
    """The ``status`` filter (any of the values), 422 naming ``status`` for an unknown value."""
    known = set(allowed)
    unknown = [s for s in query.status if s not in known]
    if unknown:
        raise invalid(FieldError.of("status", "list.status_invalid"))
    return column.in_(list(query.status)) if query.status else true()


def text_match(text: str | None, columns: Sequence[ColumnElement[Any]]) -> ColumnElement[Any]:
    """Rows where any of ``columns`` contains ``text`` (case-insensitive; ``%``/``_`` literal)."""
    if not text:
        return true()
    needle = text.lower()
    return or_(*(func.lower(column).contains(needle, autoescape=True) for column in columns))


def json_list_contains(column: ColumnElement[Any], value: str) -> ColumnElement[Any]:
    """A JSON list of strings holding ``value`` (blind indexes: no quote or backslash inside)."""
    return cast(column, String).contains(json.dumps(value), autoescape=True)


def local_day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=CHINA).astimezone(UTC)


def within_dates(column: ColumnElement[Any], query: ListQuery, *, timestamp: bool) -> ColumnElement[Any]:
    """``from``/``to`` (inclusive local days) on a date column or a UTC timestamp column."""
    clauses: list[ColumnElement[Any]] = []
    if timestamp:
        if query.date_from:
            clauses.append(column >= local_day_start(query.date_from))
        if query.date_to:
            clauses.append(column < local_day_start(query.date_to + timedelta(days=1)))
    else:
        if query.date_from:
            clauses.append(column >= query.date_from)
        if query.date_to:
            clauses.append(column <= query.date_to)
    return and_(true(), *clauses)


@dataclass(frozen=True)
class Keyset:
    """The order and starting point of one page of a list (see ``keyset``)."""

    name: str
    order: SortOrder
    id_column: ColumnElement[Any]
    after: KeysetCursor | None
    limit: int

    def where(self) -> ColumnElement[Any]:
        """Rows after the cursor in this order; a no-op on the first page.

        A row-value comparison, ``(key, id) < (value, id)``: both databases seek the (key, id)
        index to the cursor with it, where the equivalent ``key < value OR (key = value AND
        id < id)`` makes them walk the index from its start and filter up to the cursor (a
        deep page of a million rows then reads half a million index entries)."""
        if self.after is None:
            return true()
        row = tuple_(self.order.column, self.id_column)
        after = tuple_(literal(self.after.value, self.order.column.type), literal(self.after.id, self.id_column.type))
        return row < after if self.order.descending else row > after

    def order_by(self) -> tuple[Any, ...]:
        if self.order.descending:
            return (self.order.column.desc(), self.id_column.desc())
        return (self.order.column.asc(), self.id_column.asc())

    def page(self, rows: Sequence[Any]) -> tuple[list[Any], str | None]:
        """The page's rows (the query asked for one more) and the cursor of the next page."""
        items = list(rows[: self.limit])
        if len(rows) <= self.limit or not items:
            return items, None
        last = items[-1]
        value = _field(last, self.order.column.key)
        return items, KeysetCursor(sort=self.name, value=value, id=str(_field(last, self.id_column.key))).encode()


def _field(row: Any, name: str | None) -> Any:
    """A column's value from a result row, a mapping or a record object."""
    assert name is not None
    if isinstance(row, Mapping):
        return row[name]
    mapping = getattr(row, "_mapping", None)
    return mapping[name] if mapping is not None else getattr(row, name)


def keyset(query: ListQuery, orders: Mapping[str, SortOrder], *, default: str, id_column: ColumnElement[Any]) -> Keyset:
    """The named order (422 naming ``sort`` when the list has no such order) and the cursor."""
    name = query.sort_name(default)
    if name not in orders:
        raise invalid(FieldError.of("sort", "list.sort_invalid"))
    after = KeysetCursor.decode(query.cursor, sort=name) if query.cursor else None
    return Keyset(name=name, order=orders[name], id_column=id_column, after=after, limit=query.limit)
