"""The legal calendar beyond the shipped years, end to end (every service a real process):
an administrator enters a year's holiday schedule at the gateway; arbitration and mediation
learn it over Kafka, re-count their provisional clocks, and their APIs stop calling them
provisional. Schedules that break the notice's rules are refused with field-named problems
in Chinese and English; a non-admin is refused.

The schedule is the clearly-labelled TEST 2027 schedule (not the State Council's notice, which
chinesecalendar 1.11.0 does not ship), plus one made-up test holiday on the day today's award
clock would end, so the clock must move whatever day the test runs.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from labornet_common.contracts.calendar import ScheduleDay
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import Envelope, EventData, to_kafka
from labornet_common.contracts.intake import ComplaintRouted
from labornet_common.contracts.mediation import TransferredToArbitration
from labornet_common.platform.db import create_engine
from labornet_common.reference.calendar import PACKAGE_YEARS, LegalCalendar, Period
from labornet_common.reference.holiday_schedules import notice_of
from labornet_common.testing.api import eventually, get_once_present, sign_in
from labornet_common.testing.calendar_support import TEST_2027_DAYS, TEST_2027_NOTICE
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow

CHINA = ZoneInfo("Asia/Shanghai")
# LDA Art. 14: received Thu 2026-12-17, day 15 is Fri 2027-01-01 (元旦 in the test schedule) -> Mon 01-04.
MEDIATION_RECEIVED = datetime(2026, 12, 17, 2, 0, tzinfo=UTC)
CLAIMS = [ClaimSummary(category="labor_remuneration", amount_fen=1_860_000)]


async def _publish(broker: str, case_id: str, data: EventData, source: str, at: datetime | None = None) -> None:
    envelope = Envelope(
        id=str(uuid.uuid4()),
        type=data.event_type,
        source=source,
        subject=case_id,
        data=data.model_dump(mode="json"),
        sequence=1,
        time=at or datetime.now(UTC),
    )
    record = to_kafka(envelope)
    producer = AIOKafkaProducer(bootstrap_servers=broker, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(data.topic, value=record.value, key=record.key, headers=record.headers)
    finally:
        await producer.stop()


def _schedule_for(award_due_before: date) -> tuple[int, list[ScheduleDay]]:
    """The test schedule of the award clock's year, with its last day made a (test) holiday."""
    year = award_due_before.year
    assert year not in PACKAGE_YEARS, "the shipped data already covers the award clock's year"
    days = (
        list(TEST_2027_DAYS) if year == 2027 else [ScheduleDay(date=date(year, 1, 1), kind="holiday", festival="元旦")]
    )
    if award_due_before not in {d.date for d in days}:
        days.append(ScheduleDay(date=award_due_before, kind="holiday", festival="测试假日（非正式）"))
    return year, days


async def _refused(client: httpx.AsyncClient, admin: dict, clerk: dict) -> None:
    bad = {
        "notice": "",
        "days": [
            {"date": "2028-01-01", "kind": "holiday", "festival": "元旦"},  # another year
            {"date": "2027-02-08", "kind": "workday", "festival": "春节"},  # a Monday as make-up day
            {"date": "2027-02-06", "kind": "holiday", "festival": ""},  # no festival
        ],
    }
    r = await client.put("/api/v1/calendar/years/2027", json=bad, headers=admin)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert set(errors) == {"days.0.date", "days.1.date", "days.2.festival"}
    assert errors["days.1.date"]["message_zh"] == "调休上班日须为星期六或星期日"
    assert errors["days.1.date"]["message_en"] == "A make-up working day must be a Saturday or Sunday"
    shape = await client.put("/api/v1/calendar/years/2027", json={"days": [{"date": "2027-13-01"}]}, headers=admin)
    assert shape.status_code == 422 and {e["field"] for e in shape.json()["errors"]} >= {"days.0.date", "days.0.kind"}
    assert (await client.put("/api/v1/calendar/years/2027", json=bad, headers=clerk)).status_code == 403
    assert (await client.get("/api/v1/calendar/years", headers=clerk)).status_code == 403
    assert (await client.get("/api/v1/calendar/years/2027", headers=admin)).status_code == 404  # nothing stored


async def _accepted_application(client: httpx.AsyncClient, broker: str, arbitrator: dict) -> dict:
    case_id = str(uuid.uuid4())
    transfer = TransferredToArbitration(
        case_id=case_id,
        transfer_id=str(uuid.uuid4()),
        division_code="410311007",
        commission_id="arb-4103",
        tribunal_id="trib-410311-007",
        venue_name="科技园派出仲裁庭",
        grounds="timed_out",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        workplace_division="410311007",
        claims=CLAIMS,
    )
    await _publish(broker, case_id, transfer, "/labornet/mediation")

    async def listed() -> list[dict]:
        r = await client.get("/api/v1/arbitration/applications", headers=arbitrator, params={"limit": 100})
        return [a for a in r.json().get("items", []) if a["case_id"] == case_id]

    (application,) = await eventually(listed, bool, timeout_s=20)
    url = f"/api/v1/arbitration/applications/{application['application_id']}"
    accepted = await client.post(f"{url}/accept", json={}, headers=arbitrator)
    assert accepted.status_code == 200, accepted.text
    return accepted.json()


