"""Keyset pagination for list endpoints: ``?limit=&cursor=``, newest first, capped page size.

The cursor is opaque to clients (base64url of the last row's sort key and id). A crafted
cursor can only move the starting point: every list query is filtered to the caller's scope
independently of it, so it never widens what a caller may see.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, literal, true, tuple_

from labornet_common.platform.errors import FieldError, Problem

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

T = TypeVar("T")


@dataclass(frozen=True)
class Cursor:
    at: datetime
    id: str

    def encode(self) -> str:
        raw = json.dumps([_utc(self.at).isoformat(), self.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            at, ident = json.loads(raw)
            return cls(at=_utc(datetime.fromisoformat(at)), id=str(ident))
        except (binascii.Error, ValueError, TypeError):
            raise Problem(422, "validation", errors=[FieldError.of("cursor", "cursor_invalid")]) from None


def _utc(value: datetime) -> datetime:
    # SQLite hands timestamps back without a zone; every stored time is UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after: Cursor | None

    def older_than_cursor(self, at_column: ColumnElement[Any], id_column: ColumnElement[Any]) -> ColumnElement[Any]:
        """Rows after the cursor in (at desc, id desc) order; a no-op on the first page. A
        row-value comparison, which seeks an (at, id) index to the cursor (see
        ``labornet_common.platform.listing.Keyset.where``)."""
        if self.after is None:
            return true()
        after = tuple_(literal(self.after.at, at_column.type), literal(self.after.id, id_column.type))
        return tuple_(at_column, id_column) < after


def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
) -> PageRequest:
    return PageRequest(limit=limit, after=Cursor.decode(cursor) if cursor else None)


PageDep = Annotated[PageRequest, Depends(page_request)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
