"""What fault tests count once the faults are over: read from each service's own database.

For the complaints a client saw accepted: does each exist once in intake and have exactly one
mediation case, did every event intake and mediation published about them reach wage arrears
once, in each case's order.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import MetaData, Table, select

from labornet_common.platform.db import create_engine

OPENED = "cn.labornet.mediation.case.opened.v1"
WAGE_ARREARS_CONSUMER = "wage-arrears.cases"


async def rows(url: str, table: str, *columns: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            t = await conn.run_sync(lambda sync: Table(table, MetaData(), autoload_with=sync))
            return [tuple(r) for r in await conn.execute(select(*(t.c[c] for c in columns)))]
    finally:
        await engine.dispose()


def reordered(inbox: list[tuple[Any, ...]]) -> int:
    """Per (source, case) stream, in the order applied, a sequence other than the next one.
    Rows: (consumer, event_id, source, stream_id, sequence, processed_at)."""
    last: dict[tuple[str, str], int] = {}
    out = 0
    for _consumer, _event, source, stream, sequence, _at in sorted(inbox, key=lambda r: (r[5], r[4])):
        out += sequence != last.get((source, stream), 0) + 1
        last[(source, stream)] = sequence
    return out


async def downstream(databases: dict[str, str], accepted: list[str]) -> dict[str, int]:
    """Mediation cases and wage-arrears events of the complaints in ``accepted`` (case ids)."""
    cases = set(accepted)
    opened = Counter(
        k for k, t in await rows(databases["mediation"], "outbox", "partition_key", "event_type") if t == OPENED
    )
    mediated = {c for (c,) in await rows(databases["mediation"], "mediation_cases", "case_id")}
    sent = [
        (event_id, key)
        for name in ("intake", "mediation")
        for event_id, key in await rows(databases[name], "outbox", "event_id", "partition_key")
        if key in cases
    ]
    columns = ("consumer", "event_id", "source", "stream_id", "sequence", "processed_at")
    inbox = [r for r in await rows(databases["wage-arrears"], "inbox", *columns) if r[0] == WAGE_ARREARS_CONSUMER]
    reached = Counter(r[1] for r in inbox)
    facts = {c for (c,) in await rows(databases["wage-arrears"], "wa_cases", "case_id")}
    return {
        "complaints without a mediation case": len(cases - mediated),
        "duplicated mediation cases": sum(n - 1 for c, n in opened.items() if c in cases and n > 1),
        "events": len(sent),
        "events lost before wage arrears": sum(1 for e, _ in sent if e not in reached),
        "events applied twice": sum(1 for e, _ in sent if reached[e] > 1),
        "events applied out of order": reordered(inbox),
        "cases without their facts in wage arrears": len(cases - facts),
    }
