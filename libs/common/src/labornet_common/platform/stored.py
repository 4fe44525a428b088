"""Rows as this transaction read or wrote them, so that a save writes only what changed.

A repository ``remember``s an aggregate's row when it loads or adds it; ``save_versioned``
then compares the aggregate's row with it and sends an UPDATE of the changed columns alone
(and the version, which every save bumps: the optimistic lock); ``save_changed`` does the
same for a row without a version, and sends nothing when nothing changed. A case that a
consumed event touches in two of its thirty columns costs two bound values, not thirty, and
the statement, one per set of changed columns, is built once per process, not once per save.

A consumer batch writes what it changed together, just before it commits: ``save_changed`` takes
all of a transaction's rows (those changed in the same columns go in one UPDATE, sent as one
batch), ``save_versioned_held`` does the same for versioned rows the transaction read under a
lock, and ``write_rows`` writes a read model's rows whole (the new ones in one INSERT).

What is remembered of a list or dict (a JSON column) is its JSON text: the domain appends to its
lists in place, and a remembered list that shared them would hide the change. The text is what
the column holds, so two values with the same text are the same to the database, and making it
costs a few microseconds where copying a case's fifty claims cost tens. A value with no JSON
text is remembered as a copy. It lives in the transaction (``transaction_state``): a rollback
forgets it, and a row never remembered is written whole.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import CursorResult, Table, bindparam, insert, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Update

from labornet_common.platform.db import JSON_OPTIONS, rows_matched
from labornet_common.platform.uow import transaction_state

_UNSET = object()


@dataclass(frozen=True, slots=True)
class _Text:
    """A list or dict remembered as its JSON text."""

    json: bytes


def _copy(value: Any) -> Any:
    """A copy of a value with no JSON text, deep enough that in-place changes do not reach it."""
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def _snapshot(value: Any) -> Any:
    """What is remembered of ``value``: a list's or dict's JSON text (a copy where it has none),
    anything else as it is (text, numbers, dates: nothing changes them in place)."""
    if isinstance(value, (list, dict)):
        try:
            return _Text(orjson.dumps(value, option=JSON_OPTIONS))
        except TypeError:
            return _copy(value)
    return value


def _same(before: Any, value: Any) -> bool:
    if isinstance(before, _Text):
        if not isinstance(value, (list, dict)):
            return False
        try:
            return orjson.dumps(value, option=JSON_OPTIONS) == before.json
        except TypeError:
            return False
    return bool(before == value)


def _rows(session: AsyncSession, table: Table) -> dict[Any, dict[str, Any]]:
    return transaction_state(session, f"stored:{table.name}")


def remember(session: AsyncSession, table: Table, key: Any, row: Mapping[str, Any]) -> None:
    """``row`` (column -> value) is what ``table`` holds under ``key`` in this transaction."""
    _rows(session, table)[key] = {name: _snapshot(value) for name, value in row.items()}


def changed(session: AsyncSession, table: Table, key: Any, row: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of ``row`` that differ from what was remembered under ``key`` (all of them
    when nothing was)."""
    before = _rows(session, table).get(key)
    if before is None:
        return dict(row)
    return {name: value for name, value in row.items() if not _same(before.get(name, _UNSET), value)}


@functools.lru_cache(maxsize=512)
def _update(table: Table, key_column: str, columns: tuple[str, ...], *, versioned: bool) -> Update:
    """``UPDATE table SET <columns> [, version] WHERE key [AND version]``, with named parameters."""
    c = table.c
    statement = update(table).where(c[key_column] == bindparam("where_key"))
    if versioned:
        statement = statement.where(c.version == bindparam("where_version")).values(version=bindparam("set_version"))
    return statement.values({c[name]: bindparam(f"set_{name}", type_=c[name].type) for name in columns})


def _after_write(session: AsyncSession, table: Table, key: Any, row: Mapping[str, Any], diff: dict[str, Any]) -> None:
    remembered = _rows(session, table).get(key)
    if remembered is None:
        remember(session, table, key, row)
    else:
        remembered.update((name, _snapshot(value)) for name, value in diff.items())


