"""The case index in the gateway's database (SQLite and PostgreSQL): fed by events (once, however
often delivered), found by 案号 or case id within a scope, and used to resolve the court's
callbacks; a refused callback stores nothing and its webhook-id stays free for the retry."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.event import listen
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common.contracts.events import Envelope
from labornet_common.platform.bus.consumer import _BATCH
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.uow import UnitOfWork, transaction_state
from labornet_common.testing.refusals import refusal
from labornet_gateway.adapters import case_index as store
from labornet_gateway.adapters.orm import messaging, metadata
from labornet_gateway.service.case_index import find, index_event
from labornet_gateway.webhooks.inbound import CourtCallback, accept_callback
from labornet_gateway.webhooks.settings import CourtSender
from labornet_gateway.webhooks.tables import inbound

N1, N2 = "洛劳人仲案字〔2026〕第12号", "洛龙劳人仲案字〔2026〕第3号"
LUOYANG = CourtSender(name="洛阳中院", regions=["4103"], secrets=["whsec_x"])
WEIHAI = CourtSender(name="威海中院", regions=["3710"], secrets=["whsec_y"])


def _event(case_id: str, seq: int, kind: str, **data: object) -> Envelope:
    return Envelope(
        id=f"{case_id}-{seq}",
        type=f"cn.labornet.arbitration.{kind}.v1",
        source="/labornet/arbitration",
        subject=case_id,
        sequence=seq,
        data={"case_id": case_id, "division_code": "410311", **data},
    )


def _accepted(case_id: str, seq: int, number: str, commission: str, on: str, app: str) -> Envelope:
    return _event(
        case_id,
        seq,
        "application.accepted",
        application_id=app,
        commission_id=commission,
        case_number=number,
        accepted_on=on,
        award_due_on="2027-01-18",
    )


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


async def _index(uow: Callable[[], UnitOfWork], *events: Envelope) -> None:
    for envelope in events:
        async with uow() as u:
            await index_event(u, envelope, envelope.data)
            await u.commit()


def _lawsuit(**keys: str) -> CourtCallback:
    return CourtCallback(
        kind="lawsuit_filed", court_name="洛阳市洛龙区人民法院", occurred_on="2026-12-20", party="employer", **keys
    )


async def _outbox(engine: AsyncEngine) -> list:
    async with engine.connect() as conn:
        return (await conn.execute(select(messaging.outbox))).all()


async def test_events_twice_make_one_entry_found_by_either_number_or_the_id(engine, uow) -> None:
    referral = [
        _accepted("c1", 1, N1, "arb-4103", "2026-12-04", "app-1"),
        _event(
            "c1",
            2,
            "application.referred",
            application_id="app-1",
            from_commission_id="arb-4103",
            to_commission_id="arb-410311",
            referred_on="2026-12-07",
            reason="place of performance",
        ),
        _accepted("c1", 3, N2, "arb-410311", "2026-12-08", "app-2"),
    ]
    await _index(uow, *referral, *referral)
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(store.numbers)) == 2
        assert await conn.scalar(select(func.count()).select_from(store.cases)) == 1
    for key in ({"case_number": N1}, {"case_number": N2}, {"case_id": "c1"}):
        found = await find(uow=uow(), scopes=("4103",), **key)
        assert found is not None and found.entry.case_id == "c1"
        assert found.entry.case_number == N2 and found.entry.commission_id == "arb-410311"
    assert await find(uow=uow(), scopes=("3710",), case_number=N2) is None  # another region: missing
    assert await find(uow=uow(), scopes=("4103",), case_number="洛劳人仲案字〔2026〕第99号") is None


async def test_an_entry_is_read_with_its_docket_numbers_in_one_statement(engine, uow) -> None:
    await _index(
        uow,
        _accepted("c1", 1, N1, "arb-4103", "2026-12-04", "app-1"),
        _accepted("c1", 2, N2, "arb-410311", "2026-12-08", "app-2"),
        _event("c2", 1, "application.received", application_id="app-9", commission_id="arb-4103"),
    )
    seen: list[str] = []
    listen(engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    async with uow() as u:
        one = await store.get(session=u.session, case_id="c1")
        none = await store.get(session=u.session, case_id="c2")
        assert await store.get(session=u.session, case_id="c3") is None
        locked = await store.get_locked(session=u.session, case_ids=["c3", "c2", "c1", "c2"])
    assert set(locked) == {"c1", "c2"}  # c3 is not indexed
    for entry in (one, locked["c1"]):
        assert entry is not None and [(n.case_number, n.commission_id) for n in entry.numbers] == [
            (N1, "arb-4103"),
            (N2, "arb-410311"),
        ]
        assert entry.commission_id == "arb-410311" and entry.application_id == "app-2"
    for entry in (none, locked["c2"]):
        assert entry is not None and entry.numbers == [] and entry.application_id == "app-9"
    reads = [sql for sql in seen if sql.startswith("SELECT")]
    assert len(reads) == 4, reads  # one per read, numbers or none; the three cases together in one


async def test_a_transaction_reads_and_writes_each_case_once_and_indexes_as_one_by_one(engine, uow) -> None:
    def referral(case_id: str) -> list[Envelope]:
        return [
            _accepted(case_id, 1, f"{N1}-{case_id}", "arb-4103", "2026-12-04", f"app-{case_id}"),
            _event(
                case_id,
                2,
                "application.referred",
                application_id=f"app-{case_id}",
                from_commission_id="arb-4103",
                to_commission_id="arb-410311",
                referred_on="2026-12-07",
                reason="place of performance",
            ),
            _accepted(case_id, 3, f"{N2}-{case_id}", "arb-410311", "2026-12-08", f"app2-{case_id}"),
        ]

    await _index(uow, *referral("one-by-one"), *referral("known-a"), *referral("known-b"))
    seen: list[str] = []
    listen(engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(" ".join(a[2].split())))
    async with uow() as u:  # two new cases' events, interleaved, in one transaction
        for a, b in zip(referral("batched-a"), referral("batched-b"), strict=True):
            await index_event(u, a, a.data)
            await index_event(u, b, b.data)
        await u.commit()
    assert len([sql for sql in seen if sql.startswith("SELECT case_index.case_id")]) == 2  # one per case
    assert len([sql for sql in seen if sql.startswith("INSERT INTO case_index ")]) == 1  # both at once
    assert not [sql for sql in seen if sql.startswith("UPDATE case_index ")]
    seen.clear()
    async with uow() as u:  # a consumer batch of two indexed cases: read together, written together
        transaction_state(u.session, _BATCH)["subjects"] = ["known-b", "known-a"]
        for a, b in zip(referral("known-a"), referral("known-b"), strict=True):  # again: nothing new
            await index_event(u, a, a.data)
            await index_event(u, b, b.data)
        closed = _event("known-a", 4, "case.closed", reason="withdrawn", closed_on="2026-12-09")
        await index_event(u, closed, closed.data)
        await u.commit()
    assert len([sql for sql in seen if sql.startswith("SELECT case_index.case_id")]) == 1
    updates = [sql for sql in seen if sql.startswith("UPDATE case_index ")]
    assert len(updates) == 1 and not [sql for sql in seen if sql.startswith("INSERT INTO case_index ")]
    stages = {c: await find(uow=uow(), scopes=("4103",), case_id=c) for c in ("known-a", "known-b")}
    assert {c: found.entry.stage if found else None for c, found in stages.items()} == {
        "known-a": "withdrawn",
        "known-b": "docketed",
    }
    one_by_one = await find(uow=uow(), scopes=("4103",), case_id="one-by-one")
    assert one_by_one is not None
    for case_id in ("batched-a", "batched-b", "known-b"):
        found = await find(uow=uow(), scopes=("4103",), case_number=f"{N1}-{case_id}")
        assert found is not None and found.entry.case_id == case_id
        assert [n.case_number for n in found.entry.numbers] == [f"{N1}-{case_id}", f"{N2}-{case_id}"]
        assert (found.entry.stage, found.entry.commission_id) == (one_by_one.entry.stage, "arb-410311")


async def test_a_case_referred_into_its_keeper_is_found_there_with_both_numbers(engine, uow) -> None:
    await _index(
        uow,
        _accepted("keeper", 1, N2, "arb-410311", "2026-12-01", "app-k"),
        _accepted("other", 1, N1, "arb-4103", "2026-12-03", "app-o"),
        _event(
            "other",
            2,
            "application.referred",
            application_id="app-o",
            from_commission_id="arb-4103",
            to_commission_id="arb-410311",
            referred_on="2026-12-05",
            reason="same dispute",
            to_case_id="keeper",
        ),
    )
    found = await find(uow=uow(), scopes=("4103",), case_number=N1)
    assert found is not None and found.entry.case_id == "keeper" and found.entry.case_number == N2
    assert [n.case_number for n in found.referred_in] == [N1]


async def test_a_callback_naming_only_the_docket_number_publishes_both_keys(engine, uow) -> None:
    await _index(uow, _accepted("c1", 1, N1, "arb-4103", "2026-12-04", "app-1"))
    assert await accept_callback(uow=uow(), webhook_id="m1", callback=_lawsuit(case_number=N1), sender=LUOYANG)
    (row,) = await _outbox(engine)
    assert row.partition_key == "c1" and row.data["case_id"] == "c1" and row.data["case_number"] == N1
    assert row.event_type == "cn.labornet.court.lawsuit_filed.v1"


@pytest.mark.parametrize(
    ("keys", "sender", "status", "fields"),
    [
        ({"case_number": "洛劳人仲案字〔2026〕第99号"}, LUOYANG, 404, {"case_number"}),  # unknown 案号
        ({"case_id": "nobody"}, LUOYANG, 404, {"case_id"}),  # unknown case id
        ({"case_number": N1}, WEIHAI, 404, {"case_number"}),  # outside the sending court's regions
        ({"case_id": "c1"}, WEIHAI, 404, {"case_id"}),
        ({"case_number": N1, "case_id": "c2"}, LUOYANG, 422, {"case_id", "case_number"}),  # keys disagree
    ],
)
async def test_refused_callbacks_publish_nothing_and_leave_the_webhook_id_free(
    engine, uow, keys, sender, status, fields
) -> None:
    await _index(
        uow,
        _accepted("c1", 1, N1, "arb-4103", "2026-12-04", "app-1"),
        _accepted("c2", 1, N2, "arb-4103", "2026-12-04", "app-2"),
    )
    with refusal() as refused:
        await accept_callback(uow=uow(), webhook_id="m1", callback=_lawsuit(**keys), sender=sender)
    assert refused.value.status == status and {e.field for e in refused.value.errors} == fields
    assert refused.value.errors[0].message_zh and refused.value.errors[0].message_en
    assert await _outbox(engine) == []
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(inbound)) == 0
    # The court corrects the callback and sends it again under the same webhook-id: accepted.
    assert await accept_callback(
        uow=uow(), webhook_id="m1", callback=_lawsuit(case_number=N1, case_id="c1"), sender=LUOYANG
    )
    assert len(await _outbox(engine)) == 1
