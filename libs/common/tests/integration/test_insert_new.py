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


async def test_a_held_row_makes_the_next_holder_wait_until_the_first_commits(database_url: str) -> None:
    """``hold_row`` is a mutex: a second transaction holding the same key goes on only once the
    first has ended, and then reads what the first committed. On PostgreSQL it is one statement."""
    import asyncio

    from sqlalchemy import event, update

    engine = create_engine(database_url, pool_size=2)
    sent: list[str] = []
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        sessions = session_factory(engine)
        event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
        async with sessions() as session, session.begin():
            await hold_row(session, marks.c.key, "employer")
        # The row made and held in one statement (SQLite's BEGIN IMMEDIATE takes its write lock).
        assert [s for s in sent if not s.startswith("BEGIN")] == [sent[-1]] and "INSERT" in sent[-1]
        order: list[str] = []
        first_holds = asyncio.Event()

        async def first() -> None:
            async with sessions() as session, session.begin():
                await hold_row(session, marks.c.key, "employer")
                first_holds.set()
                await asyncio.sleep(0.3)
                await session.execute(update(marks).where(marks.c.key == "employer").values(note="first"))
                order.append("first commits")

        async def second() -> str | None:
            await first_holds.wait()
            async with sessions() as session, session.begin():
                await hold_row(session, marks.c.key, "employer")
                order.append("second holds")
                return await session.scalar(select(marks.c.note).where(marks.c.key == "employer"))

        _, seen = await asyncio.gather(first(), second())
        assert order == ["first commits", "second holds"]
        assert seen == "first"
    finally:
        await engine.dispose()
