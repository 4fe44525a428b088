"""A consumer batch (SQLite and PostgreSQL): the cases of its events looked up in one statement,
those arbitration does not hold (most of intake's joins are mediation's) costing nothing more,
and a case that becomes an application within the batch found by the batch's later events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

from sqlalchemy import event

from labornet_arbitration.adapters import repository
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.intake import ComplaintJoined, ComplaintRouted
from tests.support.arbitration import cases_consumer, record_of

AT = datetime(2026, 8, 31, 2, 0, tzinfo=UTC)
INTAKE = "/labornet/intake"


def _routed(case_id: str) -> ComplaintRouted:
    return ComplaintRouted(
        case_id=case_id,
        route="arbitration",
        target_org_id="arb-4103",
        target_division="410311",
        worker_name="张三",
        employer_name=f"洛阳某公司{case_id[:8]}",
        workplace_division="410311",
        received_at=AT,
        claims=[ClaimSummary(category="labor_remuneration", amount_fen=100_000)],
    )


def _joined(case_id: str, count: int) -> ComplaintJoined:
    return ComplaintJoined(
        case_id=case_id,
        filing_id=f"filing-{case_id[:8]}",
        kind="grouped",
        region_code="410311",
        worker_count=count,
        claims=[ClaimSummary(category="overtime_pay", amount_fen=90_000)],
    )


async def test_a_batch_looks_its_cases_up_at_once_and_cases_not_held_cost_nothing(db, ctx) -> None:
    consumer = cases_consumer(db, ctx)
    seen: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(" ".join(a[2].split())))

    async def batch(elsewhere: int) -> tuple[list[str], str, str]:
        """An application received before the batch that a worker joins, one routed in the batch
        that a worker then joins, and ``elsewhere`` joins of cases arbitration does not hold."""
        held, born = str(uuid.uuid4()), str(uuid.uuid4())
        assert (
            await consumer.process(**record_of(_routed(held), source=INTAKE, sequence=1, at=AT))
        ).outcome == "applied"
        records = [
            record_of(_joined(held, 2), source=INTAKE, sequence=2, at=AT),
            record_of(_routed(born), source=INTAKE, sequence=1, at=AT),
            record_of(_joined(born, 3), source=INTAKE, sequence=2, at=AT),
            *(record_of(_joined(str(uuid.uuid4()), 2), source=INTAKE, sequence=1, at=AT) for _ in range(elsewhere)),
        ]
        seen.clear()
        settled = await consumer.process_batch([SimpleNamespace(**r) for r in records])
        assert settled is not None and [s.outcome for s in settled] == ["applied"] * len(records)
        return list(seen), held, born

    alone, *_ = await batch(elsewhere=0)
    among_others, held, born = await batch(elsewhere=3)
    lookups = [sql for sql in among_others if sql.startswith("SELECT DISTINCT arb_applications.case_id")]
    assert len(lookups) == 1  # every case of the batch, once
    assert len(among_others) == len(alone)  # three more joins, not one statement more
    for case_id, workers in ((held, 2), (born, 3)):
        async with db.uow() as uow:
            case = await repository.latest_for_case(session=uow.session, case_id=case_id)
        assert case is not None and case.worker_count == workers
        assert case.joined_filings == [f"filing-{case_id[:8]}"]
