"""A consumer batch of one case's events (SQLite and PostgreSQL): the case is read once and
written once, and ends as the same events applied one by one leave it. A batch adds to a case's
claims and history without reading them: a large collective case costs no more to join."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, select

from labornet_common.contracts.events import EventData
from labornet_common.contracts.intake import ComplaintClosed, ComplaintJoined, ComplaintRouted
from labornet_mediation.adapters import repository
from labornet_mediation.adapters.orm import mediation_case_claims, mediation_case_history, mediation_cases
from labornet_mediation.service.context import MediationContext
from labornet_mediation.service.handlers import event_handlers
from tests.support.mediation import deliver, fixed_today, kafka_record, mediation_db

CTX = MediationContext(today=fixed_today(date(2026, 9, 16)))
AT = datetime(2026, 9, 16, 1, 30, tzinfo=UTC)
JOINED = "cn.labornet.mediation.case.workers_joined.v1"


@pytest.fixture
async def db(database_url: str):
    async with mediation_db(database_url) as db:
        yield db


def _events(case_id: str) -> list[EventData]:
    routed = ComplaintRouted(
        case_id=case_id,
        route="mediation",
        target_division="410311007",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        claims=[{"category": "labor_remuneration", "amount_fen": 1_860_000}],
    )

    def joined(n: int, kind: str = "grouped") -> ComplaintJoined:
        return ComplaintJoined(
            case_id=case_id,
            filing_id=f"filing-{n}",
            kind=kind,
            region_code="410311",
            worker_count=n,
            collective=n >= 10,
            claims=[{"category": "labor_remuneration", "amount_fen": 100_000 * n}],
        )

    withdrawn = ComplaintClosed(
        case_id=case_id, region_code="410311", reason="已与单位自行和解", closed_on=date(2026, 9, 16)
    )
    # Opened, three workers join (one of them a duplicate filing: nobody joins), then withdrawn.
    return [routed, joined(2), joined(3, "duplicate"), joined(10), withdrawn]


async def _case(db, case_id: str) -> dict[str, Any]:
    async with db.engine.connect() as conn:
        row = (await conn.execute(select(mediation_cases).where(mediation_cases.c.case_id == case_id))).one()
        claims = (
            await conn.execute(select(mediation_case_claims).where(mediation_case_claims.c.case_id == case_id))
        ).all()
        lines = (
            await conn.execute(select(mediation_case_history).where(mediation_case_history.c.case_id == case_id))
        ).all()
    # The version counts saves (the optimistic lock), not events: a batch saves once.
    stored = {k: v for k, v in row._mapping.items() if k not in ("case_id", "tracking_number", "version")}
    stored["claims"] = sorted((r.n, r.claim) for r in claims)
    stored["history_zh"] = sorted((r.n, r.text_zh) for r in lines)
    return stored


async def test_a_batch_reads_and_writes_its_case_once_and_ends_as_one_by_one(db) -> None:
    one, batched = str(uuid.uuid4()), str(uuid.uuid4())
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    for sequence, data in enumerate(_events(one), start=1):
        assert (await deliver(consumer, data, case_id=one, sequence=sequence, time=AT)).outcome == "applied"

    seen: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(" ".join(a[2].split())))
    records = [
        kafka_record(data, case_id=batched, sequence=sequence, time=AT)
        for sequence, data in enumerate(_events(batched), start=1)
    ]
    settled = await consumer.process_batch(records)
    assert settled is not None and [s.outcome for s in settled] == ["applied"] * 5

    def count(prefix: str) -> int:
        return len([sql for sql in seen if sql.startswith(prefix)])

    # The case is looked for once (it is new), inserted once and updated once, at commit.
    assert count("SELECT mediation_cases.") == 1
    assert count("INSERT INTO mediation_cases ") == 1
    assert count("UPDATE mediation_cases ") == 1
    assert await _case(db, batched) == await _case(db, one)
    assert [e["type"] for e in await db.events(batched)] == [e["type"] for e in await db.events(one)]
    joined = [(e["filing_id"], e["worker_count"]) for e in await db.events(batched, JOINED)]
    assert joined == [("filing-2", 2), ("filing-10", 10)]


async def test_a_batch_of_several_cases_reads_them_all_in_one_statement(db) -> None:
    cases = [str(uuid.uuid4()) for _ in range(4)]
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    for case_id in cases[:3]:  # three open cases; the fourth comes in the batch
        routed = _events(case_id)[0]
        assert (await deliver(consumer, routed, case_id=case_id, sequence=1, time=AT)).outcome == "applied"
    seen: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(" ".join(a[2].split())))
    joins = [(case_id, _events(case_id)[1]) for case_id in cases[:3]]  # a second worker joins each
    records = [kafka_record(data, case_id=case_id, sequence=2, time=AT) for case_id, data in joins]
    records.append(kafka_record(_events(cases[3])[0], case_id=cases[3], sequence=1, time=AT))
    settled = await consumer.process_batch(records)
    assert settled is not None and [s.outcome for s in settled] == ["applied"] * 4
    # The four cases looked for in one statement (three found and locked, one new); the three
    # found, whose joins change the same columns, written in one statement.
    reads = [sql for sql in seen if sql.startswith("SELECT mediation_cases.")]
    assert len(reads) == 1
    assert ("FOR UPDATE OF mediation_cases" in reads[0]) == (db.engine.dialect.name == "postgresql")
    assert len([sql for sql in seen if sql.startswith("UPDATE mediation_cases ")]) == 1
    assert len([sql for sql in seen if sql.startswith("INSERT INTO mediation_cases ")]) == 1
    for case_id in cases[:3]:
        assert [e["worker_count"] for e in await db.events(case_id, JOINED)] == [2]
        assert (await _case(db, case_id))["joined_filings"] == ["filing-2"]
    async with db.engine.connect() as conn:  # each saved once: its version moved by one
        versions = dict((await conn.execute(select(mediation_cases.c.case_id, mediation_cases.c.version))).all())
    assert {versions[c] for c in cases[:3]} == {versions[cases[3]] + 1}
    assert await db.events(cases[3])  # opened


async def test_a_batch_adds_to_a_large_case_without_reading_its_claims_or_history(db) -> None:
    """Forty workers have joined; a batch brings three more. It reads no claim and no history
    line, appends the three workers' claims and lines numbered on from the stored ones, and the
    case read whole has every claim and line in the order they came."""
    case_id = str(uuid.uuid4())
    consumer = db.consumer("mediation.intake", event_handlers(CTX))
    routed = _events(case_id)[0]
    assert (await deliver(consumer, routed, case_id=case_id, sequence=1, time=AT)).outcome == "applied"

    def joined(n: int) -> ComplaintJoined:
        claim = {"category": "labor_remuneration", "amount_fen": 100_000 + n}
        return ComplaintJoined(
            case_id=case_id, filing_id=f"f-{n}", kind="grouped", region_code="410311", worker_count=n, claims=[claim]
        )

    for n in range(2, 42):  # one by one: 40 joins
        assert (await deliver(consumer, joined(n), case_id=case_id, sequence=n, time=AT)).outcome == "applied"
    seen: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(" ".join(a[2].split())))
    records = [kafka_record(joined(n), case_id=case_id, sequence=n, time=AT) for n in range(42, 45)]
    settled = await consumer.process_batch(records)
    assert settled is not None and [s.outcome for s in settled] == ["applied"] * 3
    assert not [sql for sql in seen if "FROM mediation_case_claims" in sql or "FROM mediation_case_history" in sql]
    appended = [
        sql
        for sql in seen
        if sql.startswith(("INSERT INTO mediation_case_claims", "INSERT INTO mediation_case_history"))
    ]
    assert len(appended) == 2  # one statement for the claims, one for the lines, whatever their number

    stored = await _case(db, case_id)
    assert [n for n, _ in stored["claims"]] == list(range(44)) and stored["claim_count"] == 44
    assert [c["amount_fen"] for _, c in stored["claims"][1:]] == [100_000 + n for n in range(2, 45)]
    assert [n for n, _ in stored["history_zh"]] == list(range(44)) and stored["history_count"] == 44
    assert stored["history_zh"][-1][1].endswith("现有劳动者44人")
    async with db.uow() as uow:
        case = await repository.load(session=uow.session, case_id=case_id)
    assert case is not None and len(case.claims) == 44 and case.claims[-1]["amount_fen"] == 100_044
    assert case.history_zh == [line for _, line in stored["history_zh"]]
