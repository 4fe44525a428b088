"""The routing decision and the limitation flag are stored, shown in the API and carried by
the events later services consume."""

from __future__ import annotations

import pytest

from labornet_common.testing.intake_support import USCC, as_, clerk, complaint_body, outbox_events, worker

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _file(intake, **overrides) -> dict:
    async with intake.client() as client:
        r = await client.post("/api/v1/complaints", json=complaint_body(**overrides), headers=as_(None))
    assert r.status_code == 201, r.text
    return r.json()


async def _read(intake, case_id: str) -> dict:
    async with intake.client() as client:
        r = await client.get(f"/api/v1/complaints/{case_id}", headers=as_(clerk("4103")))
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_routed_event_carries_what_every_consumer_needs(intake) -> None:
    filed = await _file(
        intake,
        employer_name="路由事件测试公司",
        employer_uscc=USCC,
        project="洛龙安置房二期",
        requested_route="mediation",
    )
    routed = dict(await outbox_events(intake.database_url, filed["case_id"]))["routed"]
    assert routed["route"] == "mediation" and routed["target_org_id"] == "med-410311007"
    assert routed["target_org_name"] == "洛龙区科技园街道劳动争议调解中心"
    assert (routed["region_code"], routed["tracking_number"]) == ("410311", filed["tracking_number"])
    assert (routed["workplace_division"], routed["employer_uscc"], routed["employer_division"]) == (
        "410311007",
        USCC,
        "410311",
    )
    assert routed["project"] == "洛龙安置房二期" and routed["worker_count"] == 1 and routed["collective"] is False
    assert routed["received_at"] and routed["reasons"][0]["article"] == "LDA Art. 10"
    stored = await _read(intake, filed["case_id"])
    assert stored["target_org_id"] == "med-410311007" and stored["routing_reasons"][0]["explanation_zh"]


async def test_wage_arrears_with_inspection_requested_go_to_the_county_desk(intake) -> None:
    filed = await _file(intake, employer_name="监察路由测试公司", requested_route="inspection")
    assert filed["route"] == "inspection" and filed["routing"]["target_org_id"] == "insp-410311"
    assert filed["routing"]["reasons"][-1]["article"] == "劳动保障监察条例 Art. 13"


async def test_arbitration_goes_to_the_performance_place_commission(intake) -> None:
    filed = await _file(
        intake,
        employer_name="仲裁路由测试公司",
        requested_route="arbitration",
        workplace_division="410307",
        employer_division="410311",
    )
    assert filed["routing"]["target_org_id"] == "arb-410307"
    routed = dict(await outbox_events(intake.database_url, filed["case_id"]))["routed"]
    assert routed["route"] == "arbitration" and routed["target_org_id"] == "arb-410307"


async def test_a_dispute_already_in_arbitration_is_redirected(intake) -> None:
    filed = await _file(
        intake, employer_name="已仲裁测试公司", requested_route="inspection", pending_proceedings="arbitration"
    )
    assert (filed["status"], filed["route"]) == ("REDIRECTED", "redirect")
    events = await outbox_events(intake.database_url, filed["case_id"])
    assert [kind for kind, _ in events] == ["received", "redirected", "issued"]  # the 移送函 last
    redirected = events[1][1]
    assert redirected["reason"] == "redirect.pending_proceedings" and "仲裁" in redirected["explanation_zh"]
    assert redirected["region_code"] == "410311"


async def test_a_complaint_that_looks_time_barred_is_flagged_not_refused(intake) -> None:
    # Employment ended 2025-10-01: LDA Art. 27's year ended 2026-10-01, in the National Day
    # holiday, so the last day is 2026-10-08; a complaint in November 2026 is flagged.
    filed = await _file(
        intake,
        employer_name="时效测试公司",
        employment_ended_on="2025-10-01",
        claims=[
            {
                "category": "labor_remuneration",
                "amount_fen": 500000,
                "period_from": "2025-08-01",
                "period_to": "2025-09-30",
            }
        ],
    )
    assert filed["limitation_warning"] is True and "2026年10月08日" in filed["limitation_reason"]
    stored = await _read(intake, filed["case_id"])
    assert stored["limitation_warning"] is True and "第二十七条" in stored["limitation_reason"]
    async with intake.client() as client:
        seen = (await client.get(f"/api/v1/tracking/{filed['case_id']}", headers=as_(worker(filed["case_id"])))).json()
    assert seen["limitation_warning"] is True
    received = dict(await outbox_events(intake.database_url, filed["case_id"]))["received"]
    assert received["limitation_warning"] is True


async def test_wage_arrears_while_still_employed_are_not_flagged(intake) -> None:
    filed = await _file(
        intake,
        employer_name="在职欠薪测试公司",
        claims=[
            {
                "category": "labor_remuneration",
                "amount_fen": 500000,
                "period_from": "2024-01-01",
                "period_to": "2024-06-30",
            }
        ],
    )
    assert filed["limitation_warning"] is False and filed["limitation_reason"] == ""
