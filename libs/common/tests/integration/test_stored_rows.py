"""``save_versioned``: a save writes the columns changed since the row was read in this
transaction (in-place changes to its lists included) and bumps the version; a row never
remembered, or remembered by a transaction that rolled back, is written whole; a version
another transaction moved writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, Text, cast, event, insert, select

from labornet_common.platform.stored import (
    StaleRows,
    remember,
    save_changed,
    save_versioned,
    save_versioned_held,
    write_rows,
)
from labornet_common.testing.messaging import engine_for, uow_for

metadata = MetaData()
cases = Table(
    "stored_rows_cases",
    metadata,
    Column("case_id", String(40), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("mediator", String(40)),
    Column("history", JSON, nullable=False),
    Column("version", Integer, nullable=False),
)


class Updates:
    """The UPDATE statements sent to the table, with their parameters."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine.sync_engine
        self.sent: list[tuple[str, Any]] = []

    def __enter__(self) -> Updates:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("UPDATE STORED_ROWS_CASES"):
            self.sent.append((statement, parameters))

    def set_columns(self, n: int) -> list[str]:
        """The columns the ``n``-th UPDATE set, in its SET clause's order."""
        statement = self.sent[n][0]
        assignments = statement.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
        return [part.split("=")[0].strip() for part in assignments.split(",")]


async def _read(uow: Any, case_id: str) -> dict[str, Any]:
    row = (await uow.session.execute(select(cases).where(cases.c.case_id == case_id))).mappings().one()
    data = {k: row[k] for k in ("case_id", "status", "mediator", "history")}
    data["history"] = list(data["history"])
    remember(uow.session, cases, case_id, data)
    return data


async def _stored(engine: Any, case_id: str) -> dict[str, Any]:
    async with engine.connect() as conn:
        return dict((await conn.execute(select(cases).where(cases.c.case_id == case_id))).mappings().one())


