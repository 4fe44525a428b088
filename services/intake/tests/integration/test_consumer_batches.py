"""A consumer batch of later services' events about several cases (SQLite and PostgreSQL):
intake asks once which of the batch's cases it holds, reads their passports once, locked, and
writes the timeline lines and the passports the batch changed together before it commits;
each line once, whatever is redelivered, and every passport as the events one by one leave it."""

from __future__ import annotations

import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import event, select

from labornet_common.contracts.events import Envelope, to_kafka, utcnow
from labornet_common.contracts.passport import Passport
from labornet_common.platform.bus.consumer import EventConsumer, Reader
from labornet_common.platform.bus.topics import MEDIATION
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.testing.intake_support import as_, complaint_body, serving_intake
from labornet_intake.adapters.orm import messaging, passports, timeline
from labornet_intake.service import passports as passport_handlers
from labornet_intake.service import tracking

OPENED = "cn.labornet.mediation.case.opened.v1"
ACCEPTED = "cn.labornet.mediation.case.accepted.v1"


def _record(case_id: str, sequence: int, event_type: str, event_id: str | None = None) -> SimpleNamespace:
    envelope = Envelope(
        id=event_id or str(uuid.uuid4()),
        type=event_type,
        source="/labornet/mediation",
        subject=case_id,
        data={
            "case_id": case_id,
            "division_code": "410311",
            "centre_name": "洛龙区科技园街道劳动争议调解中心",
            "received_on": "2026-12-07",
            "due_on": "2026-12-22",
            "accepted_on": "2026-12-08",
        },
        sequence=sequence,
        time=utcnow(),
    )
    record = to_kafka(envelope)
    return SimpleNamespace(topic=MEDIATION, key=record.key, value=record.value, headers=record.headers)


def _consumer(url: str) -> tuple[Any, EventConsumer]:
    engine = create_engine(url)
    return engine, EventConsumer(
        name="intake.test",
        topics=["intake.test.none"],
        handlers={},
        session_factory=session_factory(engine),
        tables=messaging,
        source="/labornet/intake",
        max_attempts=1,
        retry_backoff_s=0,
        also=[
            Reader("intake.tracking", tracking.HANDLERS, frozenset({MEDIATION})),
            Reader("intake.passport", passport_handlers.HANDLERS, frozenset({MEDIATION})),
        ],
    )


async def test_a_batch_reads_once_and_writes_together(database_url: str, broker: str, tmp_path: Path) -> None:
    async with serving_intake(database_url, broker, tmp_path) as intake, intake.client() as client:
        body = complaint_body(employer_name="洛阳某批量测试有限公司")
        ours = [(await client.post("/api/v1/complaints", json=body, headers=as_(None))).json()["case_id"]]
        body = complaint_body(employer_name="洛阳另一家公司")
        ours.append((await client.post("/api/v1/complaints", json=body, headers=as_(None))).json()["case_id"])
    elsewhere = str(uuid.uuid4())  # lodged directly at the centre: intake does not hold it
    engine, consumer = _consumer(database_url)
    try:
        opened_id = str(uuid.uuid4())
        batch = [
            _record(ours[0], 1, OPENED, opened_id),
            _record(ours[1], 1, OPENED),
            _record(elsewhere, 1, OPENED),
            _record(ours[0], 2, ACCEPTED),
            _record(elsewhere, 2, ACCEPTED),
        ]
        seen: list[str] = []

        def sent(*args: Any) -> None:
            seen.append(" ".join(args[2].split()))

        event.listen(engine.sync_engine, "before_cursor_execute", sent)
        settled = await consumer.process_batch(batch)
        assert settled is not None
        event.remove(engine.sync_engine, "before_cursor_execute", sent)

        def count(start: str) -> int:
            return len([sql for sql in seen if sql.startswith(start)])

        assert count("SELECT complaints.case_id") == 1  # which of the batch's cases intake holds
        assert count("SELECT passports.case_id, passports.state") == 1
        assert count("INSERT INTO timeline") == 1
        assert count("INSERT INTO passports") == 1  # the case lodged elsewhere: its first passport here
        assert count("UPDATE passports") == 1  # intake's two cases, in one statement sent for both

        again = await consumer.process(**vars(_record(ours[0], 1, OPENED, opened_id)))  # redelivered
        assert again.outcome in ("ignored", "duplicate")
        async with engine.connect() as conn:
            lines = (await conn.execute(select(timeline.c.case_id, timeline.c.event_type))).all()
            states = dict((await conn.execute(select(passports.c.case_id, passports.c.state))).tuples().all())
        mediation_lines = sorted((c, t) for c, t in lines if t is not None)
        assert mediation_lines == sorted([(ours[0], OPENED), (ours[0], ACCEPTED), (ours[1], OPENED)])
        stages = {case_id: Passport.from_dict(states[case_id]).stage for case_id in (*ours, elsewhere)}
        assert stages == {ours[0]: "mediation", ours[1]: "mediation", elsewhere: "mediation"}
    finally:
        await engine.dispose()
