"""The same worker again is linked to the open case; other workers with a common claim against
the same employer join it (grouped); the filer is told which, with the case's tracking number."""

from __future__ import annotations

import pytest

from labornet_common.testing.intake_support import USCC, as_, clerk, complaint_body, id_number, outbox_events

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKER_A, WORKER_B = id_number("41030219850101123"), id_number("41030219860202234")


async def _file(intake, **overrides) -> tuple[int, dict]:
    async with intake.client() as client:
        r = await client.post("/api/v1/complaints", json=complaint_body(**overrides), headers=as_(None))
    assert r.status_code in (200, 201), r.text
    return r.status_code, r.json()


async def test_the_same_worker_against_the_same_employer_is_linked_not_a_new_case(intake) -> None:
    _, first = await _file(intake, employer_name="（洛阳）重复测试建筑有限公司", worker_id_number=WORKER_A)
    status, again = await _file(
        intake, employer_name="(洛阳) 重复测试建筑有限公司", worker_id_number=WORKER_A.lower(), channel="online"
    )
    assert status == 200 and again["outcome"] == "linked_duplicate"
    assert (again["case_id"], again["tracking_number"]) == (first["case_id"], first["tracking_number"])
    assert again.get("access_code") is None and "原查询码" in again["notice_zh"]
    joined = [data for kind, data in await outbox_events(intake.database_url, first["case_id"]) if kind == "joined"]
    assert [(j["kind"], j["worker_count"], j["filing_id"]) for j in joined] == [("duplicate", 1, again["filing_id"])]


async def test_the_employer_is_recognised_by_its_credit_code_whatever_the_name(intake) -> None:
    _, first = await _file(intake, employer_name="信用代码测试公司", employer_uscc=USCC, worker_id_number=WORKER_A)
    _, again = await _file(
        intake, employer_name="信用代码测试公司洛阳分部", employer_uscc=USCC.lower(), worker_id_number=WORKER_A
    )
    assert again["outcome"] == "linked_duplicate" and again["case_id"] == first["case_id"]


async def test_a_new_claim_a_new_county_or_no_id_number_makes_a_new_case(intake) -> None:
    name = "新案测试公司"
    _, first = await _file(intake, employer_name=name, worker_id_number=WORKER_A)
    _, other_claim = await _file(
        intake, employer_name=name, worker_id_number=WORKER_A, claims=[{"category": "dismissal"}]
    )
    _, other_county = await _file(
        intake, employer_name=name, worker_id_number=WORKER_A, workplace_division="410307", employer_division="410307"
    )
    _, anonymous = await _file(intake, employer_name=name)
    _, after_anonymous = await _file(
        intake, employer_name=name, worker_id_number=WORKER_B, claims=[{"category": "dismissal"}]
    )
    assert {r["outcome"] for r in (other_claim, other_county, anonymous)} == {"created"}
    assert len({r["case_id"] for r in (first, other_claim, other_county, anonymous)}) == 4
    # WORKER_B shares "dismissal" with WORKER_A's second case (grouped), never the anonymous one.
    assert after_anonymous["outcome"] == "grouped" and after_anonymous["case_id"] == other_claim["case_id"]


async def test_other_workers_with_a_common_claim_are_grouped_and_ten_make_it_collective(intake) -> None:
    name, case_id = "集体欠薪测试建筑公司", None
    _, first = await _file(intake, employer_name=name, worker_id_number=WORKER_A, worker_count=1, project="洛龙安置房")
    case_id = first["case_id"]
    assert first["collective"] is False
    _, grouped = await _file(intake, employer_name=name, worker_id_number=WORKER_B, worker_count=8)
    assert grouped["outcome"] == "grouped" and grouped["case_id"] == case_id and grouped["worker_count"] == 9
    assert grouped["collective"] is False and grouped["tracking_number"] == first["tracking_number"]
    _, tenth = await _file(intake, employer_name=name, worker_id_number=id_number("41030219870303345"))
    assert (tenth["worker_count"], tenth["collective"]) == (10, True)  # LDA Art. 7: ten or more
    events = await outbox_events(intake.database_url, case_id)
    joined = [data for kind, data in events if kind == "joined"]
    assert [(j["kind"], j["worker_count"], j["collective"]) for j in joined] == [
        ("grouped", 9, False),
        ("grouped", 10, True),
    ]
    assert all(j["region_code"] == "410311" for j in joined)


async def test_a_collective_filing_is_collective_from_the_start(intake) -> None:
    _, filed = await _file(intake, employer_name="十二人集体测试公司", worker_count=12, worker_id_number=WORKER_A)
    received = dict(await outbox_events(intake.database_url, filed["case_id"]))
    assert filed["collective"] is True and received["received"]["collective"] is True
    assert received["routed"]["worker_count"] == 12 and received["routed"]["collective"] is True


async def test_a_clerk_reads_every_filing_on_the_case(intake) -> None:
    name = "查看并案测试公司"
    _, first = await _file(intake, employer_name=name, worker_id_number=WORKER_A)
    await _file(intake, employer_name=name, worker_id_number=WORKER_B)
    async with intake.client() as client:
        view = await client.get(f"/api/v1/tracking/{first['case_id']}", headers=as_(clerk("4103")))
    texts = [entry["text_zh"] for entry in view.json()["timeline"]]
    assert view.json()["worker_count"] == 2
    assert texts[0].startswith("投诉已受理") and "又有1名劳动者" in texts[-1]
