"""Filing through every channel, and every kind of rejection: a bilingual problem naming the field."""

from __future__ import annotations

import pytest

from labornet_common.testing.intake_support import USCC, as_, clerk, complaint_body, id_number, outbox_events

pytestmark = pytest.mark.asyncio(loop_scope="module")

LUOYANG_CLERK = clerk("4103", subject="clerk-channels")


async def _post(intake, body: dict, principal=None, headers: dict | None = None):
    async with intake.client() as client:
        return await client.post("/api/v1/complaints", json=body, headers={**as_(principal), **(headers or {})})


async def test_online_filing_is_open_to_anyone_and_routes_to_the_workplace_street(intake) -> None:
    r = await _post(intake, complaint_body(worker_id_number=id_number("41030219900101123")))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["outcome"] == "created" and len(body["access_code"]) == 8
    assert body["tracking_number"].startswith("410311-") and body["status"] == "ROUTED"
    assert body["routing"]["target_org_id"] == "med-410311007"
    assert [r["rule"] for r in body["routing"]["reasons"]] == ["choice.mediation_first", "mediation.workplace"]


@pytest.mark.parametrize(
    ("channel", "extra"),
    [
        ("window", {"oral": True, "facts": "口头投诉：工地拖欠三个月工资（窗口当场记录）"}),
        ("window", {}),
        ("hotline_12333", {"oral": True, "facts": "12333来电反映拖欠工资"}),
        ("police_110", {"police_incident_number": "110-20261120-0042"}),
        ("referral", {"referred_by": "威海市劳动保障监察支队"}),
    ],
)
async def test_clerk_channels(intake, channel: str, extra: dict) -> None:
    r = await _post(intake, complaint_body(channel=channel, employer_name=f"{channel}渠道公司", **extra), LUOYANG_CLERK)
    assert r.status_code == 201, r.text
    events = await outbox_events(intake.database_url, r.json()["case_id"])
    received = dict(events)["received"]
    assert received["channel"] == channel and received["police_linked"] is (channel == "police_110")
    assert [kind for kind, _ in events] == ["received", "routed"]
    async with intake.client() as client:
        read = (await client.get(f"/api/v1/complaints/{r.json()['case_id']}", headers=as_(LUOYANG_CLERK))).json()
    assert read["channel"] == channel


async def test_clerk_channels_are_refused_to_anonymous_callers(intake) -> None:
    r = await _post(intake, complaint_body(channel="hotline_12333"))
    assert r.status_code == 401 and r.headers["www-authenticate"] == 'Bearer realm="labornet"'
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/unauthorized") and r.json()["title_zh"] and r.json()["title_en"]


TODAY_PLUS_YEAR = "2099-01-01"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"worker_id_number": "110105194912310021"}, "worker_id_number", "id_number.check_digit"),
        ({"worker_phone": "12345"}, "worker_phone", "phone.invalid"),
        ({"employer_uscc": USCC[:-1] + "4"}, "employer_uscc", "uscc.check_digit"),
        ({"workplace_division": "410399"}, "workplace_division", "division.unknown"),
        ({"employer_division": "999999"}, "employer_division", "division.unknown"),
        ({"other_workplaces": ["410399"]}, "other_workplaces", "division.unknown"),
        ({"workplace_division": "41"}, "workplace_division", "string_pattern_mismatch"),
        ({"claims": [{"category": "salary"}]}, "claims.0.category", "claim.category"),
        ({"claims": [{"category": "damages", "amount_fen": -1}]}, "claims.0.amount_fen", "greater_than_equal"),
        ({"claims": [{"category": "damages", "amount_fen": 10**12}]}, "claims.0.amount_fen", "claim.amount_too_large"),
        (
            {"claims": [{"category": "damages", "period_from": "2026-03-01", "period_to": "2026-02-01"}]},
            "claims.0.period_to",
            "claim.period_order",
        ),
        (
            {"claims": [{"category": "damages", "period_from": TODAY_PLUS_YEAR}]},
            "claims.0.period_from",
            "claim.period_future",
        ),
        ({"employment_ended_on": TODAY_PLUS_YEAR}, "employment_ended_on", "date.future"),
        ({"employment_ended_on": "2026-01-01"}, "employment_ended_on", "employment.ended_before_period"),
        ({"worker_count": 0}, "worker_count", "greater_than_equal"),
        ({"worker_count": 12, "claims": []}, "claims", "filing.collective_needs_claims"),
        ({"requested_route": "court"}, "requested_route", "literal_error"),
        ({"pending_proceedings": "police"}, "pending_proceedings", "literal_error"),
        ({"oral": True}, "oral", "filing.oral_channel"),
        ({"joint_acceptance": True}, "joint_acceptance", "filing.joint_needs_clerk"),
        ({"worker_name": ""}, "worker_name", "string_too_short"),
    ],
)
async def test_each_rejection_names_its_field_in_chinese_and_english(intake, overrides, field, code) -> None:
    r = await _post(intake, complaint_body(**overrides))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    error = r.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code)
    assert error["message_zh"] and error["message_en"] and error["message_zh"] != error["message_en"]
    assert r.json()["title_zh"] and r.json()["title_en"]


@pytest.mark.parametrize(
    ("channel", "extra", "field", "code"),
    [
        ("window", {"oral": True, "facts": " "}, "facts", "filing.oral_needs_facts"),
        ("police_110", {}, "police_incident_number", "filing.police_incident_required"),
        ("referral", {"referred_by": ""}, "referred_by", "filing.referral_source_required"),
    ],
)
async def test_channel_specific_requirements(intake, channel, extra, field, code) -> None:
    r = await _post(intake, complaint_body(channel=channel, **extra), LUOYANG_CLERK)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field
    assert r.json()["errors"][0]["code"] == code


async def test_the_rejected_id_number_is_not_echoed(intake) -> None:
    r = await _post(intake, complaint_body(worker_id_number="110105194912310021"))
    assert "110105194912310021" not in r.text


async def test_a_retried_post_with_the_same_key_answers_the_same(intake) -> None:
    body = complaint_body(employer_name="幂等测试公司")
    first = await _post(intake, body, headers={"Idempotency-Key": "idem-1"})
    again = await _post(intake, body, headers={"Idempotency-Key": "idem-1"})
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    assert {k: v for k, v in first.json().items() if k != "access_code"} == again.json()
    assert "access_code" not in again.json()  # shown once, never replayed
    other = await _post(intake, {**body, "facts": "另一份内容"}, headers={"Idempotency-Key": "idem-1"})
    assert other.status_code == 422 and other.json()["type"].endswith("idempotency_mismatch")
    assert other.json()["title_zh"] and other.json()["title_en"]
