"""Migration 0011 moves each stored case's claims and history from JSON lists into rows, in
their order, with the counts beside the case; its downgrade puts the lists back."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command

from labornet_common.platform.db import create_engine
from labornet_common.platform.migrations import alembic_config, upgrade_to_head
from labornet_mediation.adapters.orm import mediation_case_claims, mediation_case_history
from labornet_mediation.main import SPEC

CLAIMS = [
    {"category": "labor_remuneration", "amount_fen": 1_860_000},
    {"category": "economic_compensation", "amount_fen": 420_000, "note": "解除劳动合同"},
]
HISTORY = ["2026-09-01 调解中心收到调解申请", "2026-09-02 调解组织受理", "2026-09-03 新增劳动者加入本案"]
_COLUMNS = "case_id division_code status worker_name employer_name facts received_on due_on opened_at".split()
OLD_CASES = sa.table(
    "mediation_cases",
    *(sa.column(name) for name in _COLUMNS),
    sa.column("claims", sa.JSON),
    sa.column("history_zh", sa.JSON),
)


def _case(case_id: str, claims: list[dict[str, object]], history: list[str] | None) -> dict[str, object]:
    return {
        "case_id": case_id,
        "division_code": "410311007",
        "status": "ACCEPTED",
        "worker_name": "王师傅",
        "employer_name": "洛阳某建筑工程有限公司",
        "facts": "",
        "received_on": date(2026, 9, 1),
        "due_on": date(2026, 9, 16),
        "opened_at": datetime(2026, 9, 1, 1, 0, tzinfo=UTC),
        "claims": claims,
        "history_zh": history,
    }


def _to(cfg, verb, revision: str):
    def run(connection) -> None:
        cfg.attributes["connection"] = connection
        verb(cfg, revision)

    return run


async def test_the_lists_become_rows_and_come_back(database_url: str) -> None:
    engine = create_engine(database_url)
    cfg = alembic_config(SPEC.migrations_dir)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_to(cfg, command.upgrade, "0010"))
            await conn.execute(sa.insert(OLD_CASES), [_case("c-1", CLAIMS, HISTORY), _case("c-2", [], None)])
        await upgrade_to_head(engine, SPEC.migrations_dir)
        async with engine.connect() as conn:
            claims = (await conn.execute(sa.select(mediation_case_claims))).all()
            lines = (await conn.execute(sa.select(mediation_case_history))).all()
            counts = dict(
                (await conn.execute(sa.text("SELECT case_id, claim_count + 100 * history_count FROM mediation_cases")))
                .tuples()
                .all()
            )
        assert sorted((r.case_id, r.n, r.claim["amount_fen"]) for r in claims) == [
            ("c-1", 0, 1_860_000),
            ("c-1", 1, 420_000),
        ]
        assert sorted((r.case_id, r.n, r.text_zh) for r in lines) == [("c-1", n, t) for n, t in enumerate(HISTORY)]
        assert counts == {"c-1": 2 + 300, "c-2": 0}

        async with engine.begin() as conn:
            await conn.run_sync(_to(cfg, command.downgrade, "0010"))
        async with engine.connect() as conn:
            back = {
                r.case_id: (r.claims, r.history_zh)
                for r in await conn.execute(sa.select(OLD_CASES.c.case_id, OLD_CASES.c.claims, OLD_CASES.c.history_zh))
            }
        assert back == {"c-1": (CLAIMS, HISTORY), "c-2": ([], [])}
    finally:
        await engine.dispose()
