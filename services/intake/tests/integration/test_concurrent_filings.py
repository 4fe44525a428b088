"""Filings against one employer that arrive at the same moment still make one case: the same
worker filing online while a clerk files for them at the window (or a double submit) is linked
to the one case, co-workers filing together are grouped into it, on both backends."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from labornet_common.platform.db import create_engine
from labornet_common.testing.intake_support import (
    USCC,
    as_,
    clerk,
    complaint_body,
    id_number,
    outbox_events,
    serving_intake,
)
from labornet_intake.adapters.orm import complaints, filings

FILINGS = 8


async def _at_once(client: httpx.AsyncClient, requests: list[tuple[dict[str, Any], dict[str, str]]]) -> list[dict]:
    """Send every filing together; each answer's body with its HTTP status as ``http``."""
    answers = await asyncio.gather(
        *(client.post("/api/v1/complaints", json=body, headers=headers) for body, headers in requests)
    )
    assert all(a.status_code in (200, 201) for a in answers), [a.text for a in answers]
    return [{**a.json(), "http": a.status_code} for a in answers]


async def _stored(database_url: str, employer_key: str) -> tuple[list[str], dict[str, list[str]]]:
    """Case ids against the employer, and each case's filing kinds."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            case_ids = list(
                (
                    await conn.scalars(select(complaints.c.case_id).where(complaints.c.employer_key == employer_key))
                ).all()
            )
            kinds: dict[str, list[str]] = {}
            for case_id, kind in (
                await conn.execute(select(filings.c.case_id, filings.c.kind).where(filings.c.case_id.in_(case_ids)))
            ).all():
                kinds.setdefault(case_id, []).append(kind)
            assert await conn.scalar(select(func.count()).select_from(filings)) == sum(map(len, kinds.values()))
    finally:
        await engine.dispose()
    return case_ids, kinds


async def test_the_same_worker_filing_at_once_makes_one_case(database_url: str, broker: str, tmp_path: Path) -> None:
    worker = id_number("41030219900505456")
    online = complaint_body(
        employer_name="并发重复测试公司", employer_uscc=USCC, worker_id_number=worker, channel="online"
    )
    at_window = {**online, "channel": "window"}
    requests = [(online, as_(None)) if i % 2 else (at_window, as_(clerk("4103"))) for i in range(FILINGS)]
    async with serving_intake(database_url, broker, tmp_path) as intake, intake.client() as client:
        answers = await _at_once(client, requests)
    created = [a for a in answers if a["outcome"] == "created"]
    assert len(created) == 1 and created[0]["http"] == 201 and created[0]["access_code"]
    case_id = created[0]["case_id"]
    linked = [a for a in answers if a is not created[0]]
    assert {(a["http"], a["outcome"], a["case_id"]) for a in linked} == {(200, "linked_duplicate", case_id)}
    assert all(a.get("access_code") is None for a in linked)
    case_ids, kinds = await _stored(database_url, f"uscc:{USCC}")
    assert case_ids == [case_id]
    assert sorted(kinds[case_id]) == ["created"] + ["linked_duplicate"] * (FILINGS - 1)
    events = [kind for kind, _data in await outbox_events(database_url, case_id)]
    assert events.count("received") == 1 and events.count("joined") == FILINGS - 1


async def test_co_workers_filing_at_once_are_grouped_into_one_case(
    database_url: str, broker: str, tmp_path: Path
) -> None:
    name = "并发集体欠薪测试建筑公司"
    workers = [id_number(f"41030219910101{100 + i:03d}") for i in range(FILINGS)]
    requests = [
        (complaint_body(employer_name=name, worker_id_number=w, worker_name=f"工友{i}", channel="online"), as_(None))
        for i, w in enumerate(workers)
    ]
    async with serving_intake(database_url, broker, tmp_path) as intake, intake.client() as client:
        answers = await _at_once(client, requests)
    created = [a for a in answers if a["outcome"] == "created"]
    assert len(created) == 1 and created[0]["http"] == 201
    case_id = created[0]["case_id"]
    grouped = [a for a in answers if a is not created[0]]
    assert {(a["http"], a["outcome"], a["case_id"]) for a in grouped} == {(200, "grouped", case_id)}
    # Each joining filing saw every one before it: the counts 2..N are handed out once each.
    assert sorted(a["worker_count"] for a in grouped) == list(range(2, FILINGS + 1))
    case_ids, kinds = await _stored(database_url, "name:410311:并发集体欠薪测试建筑公司")
    assert case_ids == [case_id]
    assert sorted(kinds[case_id]) == ["created"] + ["grouped"] * (FILINGS - 1)
    events = await outbox_events(database_url, case_id)
    assert [kind for kind, _data in events].count("received") == 1
    assert sorted(data["worker_count"] for kind, data in events if kind == "joined") == list(range(2, FILINGS + 1))


async def test_one_idempotency_key_sent_at_once_answers_once(database_url: str, broker: str, tmp_path: Path) -> None:
    """Without an ID number the filing holds no employer key: the stored answer settles the race."""
    body = complaint_body(employer_name="并发幂等测试公司")
    headers = {**as_(None), "Idempotency-Key": "double-submit-1"}
    async with serving_intake(database_url, broker, tmp_path) as intake, intake.client() as client:
        sent = await asyncio.gather(
            *(client.post("/api/v1/complaints", json=body, headers=headers) for _ in range(FILINGS))
        )
    assert [r.status_code for r in sent] == [201] * FILINGS, [r.text for r in sent]
    first = [r.json() for r in sent if "idempotent-replayed" not in r.headers]
    replayed = [r.json() for r in sent if r.headers.get("idempotent-replayed") == "true"]
    assert len(first) == 1 and len(replayed) == FILINGS - 1 and first[0]["access_code"]
    assert {r["case_id"] for r in replayed} == {first[0]["case_id"]}
    assert all("access_code" not in r for r in replayed)
    case_ids, kinds = await _stored(database_url, "name:410311:并发幂等测试公司")
    assert case_ids == [first[0]["case_id"]] and kinds == {first[0]["case_id"]: ["created"]}
