"""The worker's status page follows the case through later services: mediation, arbitration
and court events arrive over the real broker and become plain-Chinese lines, once each;
events intake does not know are skipped and the consumer moves on."""

from __future__ import annotations

import uuid
from pathlib import Path

from labornet_common.contracts.events import Envelope, utcnow
from labornet_common.platform.bus.topics import ARBITRATION, COURT, MEDIATION
from labornet_common.testing.api import eventually
from labornet_common.testing.intake_support import (
    as_,
    clerk,
    complaint_body,
    publish_envelopes,
    serving_intake,
    worker,
)


def _event(case_id: str, source: str, sequence: int, event_type: str, **data) -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        type=event_type,
        source=f"/labornet/{source}",
        subject=case_id,
        data={"case_id": case_id, "division_code": "410311", **data},
        sequence=sequence,
        time=utcnow(),
    )


async def test_later_events_become_timeline_lines_once(database_url: str, broker: str, tmp_path: Path) -> None:
    async with serving_intake(database_url, broker, tmp_path, run_consumers=True) as intake:
        async with intake.client() as client:
            filed = (await client.post("/api/v1/complaints", json=complaint_body(), headers=as_(None))).json()
            case_id = filed["case_id"]
            opened = _event(
                case_id,
                "mediation",
                1,
                "cn.labornet.mediation.case.opened.v1",
                centre_name="洛龙区科技园街道劳动争议调解中心",
                due_on="2026-12-07",
            )
            await publish_envelopes(
                broker,
                MEDIATION,
                [
                    opened,
                    opened,  # redelivered
                    _event(case_id, "mediation", 2, "cn.labornet.mediation.brand_new_thing.v1"),  # unknown type
                    _event(
                        case_id,
                        "mediation",
                        3,
                        "cn.labornet.mediation.case.failed.v1",
                        reason="no_agreement",
                        failed_on="2026-12-07",
                    ),
                ],
            )
            await publish_envelopes(
                broker,
                ARBITRATION,
                [_event(case_id, "arbitration", 1, "cn.labornet.arbitration.application.accepted.v1")],
            )
            await publish_envelopes(
                broker,
                COURT,
                [
                    _event(str(uuid.uuid4()), "gateway", 1, "cn.labornet.court.lawsuit_filed.v1")  # not our case
                ],
            )
            mine = as_(worker(case_id))

            async def view() -> dict:
                return (await client.get(f"/api/v1/tracking/{case_id}", headers=mine)).json()

            seen = await eventually(view, lambda v: len(v["timeline"]) >= 5)
            other = await client.get(f"/api/v1/tracking/{case_id}", headers=as_(worker(str(uuid.uuid4()))))
            staff = await client.get(f"/api/v1/tracking/{case_id}", headers=as_(clerk("4103")))
            elsewhere = await client.get(f"/api/v1/tracking/{case_id}", headers=as_(clerk("3710")))
            listed = await client.get("/api/v1/tracking", headers=mine)
    texts = [entry["text_zh"] for entry in seen["timeline"]]
    assert texts == [
        f"投诉已受理，受理编号{filed['tracking_number']}",
        "已分派调解：洛龙区科技园街道劳动争议调解中心",
        "调解组织已收到您的案件（洛龙区科技园街道劳动争议调解中心），调解期限至2026-12-07",
        "调解未能达成协议，您可以申请劳动仲裁",
        "仲裁委员会已受理您的申请",
    ]
    assert [e["source"] for e in seen["timeline"]][2:] == ["mediation", "mediation", "arbitration"]
    assert seen["latest_zh"] == texts[-1] and seen["handled_by"] == "洛龙区科技园街道劳动争议调解中心"
    assert other.status_code == 404 and elsewhere.status_code == 404 and staff.status_code == 200
    assert [v["case_id"] for v in listed.json()] == [case_id]
