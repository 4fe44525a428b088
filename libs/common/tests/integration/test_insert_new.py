"""``insert_new``: a row is inserted unless its key is there, in one statement, and the caller
learns which happened (the gateway marks events applied and keeps case regions with it)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table, select

from labornet_common.platform.db import create_engine, hold_row, insert_new, session_factory

metadata = MetaData()
marks = Table("insert_new_marks", metadata, Column("key", String(40), primary_key=True), Column("note", String(40)))


async def test_a_row_is_inserted_once_and_its_first_values_stay(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        sessions = session_factory(engine)
        async with sessions() as session, session.begin():
            assert await insert_new(session, marks, {"key": "a", "note": "first"}, key=[marks.c.key]) is True
            assert await insert_new(session, marks, {"key": "a", "note": "second"}, key=[marks.c.key]) is False
        with pytest.raises(RuntimeError):
            async with sessions() as session, session.begin():
                assert await insert_new(session, marks, {"key": "b", "note": "rolled back"}, key=[marks.c.key])
                raise RuntimeError("the transaction fails")
        async with sessions() as session, session.begin():
            assert await insert_new(session, marks, {"key": "a", "note": "third"}, key=[marks.c.key]) is False
            assert await insert_new(session, marks, {"key": "b", "note": "again"}, key=[marks.c.key]) is True
            await hold_row(session, marks.c.key, "c")  # hold_row makes its row the same way
            await hold_row(session, marks.c.key, "c")
        async with sessions() as session:
            rows = (await session.execute(select(marks.c.key, marks.c.note).order_by(marks.c.key))).all()
        assert [tuple(r) for r in rows] == [("a", "first"), ("b", "again"), ("c", None)]
    finally:
        await engine.dispose()