async def test_a_save_writes_the_changed_columns_and_the_version_only(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await conn.execute(
                insert(cases).values(case_id="c1", status="RECEIVED", mediator=None, history=["filed"], version=0)
            )
        with Updates(engine) as updates:
            async with uow_for(engine) as uow:
                case = await _read(uow, "c1")
                case["status"] = "MEDIATING"
                case["history"].append("assigned")  # in place, as the domain appends
                assert await save_versioned(uow.session, cases, key_column="case_id", row=case, version=0)
                case["mediator"] = "m-7"  # a second save in the same transaction: only what changed since
                assert await save_versioned(uow.session, cases, key_column="case_id", row=case, version=1)
                assert await save_versioned(uow.session, cases, key_column="case_id", row=case, version=2)
                await uow.commit()
        assert sorted(updates.set_columns(0)) == ["history", "status", "version"]
        assert updates.set_columns(1) == ["mediator", "version"]
        assert updates.set_columns(2) == ["version"]  # nothing changed: the version still moves
        assert await _stored(engine, "c1") == {
            "case_id": "c1",
            "status": "MEDIATING",
            "mediator": "m-7",
            "history": ["filed", "assigned"],
            "version": 3,
        }


async def test_a_row_not_remembered_or_remembered_before_a_rollback_is_written_whole(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await conn.execute(insert(cases).values(case_id="c2", status="RECEIVED", history=[], version=0))
        whole = ["history", "mediator", "status", "version"]
        with Updates(engine) as updates:
            async with uow_for(engine) as uow:
                row = {"case_id": "c2", "status": "ACCEPTED", "mediator": None, "history": []}
                assert await save_versioned(uow.session, cases, key_column="case_id", row=row, version=0)
                await uow.commit()
            async with uow_for(engine) as uow:
                case = await _read(uow, "c2")
                case["status"] = "WITHDRAWN"
                assert await save_versioned(uow.session, cases, key_column="case_id", row=case, version=1)
                await uow.rollback()  # what the transaction remembered went with it
                case = {**case, "status": "ACCEPTED"}  # the state as stored, with a change made before
                case["mediator"] = "m-1"
                assert await save_versioned(uow.session, cases, key_column="case_id", row=case, version=1)
                await uow.commit()
        assert sorted(updates.set_columns(0)) == whole
        assert sorted(updates.set_columns(2)) == whole
        assert (await _stored(engine, "c2"))["mediator"] == "m-1"


async def test_a_version_moved_by_another_transaction_writes_nothing(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await conn.execute(insert(cases).values(case_id="c3", status="RECEIVED", history=[], version=0))
        async with uow_for(engine) as uow:
            case = await _read(uow, "c3")
            case["status"] = "DECLINED"
            assert not await save_versioned(uow.session, cases, key_column="case_id", row=case, version=5)
            await uow.commit()
        stored = await _stored(engine, "c3")
        assert (stored["status"], stored["version"]) == ("RECEIVED", 0)


async def test_a_row_without_a_version_gets_its_changed_columns_or_nothing(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await conn.execute(insert(cases).values(case_id="c4", status="open", history=["raised"], version=0))
        with Updates(engine) as updates:
            async with uow_for(engine) as uow:
                alert = await _read(uow, "c4")
                await save_changed(uow.session, cases, key_column="case_id", rows=[alert])  # unchanged: no statement
                alert["history"].append("escalated")
                await save_changed(uow.session, cases, key_column="case_id", rows=[alert])
                await save_changed(uow.session, cases, key_column="case_id", rows=[alert])  # written already
                await uow.commit()
        assert len(updates.sent) == 1
        assert updates.set_columns(0) == ["history"]
        stored = await _stored(engine, "c4")
        assert (stored["history"], stored["version"]) == (["raised", "escalated"], 0)


async def test_rows_whose_changes_touch_the_same_columns_go_in_one_update(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            for case_id in ("g1", "g2", "g3", "g4"):
                await conn.execute(insert(cases).values(case_id=case_id, status="open", history=[], version=0))
        with Updates(engine) as updates:
            async with uow_for(engine) as uow:
                alerts = [await _read(uow, case_id) for case_id in ("g3", "g1", "g2", "g4")]
                alerts[0]["status"] = alerts[1]["status"] = "escalated"  # g3, g1: the same column
                alerts[2]["history"].append("dispatched")  # g2: another
                await save_changed(uow.session, cases, key_column="case_id", rows=alerts)  # g4: nothing
                await uow.commit()
        assert [len(params) if isinstance(params, list) else 1 for _, params in updates.sent] == [2, 1]
        assert updates.set_columns(0) == ["status"] and updates.set_columns(1) == ["history"]
        stored = {c: await _stored(engine, c) for c in ("g1", "g2", "g3", "g4")}
        assert {c: (r["status"], r["history"]) for c, r in stored.items()} == {
            "g1": ("escalated", []),
            "g2": ("open", ["dispatched"]),
            "g3": ("escalated", []),
            "g4": ("open", []),
        }


@pytest.mark.parametrize("columns", [("status",), ("history", "status")])
def test_one_statement_per_set_of_changed_columns(columns: tuple[str, ...]) -> None:
    from labornet_common.platform.stored import _update

    first = _update(cases, "case_id", columns, versioned=True)
    assert _update(cases, "case_id", columns, versioned=True) is first
    assert _update(cases, "case_id", (*columns, "mediator"), versioned=True) is not first
    assert _update(cases, "case_id", columns, versioned=False) is not first


async def test_a_transactions_rows_are_written_in_one_insert_and_one_update_per_set_of_columns(
    database_url: str,
) -> None:
    async with engine_for(database_url) as engine:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            for case_id in ("w1", "w2", "w3"):
                await conn.execute(insert(cases).values(case_id=case_id, status="open", history=["raised"], version=0))
        sent: list[tuple[str, bool]] = []

        def seen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
            if "STORED_ROWS_CASES" in statement.upper():
                sent.append((statement.split()[0].upper(), many))

        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        async with uow_for(engine) as uow:
            await write_rows(
                uow.session,
                cases,
                key_column="case_id",
                rows=[
                    ({"case_id": "w5", "status": "open", "mediator": None, "history": ["raised"], "version": 0}, False),
                    ({"case_id": "w2", "status": "escalated", "history": ["raised", "escalated"]}, True),
                    ({"case_id": "w4", "status": "closed", "mediator": "m-2", "history": [], "version": 0}, False),
                    ({"case_id": "w1", "status": "closed", "history": ["raised", "closed"]}, True),
                    ({"case_id": "w3", "mediator": "m-9"}, True),  # other columns: a statement of their own
                ],
            )
            await uow.commit()
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
        # Two new rows in one INSERT; two known rows with the same columns in one UPDATE sent for
        # both (executemany), the third known row's other columns in an UPDATE of their own.
        assert [kind for kind, _ in sent] == ["INSERT", "UPDATE", "UPDATE"]
        assert sorted(many for kind, many in sent if kind == "UPDATE") == [False, True]
        stored = {c: await _stored(engine, c) for c in ("w1", "w2", "w3", "w4", "w5")}
        assert {c: (r["status"], r["mediator"], r["history"]) for c, r in stored.items()} == {
            "w1": ("closed", None, ["raised", "closed"]),
            "w2": ("escalated", None, ["raised", "escalated"]),
            "w3": ("open", "m-9", ["raised"]),
            "w4": ("closed", "m-2", []),
            "w5": ("open", None, ["raised"]),
        }
        async with uow_for(engine) as uow:  # nothing to write: no statement
            await write_rows(uow.session, cases, key_column="case_id", rows=[])
            await uow.commit()


async def test_held_rows_are_saved_together_each_with_its_version_checked_and_bumped(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            for n, case_id in enumerate(("h1", "h2", "h3")):
                await conn.execute(insert(cases).values(case_id=case_id, status="open", history=[], version=n))
        with Updates(engine) as updates:
            async with uow_for(engine) as uow:
                read = {case_id: await _read(uow, case_id) for case_id in ("h3", "h1", "h2")}
                for case_id in ("h1", "h3"):
                    read[case_id]["history"].append("joined")  # the same column in both
                read["h2"]["status"] = "closed"
                versions = {"h1": 0, "h2": 1, "h3": 2}
                rows = [(row, versions[case_id]) for case_id, row in read.items()]
                await save_versioned_held(uow.session, cases, key_column="case_id", rows=rows)
                await uow.commit()
        assert sorted(len(params) if isinstance(params, list) else 1 for _, params in updates.sent) == [1, 2]
        stored = {c: await _stored(engine, c) for c in ("h1", "h2", "h3")}
        assert {c: (r["status"], r["history"], r["version"]) for c, r in stored.items()} == {
            "h1": ("open", ["joined"], 1),
            "h2": ("closed", [], 2),
            "h3": ("open", ["joined"], 3),
        }
        if engine.dialect.name == "sqlite":  # it counts the rows an executemany matched
            async with uow_for(engine) as uow:
                rows = [(await _read(uow, c), 0) for c in ("h1", "h3")]  # versions long moved
                with pytest.raises(StaleRows):
                    await save_versioned_held(uow.session, cases, key_column="case_id", rows=rows)


async def test_a_json_column_holds_utf8_text_and_reads_back_what_was_written(database_url: str) -> None:
    """A JSON column is written by the library it is read with (``db.json_param``): Chinese text
    as itself, not as ``\\u`` escapes; dates as RFC 3339; keys that are not text as text."""
    history = [{"text_zh": "调解员已受理", "on": dt.date(2026, 2, 9)}, {"7": "numbered", 8: "int key"}]
    async with engine_for(database_url) as engine:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await conn.execute(insert(cases).values(case_id="c9", status="RECEIVED", history=history, version=0))
            raw = (await conn.execute(select(cast(cases.c.history, Text)).where(cases.c.case_id == "c9"))).scalar_one()
        assert "调解员已受理" in raw and "\\u" not in raw
        assert (await _stored(engine, "c9"))["history"] == [
            {"text_zh": "调解员已受理", "on": "2026-02-09"},
            {"7": "numbered", "8": "int key"},
        ]