async def save_changed(
    session: AsyncSession, table: Table, *, key_column: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Write the columns of each of ``rows`` changed since it was remembered over the row stored
    under its ``key_column`` (nothing at all for a row where none did): for rows without a
    version. Rows whose changes touch the same columns go in one UPDATE sent for all of them
    (executemany), in key order."""
    by_columns: dict[tuple[str, ...], list[tuple[Mapping[str, Any], dict[str, Any]]]] = {}
    for row in sorted(rows, key=lambda r: r[key_column]):
        diff = changed(session, table, row[key_column], row)
        diff.pop(key_column, None)
        if diff:
            by_columns.setdefault(tuple(sorted(diff)), []).append((row, diff))
    for columns, changes in by_columns.items():
        params = [
            {**{f"set_{name}": value for name, value in diff.items()}, "where_key": row[key_column]}
            for row, diff in changes
        ]
        await session.execute(_update(table, key_column, columns, versioned=False), params)
        for row, diff in changes:
            _after_write(session, table, row[key_column], row, diff)


async def write_rows(
    session: AsyncSession, table: Table, *, key_column: str, rows: Sequence[tuple[Mapping[str, Any], bool]]
) -> None:
    """Write a transaction's rows of ``table`` together, for a read model folded from a batch of
    events (rows held under lock, no version), each with whether it is stored already: the new
    ones in one INSERT, each stored one over the row under its ``key_column`` in one UPDATE per
    set of columns, sent as one batch (executemany). Both in key order, the order transactions
    lock rows in."""
    ordered = sorted(rows, key=lambda r: r[0][key_column])
    if new := [dict(row) for row, stored in ordered if not stored]:
        await session.execute(insert(table), new)
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in (row for row, stored in ordered if stored):
        params = {f"set_{name}": value for name, value in row.items() if name != key_column}
        by_columns.setdefault(tuple(sorted(row.keys() - {key_column})), []).append(
            {**params, "where_key": row[key_column]}
        )
    for columns, params_list in by_columns.items():
        await session.execute(_update(table, key_column, columns, versioned=False), params_list)


class StaleRows(Exception):
    """Rows a transaction held locked were not where it read them (a broken hold)."""


async def save_versioned_held(
    session: AsyncSession, table: Table, *, key_column: str, rows: Sequence[tuple[Mapping[str, Any], int]]
) -> None:
    """``save_versioned`` for rows (each with the version it was read at) that this transaction
    read under a lock nobody else can write through until it ends (PostgreSQL: ``FOR UPDATE``;
    SQLite: the database's write lock, taken at ``BEGIN IMMEDIATE``), so no version can have
    moved: the rows whose changes touch the same columns in one UPDATE sent for all of them
    (executemany), in key order, each checking and bumping its version. Where the database
    counts the rows an executemany matched (SQLite; not asyncpg), fewer than sent raise
    ``StaleRows``."""
    by_columns: dict[tuple[str, ...], list[tuple[Mapping[str, Any], int, dict[str, Any]]]] = {}
    for row, version in sorted(rows, key=lambda r: r[0][key_column]):
        diff = changed(session, table, row[key_column], row)
        diff.pop(key_column, None)
        diff.pop("version", None)
        by_columns.setdefault(tuple(sorted(diff)), []).append((row, version, diff))
    for columns, saves in by_columns.items():
        params = [
            {
                **{f"set_{name}": value for name, value in diff.items()},
                "where_key": row[key_column],
                "where_version": version,
                "set_version": version + 1,
            }
            for row, version, diff in saves
        ]
        result = await session.execute(_update(table, key_column, columns, versioned=True), params)
        if isinstance(result, CursorResult) and result.supports_sane_multi_rowcount() and result.rowcount != len(saves):
            raise StaleRows(table.name, [row[key_column] for row, _, _ in saves])
        for row, _, diff in saves:
            _after_write(session, table, row[key_column], row, diff)


async def save_versioned(
    session: AsyncSession, table: Table, *, key_column: str, row: Mapping[str, Any], version: int
) -> bool:
    """Write ``row`` over the one stored under ``row[key_column]`` if its ``version`` is still
    ``version``, sending only the columns changed since it was remembered, and bump the version.
    False (nothing written) when another transaction changed it first."""
    key = row[key_column]
    diff = changed(session, table, key, row)
    diff.pop(key_column, None)
    diff.pop("version", None)
    statement = _update(table, key_column, tuple(sorted(diff)), versioned=True)
    params = {f"set_{name}": value for name, value in diff.items()}
    params.update(where_key=key, where_version=version, set_version=version + 1)
    if rows_matched(await session.execute(statement, params)) != 1:
        return False
    _after_write(session, table, key, row, diff)
    return True
