"""一地投诉、区域联动受理 over the real broker: a 鼓楼 clerk accepts a complaint about a 洛阳
workplace; 洛阳 accepts (and routes it) or refuses (it returns to 鼓楼). The forwarded message
delivered twice, and retried filings, never make a second case or a second forwarding."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from labornet_common.contracts.intake import JointAcceptanceRequested
from labornet_common.platform.bus.topics import INTAKE
from labornet_common.platform.db import create_engine
from labornet_common.testing.api import eventually
from labornet_common.testing.intake_support import (
    as_,
    clerk,
    complaint_body,
    consumer_outcomes,
    id_number,
    outbox_events,
    publish,
    serving_intake,
)
from labornet_common.testing.messaging import read_topic
from labornet_intake.adapters.orm import complaints, joint_forwards

GULOU, LUOYANG = clerk("350102", subject="clerk-gulou"), clerk("4103", subject="clerk-luoyang")


async def _count(url: str, table, *where) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(table).where(*where)) or 0)
    finally:
        await engine.dispose()


async def _forward(client, employer: str, key: str) -> dict:
    body = complaint_body(
        channel="window", employer_name=employer, joint_acceptance=True, worker_id_number=id_number("35010219900101123")
    )
    r = await client.post("/api/v1/complaints", json=body, headers={**as_(GULOU), "Idempotency-Key": key})
    assert r.status_code == 201, r.text
    return r.json()


async def _pending(client, forward_id: str) -> list[dict]:
    r = await client.get("/api/v1/complaints/joint-acceptance", params={"status": "pending"}, headers=as_(LUOYANG))
    return [f for f in r.json() if f["forward_id"] == forward_id]


async def _status(client, case_id: str, who) -> dict:
    return (await client.get(f"/api/v1/complaints/{case_id}", headers=as_(who))).json()


async def test_accepted_at_a_for_b_and_taken_by_b(database_url: str, broker: str, tmp_path: Path) -> None:
    async with serving_intake(database_url, broker, tmp_path, run_relay=True, run_consumers=True) as intake:
        async with intake.client() as client:
            filed = await _forward(client, "联动受理测试公司", "joint-1")
            case_id, forward_id = filed["case_id"], filed["joint_acceptance"]["forward_id"]
            assert filed["status"] == "FORWARDED" and filed["tracking_number"].startswith("350102-")
            assert filed["joint_acceptance"]["to_region"] == "410311" and filed["route"] is None
            retried = await _forward(client, "联动受理测试公司", "joint-1")  # the clerk's retry
            assert retried["case_id"] == case_id
            # Both regions see one case, in the same state.
            assert (await _status(client, case_id, GULOU))["status"] == "FORWARDED"
            assert (await _status(client, case_id, LUOYANG))["status"] == "FORWARDED"
            assert await eventually(lambda: _pending(client, forward_id), bool)

            # The forwarded message delivered a second time, byte for byte.
            records = await read_topic(broker, INTAKE, keys={case_id}, expected=2)
            forwarded = [r for r in records if r[1]["ce_type"] == JointAcceptanceRequested.event_type.encode()]
            before = consumer_outcomes("intake.joint", "duplicate")
            await publish(broker, INTAKE, [(case_id.encode(), forwarded[0][2], list(forwarded[0][1].items()))])
            await eventually(_duplicates, lambda n: n > before)
            assert consumer_outcomes("intake.joint", "duplicate") > before
            assert await _count(database_url, joint_forwards) == 1
            assert await _count(database_url, complaints) == 1

            answer = await client.post(
                f"/api/v1/complaints/joint-acceptance/{forward_id}/answer",
                json={"decision": "accepted"},
                headers=as_(LUOYANG),
            )
            assert answer.status_code == 200 and answer.json()["status"] == "accepted"
            routed = await eventually(lambda: _status(client, case_id, GULOU), lambda c: c["status"] == "ROUTED")
            assert (routed["region_code"], routed["joint_status"], routed["target_org_id"]) == (
                "410311",
                "accepted",
                "med-410311007",
            )
            assert (await _status(client, case_id, LUOYANG))["status"] == "ROUTED"
            again = await client.post(
                f"/api/v1/complaints/joint-acceptance/{forward_id}/answer",
                json={"decision": "accepted"},
                headers=as_(LUOYANG),
            )
            otherwise = await client.post(
                f"/api/v1/complaints/joint-acceptance/{forward_id}/answer",
                json={"decision": "refused", "reason": "x"},
                headers=as_(LUOYANG),
            )
            assert again.status_code == 200 and otherwise.status_code == 409
        kinds = [kind for kind, _ in await outbox_events(database_url, case_id)]
        assert kinds == ["received", "requested", "issued", "answered", "routed"]  # issued: the 移送函
        routed_event = dict(await outbox_events(database_url, case_id))["routed"]
        assert routed_event["region_code"] == "410311" and routed_event["route"] == "mediation"


async def _duplicates() -> float:
    return consumer_outcomes("intake.joint", "duplicate")


async def test_refused_by_b_returns_to_a_with_the_reason(database_url: str, broker: str, tmp_path: Path) -> None:
    async with serving_intake(database_url, broker, tmp_path, run_relay=True, run_consumers=True) as intake:
        async with intake.client() as client:
            filed = await _forward(client, "联动退回测试公司", "joint-2")
            case_id, forward_id = filed["case_id"], filed["joint_acceptance"]["forward_id"]
            await eventually(lambda: _pending(client, forward_id), bool)
            path = f"/api/v1/complaints/joint-acceptance/{forward_id}/answer"
            no_reason = await client.post(path, json={"decision": "refused"}, headers=as_(LUOYANG))
            assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
            by_a = await client.post(path, json={"decision": "accepted"}, headers=as_(GULOU))
            assert by_a.status_code == 404  # only the asked region answers
            reason = "经核实用工地点在福州，不属本辖区"
            refused = await client.post(path, json={"decision": "refused", "reason": reason}, headers=as_(LUOYANG))
            assert refused.status_code == 200
            seen = await eventually(lambda: _status(client, case_id, GULOU), lambda c: c["status"] == "RETURNED")
            assert (seen["joint_status"], seen["joint_reason"], seen["region_code"]) == ("refused", reason, "350102")
            view = (await client.get(f"/api/v1/tracking/{case_id}", headers=as_(GULOU))).json()
            assert reason in view["timeline"][-1]["text_zh"] and view["status_zh"].startswith("管辖地区未接收")
        kinds = [kind for kind, _ in await outbox_events(database_url, case_id)]
        assert kinds == ["received", "requested", "issued", "answered"]  # nothing routed: it is back at A
