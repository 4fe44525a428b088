"""The clerk's record of receipt (stored beside the moment of typing, carried by the events,
used for limitation) and a collective case's representatives (encrypted, masked, announced by
name only, replaced by staff later), through intake's API on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from labornet_common.platform.db import create_engine
from labornet_common.reference.calendar import Period, default_calendar
from labornet_common.security.auth import Principal, Role
from labornet_common.testing.intake_support import (
    as_,
    clerk,
    complaint_body,
    id_number,
    outbox_events,
    staff,
    worker,
)
from labornet_intake.adapters.orm import complaints, representatives
from labornet_intake.domain.receipt import CHINA

pytestmark = pytest.mark.asyncio(loop_scope="module")

RECEIVED = datetime.now(CHINA).date() - timedelta(days=20)
CLERK = clerk("4103", "demo:clerk.luoyang")
REPS = [
    {"name": "张代表", "id_number": id_number("41030219800101123"), "phone": "13812345678"},
    {"name": "李代表"},
    {"name": "王代表", "phone": "13987654321"},
]


def _ended_so_that_the_year_expires_after(received: date) -> date:
    """An employment end whose one year (LDA Art. 27) expires after ``received`` but before today."""
    calendar, ended = default_calendar(), received.replace(year=received.year - 1)
    while calendar.deadline(Period.LIMITATION_1Y, ended).due < received:
        ended += timedelta(days=1)
    assert calendar.deadline(Period.LIMITATION_1Y, ended).due < _today()
    return ended


async def _post(intake, body: dict, who: Principal | None = CLERK):
    async with intake.client() as client:
        return await client.post("/api/v1/complaints", json=body, headers=as_(who))


async def _get(intake, path: str, who: Principal = CLERK) -> dict:
    async with intake.client() as client:
        r = await client.get(path, headers=as_(who))
    assert r.status_code == 200, r.text
    return r.json()


def _today() -> date:
    """Today in China, asked when needed: a run may cross midnight there between collecting the
    tests and running them."""
    return datetime.now(CHINA).date()


def _fields(r) -> dict[str, str]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return {e["field"]: e["code"] for e in r.json()["errors"]}


async def test_a_past_receipt_is_kept_beside_the_typing_and_limitation_runs_to_it(intake) -> None:
    ended = _ended_so_that_the_year_expires_after(RECEIVED)
    body = complaint_body(
        channel="window",
        employer_name="收件时间测试公司",
        received_at=RECEIVED.isoformat(),
        employment_ended_on=str(ended),
        claims=[
            {
                "category": "labor_remuneration",
                "amount_fen": 500_000,
                "period_from": str(ended - timedelta(days=60)),
                "period_to": str(ended),
            }
        ],
    )
    before = _today()
    r = await _post(intake, body)
    typed_between = {before, _today()}  # the day it was typed in, midnight or not
    assert r.status_code == 201, r.text
    assert r.json()["limitation_warning"] is False  # typed today, it would be out of time
    case_id = r.json()["case_id"]
    read = await _get(intake, f"/api/v1/complaints/{case_id}")
    received_at = datetime.fromisoformat(read["received_at"])
    assert received_at.astimezone(CHINA).date() == RECEIVED
    typed_on = datetime.fromisoformat(read["registered_at"]).astimezone(CHINA).date()
    assert typed_on in typed_between
    assert read["filed_by"] == "demo:clerk.luoyang"
    events = dict(await outbox_events(intake.database_url, case_id))
    for kind in ("received", "routed"):
        assert datetime.fromisoformat(events[kind]["received_at"]).astimezone(CHINA).date() == RECEIVED
    view = await _get(intake, f"/api/v1/tracking/{case_id}", worker(case_id))
    line = f"收件时间：{RECEIVED:%Y年%m月%d日}；录入时间：{typed_on:%Y年%m月%d日}"
    assert any(e["text_zh"].startswith(line) for e in view["timeline"]), view["timeline"]


async def test_without_a_receipt_it_was_received_when_typed(intake) -> None:
    r = await _post(intake, complaint_body(channel="window", employer_name="当场录入测试公司"))
    read = await _get(intake, f"/api/v1/complaints/{r.json()['case_id']}")
    assert read["received_at"] == read["registered_at"]


async def test_refused_receipts_name_the_field_in_both_languages(intake) -> None:
    # Two days ahead: still ahead should midnight pass in China between this line and the answer.
    ahead = _today() + timedelta(days=2)
    future = _fields(await _post(intake, complaint_body(channel="window", received_at=str(ahead))))
    assert future == {"received_at": "received_at.future"}
    old = _fields(await _post(intake, complaint_body(channel="window", received_at=str(_today() - timedelta(days=31)))))
    assert old == {"received_at": "received_at.too_old"}
    online = await _post(intake, complaint_body(received_at=str(RECEIVED)), who=None)
    assert _fields(online) == {"received_at": "received_at.online"}
    naive = await _post(intake, complaint_body(channel="window", received_at=f"{RECEIVED}T10:00:00"))
    error = naive.json()["errors"][0]
    assert (error["field"], error["code"]) == ("received_at", "received_at.offset_required")
    assert "时区" in error["message_zh"] and "offset" in error["message_en"]


def _collective(**extra) -> dict:
    return complaint_body(channel="window", worker_count=12, facts="十二名工人2026年工资未发放", **extra)


async def test_a_collective_filing_carries_representatives_encrypted_and_masked(intake) -> None:
    r = await _post(intake, _collective(employer_name="集体代表测试公司", representatives=REPS))
    assert r.status_code == 201, r.text
    case_id = r.json()["case_id"]
    read = await _get(intake, f"/api/v1/complaints/{case_id}")
    assert [p["name"] for p in read["representatives"]] == ["张代表", "李代表", "王代表"]
    assert read["representatives"][0]["id_number"] == REPS[0]["id_number"][:6] + "********" + REPS[0]["id_number"][-4:]
    assert read["representatives"][0]["phone"] == "138****5678" and read["representatives"][1]["phone"] is None
    view = await _get(intake, f"/api/v1/tracking/{case_id}", worker(case_id))
    assert view["representatives"] == ["张代表", "李代表", "王代表"]
    events = await outbox_events(intake.database_url, case_id)
    assert [kind for kind, _ in events] == ["received", "routed", "chosen"]
    chosen = events[-1][1]
    assert chosen["names"] == ["张代表", "李代表", "王代表"] and chosen["worker_count"] == 12
    assert REPS[0]["id_number"] not in str(events) and "13812345678" not in str(events)
    stored = await _rows(intake, case_id)
    assert REPS[0]["id_number"] not in str(stored) and "13812345678" not in str(stored)
    assert stored[0]["id_number_bidx"] and stored[1]["id_number_enc"] is None


async def _rows(intake, case_id: str) -> list[dict]:
    engine = create_engine(intake.database_url)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(representatives)
                    .where(representatives.c.case_id == case_id)
                    .order_by(representatives.c.position)
                )
            ).all()
            assert await conn.scalar(select(complaints.c.registered_at).where(complaints.c.case_id == case_id))
    finally:
        await engine.dispose()
    return [dict(row._mapping) for row in rows]


async def test_representatives_need_a_collective_case_and_three_to_five(intake) -> None:
    single = _fields(await _post(intake, complaint_body(channel="window", representatives=REPS)))
    assert single == {"representatives": "representatives.not_collective"}
    two = _fields(await _post(intake, _collective(employer_name="两名代表测试公司", representatives=REPS[:2])))
    assert two == {"representatives": "representatives.count"}


async def test_staff_record_and_replace_representatives_later(intake) -> None:
    r = await _post(intake, _collective(employer_name="后补代表测试公司"))
    case_id = r.json()["case_id"]
    path = f"/api/v1/complaints/{case_id}/representatives"
    four = [*REPS, {"name": "赵代表"}]
    async with intake.client() as client:
        first = await client.put(path, json={"representatives": REPS}, headers=as_(staff(Role.mediator, "4103")))
        again = await client.put(path, json={"representatives": REPS}, headers=as_(staff(Role.mediator, "4103")))
        replaced = await client.put(path, json={"representatives": four}, headers=as_(clerk("4103")))
        elsewhere = await client.put(path, json={"representatives": four}, headers=as_(clerk("3710")))
        as_worker = await client.put(path, json={"representatives": four}, headers=as_(worker(case_id)))
        inspector = await client.put(path, json={"representatives": four}, headers=as_(staff(Role.inspector, "4103")))
        anonymous = await client.put(path, json={"representatives": four}, headers=as_(None))
        six = await client.put(
            path, json={"representatives": [*four, {"name": "钱"}, {"name": "孙"}]}, headers=as_(clerk("4103"))
        )
    assert (first.status_code, again.status_code, replaced.status_code) == (200, 200, 200), first.text
    assert first.json()["representatives"][0]["phone"] == "138****5678"
    assert [p["name"] for p in replaced.json()["representatives"]] == ["张代表", "李代表", "王代表", "赵代表"]
    assert (elsewhere.status_code, as_worker.status_code, inspector.status_code) == (404, 403, 403)
    assert anonymous.status_code == 401
    assert _fields(six) == {"representatives": "representatives.count"}
    chosen = [data for kind, data in await outbox_events(intake.database_url, case_id) if kind == "chosen"]
    assert [(c["names"][-1], c["replaced"]) for c in chosen] == [("王代表", False), ("赵代表", True)]
    read = await _get(intake, f"/api/v1/complaints/{case_id}")
    assert len(read["representatives"]) == 4


async def test_a_case_that_is_not_collective_cannot_get_representatives(intake) -> None:
    r = await _post(intake, complaint_body(channel="window", employer_name="非集体代表测试公司"))
    async with intake.client() as client:
        put = await client.put(
            f"/api/v1/complaints/{r.json()['case_id']}/representatives",
            json={"representatives": REPS},
            headers=as_(clerk("4103")),
        )
    assert _fields(put) == {"representatives": "representatives.not_collective"}
    missing = await _get_status(intake, "00000000-0000-4000-8000-000000000000")
    assert missing == 404


async def _get_status(intake, case_id: str) -> int:
    async with intake.client() as client:
        r = await client.put(
            f"/api/v1/complaints/{case_id}/representatives", json={"representatives": REPS}, headers=as_(clerk("4103"))
        )
    return r.status_code


async def test_a_co_workers_filing_that_joins_keeps_its_receipt_in_the_history(intake) -> None:
    employer = {"employer_name": "并入收件测试公司", "channel": "window"}
    first = await _post(intake, complaint_body(**employer, worker_id_number=id_number("41030219850101001")))
    before = _today()
    joined = await _post(
        intake,
        complaint_body(
            **employer, worker_name="赵师傅", worker_id_number=id_number("41030219860101003"), received_at=str(RECEIVED)
        ),
    )
    typed_between = {before, _today()}
    assert (first.status_code, joined.status_code, joined.json()["outcome"]) == (201, 200, "grouped"), joined.text
    case_id = first.json()["case_id"]
    view = await _get(intake, f"/api/v1/tracking/{case_id}", worker(case_id))
    lines = [f"并入的投诉收件时间：{RECEIVED:%Y年%m月%d日}；录入时间：{day:%Y年%m月%d日}" for day in typed_between]
    assert any(e["text_zh"].startswith(tuple(lines)) for e in view["timeline"]), view["timeline"]
