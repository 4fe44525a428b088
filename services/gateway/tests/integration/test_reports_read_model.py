"""The reporting read model in the gateway's database (SQLite and PostgreSQL): every event applied
once however often delivered, figures within the caller's regions only, and a rebuild (the model
emptied, the same events replayed, some in another order) gives the same figures."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy.event import listen
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common.contracts.events import Envelope, utcnow
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference.calendar import Period, default_calendar
from labornet_gateway.adapters import reports as store
from labornet_gateway.adapters.orm import messaging, metadata
from labornet_gateway.domain.reports import NamedEnterprise
from labornet_gateway.service.reports import apply_event, dashboard, name_enterprise

TODAY = date(2026, 12, 5)
USCC = "91350100M000100Y43"
CAL = default_calendar()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow(engine: AsyncEngine) -> Callable[[], UnitOfWork]:
    return lambda: UnitOfWork(session_factory(engine), messaging, source="/labornet/gateway")


def _event(service: str, kind: str, subject: str, seq: int, **data: Any) -> Envelope:
    return Envelope(
        id=f"{subject}-{service}-{seq}",
        type=f"cn.labornet.{service}.{kind}.v1",
        source=f"/labornet/{service}",
        subject=subject,
        sequence=seq,
        data={"case_id": subject, **data},
    )


def _filed(case_id: str, street: str, channel: str, employer: str, **more: Any) -> Envelope:
    data = {"channel": channel, "workplace_division": street, "region_code": street[:4], "employer_name": employer}
    return _event("intake", "complaint.received", case_id, 1, received_at="2026-11-30T02:00:00+00:00", **data, **more)


def _mediation(case_id: str, received: date, ended: str, outcome: str) -> list[Envelope]:
    due = CAL.deadline(Period.MEDIATION_15D, received).due  # LDA Art. 14
    opened = _event(
        "mediation",
        "case.opened",
        case_id,
        1,
        centre_id="med-410311007",
        division_code="410311",
        received_on=received.isoformat(),
        due_on=due.isoformat(),
    )
    if outcome == "agreed":
        return [
            opened,
            _event("mediation", "agreement.reached", case_id, 2, division_code="410311", effective_on=ended),
        ]
    return [opened, _event("mediation", "case.failed", case_id, 2, division_code="410311", failed_on=ended)]


def _scenario() -> list[Envelope]:
    alert = {"alert_id": "al-1", "region_code": "410311", "rule": "collective_arrears", "employer_name": "和谐机械"}
    return [
        _filed("c1", "410311007", "online", "甲公司"),
        _filed("c2", "410311008", "window", "甲公司"),
        _filed("c3", "410311007", "online", "和谐机械", employer_uscc=USCC, collective=True, worker_count=12),
        _filed("w1", "371002001", "online", "威海公司"),  # another region: never in Luoyang's figures
        *_mediation("c1", date(2026, 9, 20), "2026-10-08", "failed"),  # the last day, rolled past 国庆
        *_mediation("c2", date(2026, 9, 20), "2026-10-09", "agreed"),  # a day late
        _event(
            "wage_arrears",
            "alert.raised",
            "c3",
            1,
            **alert,
            raised_at="2026-11-30T03:00:00+00:00",
            amount_fen=900_000,
            case_ids=["c3"],
        ),
        _event(
            "wage_arrears",
            "alert.updated",
            "c3",
            2,
            **alert,
            updated_at="2026-12-01T03:00:00+00:00",
            amount_fen=1_400_000,
        ),
    ]


async def _clear(uow: Callable[[], UnitOfWork]) -> None:
    async with uow() as u:
        await store.clear(session=u.session)
        await u.commit()


async def _apply(uow: Callable[[], UnitOfWork], events: list[Envelope]) -> None:
    for envelope in events:
        async with uow() as u:
            await apply_event(u, envelope, envelope.data)
            await u.commit()


async def test_figures_count_each_event_once_within_the_region(uow) -> None:
    named = NamedEnterprise(name="和谐机械", uscc=USCC, level="市级")
    await name_enterprise(uow=uow(), named=named, region="4103", named_by="admin", now=utcnow())
    events = _scenario()
    await _apply(uow, events + events[:3])  # redelivered
    f = await dashboard(uow=uow(), scopes=["4103"], today=TODAY)
    assert f["filings"] == 3
    assert f["by_channel"] == {"online": 2, "window": 1}
    assert f["by_street"] == {"410311007": 2, "410311008": 1}
    assert f["by_month"] == {"2026-11": 3}
    assert (f["mediation_success"].numerator, f["mediation_success"].denominator) == (1, 2)
    centre = f["mediation_on_time"]["med-410311007"]
    assert (centre.numerator, centre.denominator) == (1, 2)
    assert f["collective"] == ["c3"]
    assert f["alerts"] == {"raised": 1, "open": 1, "amount_fen": 1_400_000, "open_amount_fen": 1_400_000}
    assert f["employers"][0] == {"employer": "甲公司", "key": "甲公司", "complaints": 2}
    (check,) = f["enterprise_check"]
    assert (check["cases"], check["alerts"], check["collective"], check["check"]) == (1, 1, 1, True)
    street = await dashboard(uow=uow(), scopes=["410311008"], today=TODAY)  # one street of the city
    assert (street["filings"], street["by_channel"], street["collective"]) == (1, {"window": 1}, [])
    (named_in_city,) = street["enterprise_check"]  # named by the city: checked in its streets too
    assert (named_in_city["cases"], named_in_city["check"]) == (0, False)
    weihai = await dashboard(uow=uow(), scopes=["3710"], today=TODAY)
    assert (weihai["filings"], weihai["enterprise_check"], weihai["alerts"]["raised"]) == (1, [], 0)


async def test_a_rebuild_in_another_order_gives_the_same_figures(uow) -> None:
    events = _scenario()
    await _apply(uow, events)
    before = await dashboard(uow=uow(), scopes=["*"], today=TODAY)
    await _clear(uow)
    emptied = await dashboard(uow=uow(), scopes=["*"], today=TODAY)
    assert emptied["filings"] == 0 and emptied["alerts"]["raised"] == 0
    shuffled = list(events)
    random.Random(7).shuffle(shuffled)
    await _apply(uow, shuffled + events)
    assert await dashboard(uow=uow(), scopes=["*"], today=TODAY) == before


async def test_one_transaction_of_every_event_gives_the_figures_of_one_per_event(uow, engine) -> None:
    events = _scenario()
    await _apply(uow, events)
    one_by_one = await dashboard(uow=uow(), scopes=["*"], today=TODAY)
    await _clear(uow)
    await _apply(uow, events[:2])  # claimed before the batch (as the other consumer, live or replay, would)
    seen: list[str] = []
    listen(engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(" ".join(a[2].split())))
    async with uow() as u:  # a consumer batch, redelivered events included
        for envelope in events + events[:3]:
            await apply_event(u, envelope, envelope.data)
        await u.commit()
    cases = {e.subject for e in events if e.type.split(".")[2] != "wage_arrears"}
    alerts = {e.data["alert_id"] for e in events if e.type.split(".")[2] == "wage_arrears"}
    assert len(cases) > 1 and alerts
    # The batch's events claimed in one statement, their cases' sheets read in one and written in
    # one INSERT (those claimed before the batch: one UPDATE), their alerts read in one and written
    # in one INSERT.
    assert len([sql for sql in seen if sql.startswith("INSERT INTO report_applied")]) == 1, seen
    for table in ("report_cases", "report_alerts"):
        assert len([sql for sql in seen if sql.startswith(f"SELECT {table}.")]) == 1, seen
        assert len([sql for sql in seen if sql.startswith(f"INSERT INTO {table} ")]) == 1, seen
    assert len([sql for sql in seen if sql.startswith("UPDATE report_cases ")]) == 1, seen
    assert not [sql for sql in seen if sql.startswith("UPDATE report_alerts ")]
    assert await dashboard(uow=uow(), scopes=["*"], today=TODAY) == one_by_one


async def test_the_register_is_kept_to_the_naming_region(uow) -> None:
    from labornet_common.platform.listing import ListQuery
    from labornet_common.platform.problems import Conflict, NotFound
    from labornet_gateway.service.reports import list_enterprises, remove_enterprise

    named = NamedEnterprise(name="和谐机械", uscc=USCC, level="市级")
    entry = await name_enterprise(uow=uow(), named=named, region="4103", named_by="admin", now=utcnow())
    removal = {"enterprise_id": entry["enterprise_id"], "reason": "命名已被撤销", "removed_by": "a", "now": utcnow()}
    with pytest.raises(NotFound):  # Weihai's administrator cannot reach Luoyang's naming
        await remove_enterprise(uow=uow(), scopes=["3710"], **removal)
    assert await list_enterprises(uow=uow(), scopes=["3710"], query=ListQuery()) == ([], None)
    seen_in_street, _ = await list_enterprises(uow=uow(), scopes=["410311008"], query=ListQuery())
    assert [e["enterprise_id"] for e in seen_in_street] == [entry["enterprise_id"]]  # the city's naming holds there
    assert [e["name"] for e in (await dashboard(uow=uow(), scopes=["4103"], today=TODAY))["enterprise_check"]] == [
        "和谐机械"
    ]
    removed = await remove_enterprise(uow=uow(), scopes=["4103"], **removal)
    assert removed["status"] == "removed" and removed["removal_reason"] == "命名已被撤销"
    with pytest.raises(Conflict):
        await remove_enterprise(uow=uow(), scopes=["4103"], **removal)
    assert (await dashboard(uow=uow(), scopes=["4103"], today=TODAY))["enterprise_check"] == []