async def _mediation_case(client: httpx.AsyncClient, broker: str, mediator: dict) -> str:
    case_id = str(uuid.uuid4())
    routed = ComplaintRouted(
        case_id=case_id,
        route="mediation",
        target_division="410311007",
        worker_name="李师傅",
        employer_name="洛阳某科技园建设有限公司",
        facts="工资未发放",
        claims=CLAIMS,
        workplace_division="410311007",
        received_at=MEDIATION_RECEIVED,
    )
    await _publish(broker, case_id, routed, "/labornet/intake", at=MEDIATION_RECEIVED)
    opened = await get_once_present(client, f"/api/v1/mediation/cases/{case_id}", mediator)
    assert opened.status_code == 200, opened.text
    assert (opened.json()["clock"]["due_on"], opened.json()["clock"]["provisional"]) == ("2027-01-01", True)
    return case_id


async def test_an_entered_schedule_recounts_provisional_clocks_in_every_service(
    db_backend: str, broker: str, tmp_path: Path
) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=15) as client:
            admin = await sign_in(client, "admin", "admin-demo")
            clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
            arbitrator = await sign_in(client, "arbitrator.luoyang", "arbitrator-demo-4103")
            mediator = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
            await _refused(client, admin, clerk)

            application = await _accepted_application(client, broker, arbitrator)
            accepted_on = date.fromisoformat(application["accepted_on"])
            assert accepted_on == datetime.now(CHINA).date()
            before = date.fromisoformat(application["award_due_on"])
            assert "award_due_on" in application["provisional_deadlines"], stack.log_tail("arbitration")
            mediation_case = await _mediation_case(client, broker, mediator)

            year, days = _schedule_for(before)
            body = {"notice": TEST_2027_NOTICE, "days": [d.model_dump(mode="json") for d in days]}
            entered = await client.put(f"/api/v1/calendar/years/{year}", json=body, headers=admin)
            assert entered.status_code == 201, entered.text
            assert (entered.json()["version"], entered.json()["entered_by"]) == (1, "demo:admin")
            again = await client.put(f"/api/v1/calendar/years/{year}", json=body, headers=admin)
            assert (again.status_code, again.json()["version"]) == (200, 1)  # the same notice: no new version

            # LDA Art. 43 on the entered calendar: the last day is no longer a working day.
            expected = LegalCalendar(notices=[notice_of(year, days)]).deadline(Period.AWARD_45D, accepted_on).due
            assert expected > before
            url = f"/api/v1/arbitration/applications/{application['application_id']}"

            async def award_clock() -> dict:
                return (await client.get(url, headers=arbitrator)).json()

            moved = await eventually(award_clock, lambda a: a["award_due_on"] == expected.isoformat())
            assert moved["award_due_on"] == expected.isoformat(), stack.log_tail("arbitration")
            assert moved["provisional_deadlines"] == []

            async def mediation_clock() -> dict:
                return (await client.get(f"/api/v1/mediation/cases/{mediation_case}", headers=mediator)).json()

            clock = (await eventually(mediation_clock, lambda c: c["clock"]["due_on"] == "2027-01-04"))["clock"]
            assert (clock["due_on"], clock["provisional"]) == ("2027-01-04", False), stack.log_tail("mediation")

            listed = (await client.get("/api/v1/calendar/years", headers=admin)).json()
            assert [(i["year"], i["version"]) for i in listed["items"]] == [(year, 1)]
            await _stored_everywhere(stack, year)
            await _audited(stack, year)


async def _stored_everywhere(stack, year: int) -> None:
    """Every service that counts deadlines keeps the schedule in its own database."""
    for service in ("intake", "mediation", "arbitration", "wage-arrears"):

        async def stored(service: str = service) -> list:
            return await _query(stack, service, "SELECT year, version FROM holiday_schedules")

        assert await eventually(stored, bool, timeout_s=20) == [(year, 1)], service


async def _audited(stack, year: int) -> None:
    rows = await _query(
        stack,
        "gateway",
        "SELECT subject, method, status FROM audit_log WHERE route = '/api/v1/calendar/years/{year}' ORDER BY seq",
    )
    assert ("demo:admin", "PUT", 201) in rows and ("demo:admin", "PUT", 422) in rows
    assert any(method == "PUT" and status == 403 and "clerk" in subject for subject, method, status in rows)


async def _query(stack, service: str, sql: str) -> list:
    engine = create_engine(stack.databases[service])
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(sql))).all()]
    finally:
        await engine.dispose()
