"""The arbitration API over real HTTP (uvicorn, real database): registers, direct filing,
decisions, scoping (404 outside scope, court liaison read-only), problem+json for bad input."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from labornet_common.security.auth import Role
from labornet_common.testing.inprocess import SignedAs, running_services
from tests.support.arbitration import staff

BASE = "/api/v1/arbitration"
CLERK = SignedAs(staff(Role.clerk, "4103"))
ARBITRATOR = SignedAs(staff(Role.arbitrator, "4103", "demo:arbitrator.luoyang"))
WEIHAI = SignedAs(staff(Role.arbitrator, "3710", "demo:arbitrator.weihai"))
COURT = SignedAs(staff(Role.court_liaison, "4103"))
APPLICATION = {
    "commission_id": "arb-4103",
    "tribunal_id": "trib-410311-007",
    "workplace_division": "410311",
    "worker_name": "王师傅",
    "employer_name": "洛阳某建筑工程有限公司",
    "claims": [{"category": "labor_remuneration", "amount_fen": 1_860_000}],
    "received_on": "2026-09-28",
}


@pytest.fixture
async def api(db_backend: str, broker: str, tmp_path: Path):
    async with running_services(["arbitration"], backend=db_backend, broker=broker, workdir=tmp_path) as services:
        async with httpx.AsyncClient(base_url=services.urls["arbitration"], timeout=10) as client:
            yield client


async def test_registers(api: httpx.AsyncClient) -> None:
    commissions = (await api.get(f"{BASE}/commissions", headers=CLERK)).json()
    luoyang = next(c for c in commissions if c["id"] == "arb-4103")
    assert luoyang["short_name"] == "洛劳人仲" and "410311" in luoyang["service_areas"]
    tribunals = (await api.get(f"{BASE}/tribunals", params={"commission_id": "arb-4103"}, headers=CLERK)).json()
    assert {t["id"] for t in tribunals} == {"trib-410311-007", "trib-410371"}
    weihai = (await api.get(f"{BASE}/arbitrators", params={"commission_id": "arb-3710"}, headers=WEIHAI)).json()
    assert len(weihai) >= 3 and "威海 演示仲裁员" in {a["name"] for a in weihai}
    assert (await api.get(f"{BASE}/commissions")).status_code == 401


async def test_filing_deciding_and_scoping(api: httpx.AsyncClient) -> None:
    keyed = {**CLERK, "Idempotency-Key": "window-1"}
    created = await api.post(f"{BASE}/applications", json=APPLICATION, headers=keyed)
    assert created.status_code == 201, created.text
    app = created.json()
    assert app["acceptance_due_on"] == "2026-10-08" and app["tribunal_id"] == "trib-410311-007"
    again = await api.post(f"{BASE}/applications", json=APPLICATION, headers=keyed)
    assert again.status_code == 200 and again.json()["application_id"] == app["application_id"]

    url = f"{BASE}/applications/{app['application_id']}"
    assert (await api.get(url, headers=WEIHAI)).status_code == 404  # outside scope reads as missing
    assert (await api.post(f"{url}/accept", json={}, headers=WEIHAI)).status_code == 404
    assert (await api.get(url, headers=COURT)).status_code == 200
    assert (await api.post(f"{url}/accept", json={}, headers=COURT)).status_code == 403

    accepted = await api.post(f"{url}/accept", json={"on": "2026-09-29"}, headers=ARBITRATOR)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["case_number"] == "洛劳人仲案字〔2026〕第1号"
    assert accepted.json()["award_due_on"] == "2026-11-13"
    tribunal = await api.post(
        f"{url}/tribunal",
        json={"mode": "sole", "members": [{"arbitrator_id": "arbr-4103-01", "role": "sole"}]},
        headers=ARBITRATOR,
    )
    assert tribunal.status_code == 200, tribunal.text
    short = await api.post(
        f"{url}/hearings",
        json={"hearing_on": "2026-10-12", "notice_served_on": "2026-10-08", "venue": "科技园派出仲裁庭"},
        headers=ARBITRATOR,
    )
    assert short.status_code == 422 and short.headers["content-type"].startswith("application/problem+json")
    assert short.json()["errors"][0]["field"] == "hearing_on" and "2026-09-30" in short.json()["detail"]


async def test_bad_input_names_the_field(api: httpx.AsyncClient) -> None:
    bad = await api.post(f"{BASE}/applications", json={**APPLICATION, "workplace_division": "41"}, headers=CLERK)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "workplace_division"
    wrong = await api.post(f"{BASE}/applications", json={**APPLICATION, "tribunal_id": "trib-371071"}, headers=CLERK)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "tribunal_id"
    elsewhere = await api.post(f"{BASE}/applications", json=APPLICATION, headers=WEIHAI)
    assert elsewhere.status_code == 403
    missing = await api.post(f"{BASE}/applications/nope/accept", json={}, headers=CLERK)
    assert missing.status_code == 404


async def test_the_queue_puts_collective_disputes_first(api: httpx.AsyncClient) -> None:
    single = (await api.post(f"{BASE}/applications", json=APPLICATION, headers=CLERK)).json()
    collective = (
        await api.post(
            f"{BASE}/applications", json={**APPLICATION, "worker_count": 15, "received_on": "2026-10-09"}, headers=CLERK
        )
    ).json()
    queue = (await api.get(f"{BASE}/queue", headers=CLERK)).json()
    assert [a["application_id"] for a in queue] == [collective["application_id"], single["application_id"]]
    assert queue[0]["collective"] is True
    assert (await api.get(f"{BASE}/queue", headers=WEIHAI)).json() == []


async def test_search_filters_sorts_pages_and_exports_the_application_list(api: httpx.AsyncClient) -> None:
    import csv
    import io

    filed = []
    for n in range(5):
        body = {**APPLICATION, "worker_name": f"检索申请人{n}", "employer_name": f"检索单位{n % 2}有限公司"}
        if n in (2, 3):  # the same worker twice, by ID number
            body["worker_id_number"] = "11010519491231002X"
        if n == 3:
            body["employer_uscc"] = "91350100M000100Y43"
        if n == 4:
            body.pop("received_on")  # received today: its acceptance clock is still running
        r = await api.post(f"{BASE}/applications", json=body, headers={**CLERK, "Idempotency-Key": f"search-{n}"})
        assert r.status_code == 201, r.text
        filed.append(r.json())
    url = f"{BASE}/applications/{filed[1]['application_id']}"
    accepted = await api.post(f"{url}/accept", json={"on": "2026-09-29"}, headers=ARBITRATOR)
    docket = accepted.json()["case_number"]

    async def walk(who, params: dict) -> list[dict]:
        found, cursor = [], None
        while True:
            r = await api.get(
                f"{BASE}/applications", params={**params, **({"cursor": cursor} if cursor else {})}, headers=who
            )
            assert r.status_code == 200, r.text
            found.extend(r.json()["items"])
            if not (cursor := r.json()["next_cursor"]):
                return found

    ids = [f["application_id"] for f in filed]
    # By 案号 (as the court liaison would), by worker, by employer; within scope only.
    for who in (CLERK, COURT):
        assert [a["application_id"] for a in await walk(who, {"q": docket})] == [ids[1]]
    assert [a["application_id"] for a in await walk(CLERK, {"q": "检索申请人3"})] == [ids[3]]
    employer = await walk(CLERK, {"q": "检索单位0", "limit": 1})  # one per page: every page followed
    assert sorted(a["application_id"] for a in employer) == sorted([ids[0], ids[2], ids[4]])
    assert await walk(WEIHAI, {"q": "检索"}) == []
    # Status, clock and receipt date.
    assert [a["application_id"] for a in await walk(CLERK, {"q": "检索", "status": "ACCEPTED"})] == [ids[1]]
    running = await walk(CLERK, {"q": "检索", "clock": "running"})
    assert [a["application_id"] for a in running] == [ids[4]]
    overdue = await walk(CLERK, {"q": "检索", "clock": "overdue"})  # 5-day acceptance and 45-day award clocks
    assert sorted(a["application_id"] for a in overdue) == sorted(ids[:4])
    assert await walk(CLERK, {"q": "检索", "clock": "stopped"}) == []
    in_september = await walk(CLERK, {"q": "检索", "from": "2026-09-28", "to": "2026-09-28"})
    assert sorted(a["application_id"] for a in in_september) == sorted(ids[:4])
    # Orders: newest filing first by default, oldest first on request.
    newest = [a["application_id"] for a in await walk(CLERK, {"q": "检索", "limit": 2})]
    oldest = [a["application_id"] for a in await walk(CLERK, {"q": "检索", "sort": "created_asc", "limit": 2})]
    assert newest == list(reversed(ids)) and oldest == ids
    by_receipt = await walk(CLERK, {"q": "检索", "sort": "received_desc"})
    assert by_receipt[0]["application_id"] == ids[4]

    # Bad values: 422 problem+json naming the field, in Chinese and English.
    for params, field in (
        ({"status": "LOST"}, "status"),
        ({"clock": "late"}, "clock"),
        ({"sort": "salary"}, "sort"),
        ({"cursor": "bm9wZQ"}, "cursor"),
        ({"from": "2026-10-02", "to": "2026-10-01"}, "from"),
        ({"q": "41030219800101123X"}, "q"),
    ):
        r = await api.get(f"{BASE}/applications", params=params, headers=CLERK)
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", (params, r.text)
        assert [e["field"] for e in r.json()["errors"]] == [field]
        assert r.json()["errors"][0]["message_zh"] and r.json()["errors"][0]["message_en"]
        assert r.json()["title_zh"] and r.json()["title"]

    # An ID number is searched in a body, by blind index, with the list's filters and pages.
    async def search(body: dict, params: dict | None = None) -> httpx.Response:
        return await api.post(f"{BASE}/applications/search", json=body, params=params or {}, headers=CLERK)

    by_number = await search({"worker_id_number": "11010519491231002x"}, {"limit": 1})
    assert by_number.status_code == 200 and [a["application_id"] for a in by_number.json()["items"]] == [ids[3]]
    assert by_number.json()["items"][0]["worker_id_masked"] == "110105********002X"
    second = await search({"worker_id_number": "11010519491231002X"}, {"cursor": by_number.json()["next_cursor"]})
    assert [a["application_id"] for a in second.json()["items"]] == [ids[2]]
    by_uscc = await search({"employer_uscc": "91350100M000100Y43"})
    assert [a["application_id"] for a in by_uscc.json()["items"]] == [ids[3]]
    elsewhere = await api.post(
        f"{BASE}/applications/search", json={"worker_id_number": "11010519491231002X"}, headers=WEIHAI
    )
    assert elsewhere.status_code == 200 and elsewhere.json()["items"] == []
    for body, field in (({"worker_id_number": "110105194912310021"}, "worker_id_number"), ({}, None)):
        r = await search(body)
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", r.text
        assert r.json()["title_zh"] and (field is None or r.json()["errors"][0]["field"] == field)

    # The export holds the rows of the list, in its order.
    r = await api.get(f"{BASE}/applications/export", params={"q": "检索", "format": "csv"}, headers=CLERK)
    assert (
        r.status_code == 200
        and r.headers["x-export-rows"] == "5"
        and r.headers["x-export-list"] == "arbitration.applications"
    )
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "案号" and [row[-1] for row in rows[1:]] == newest
    assert [row[0] for row in rows[1:]].count(docket) == 1


async def test_an_administrator_keeps_the_arbitrator_roster(api: httpx.AsyncClient) -> None:
    admin = SignedAs(staff(Role.admin, "4103"))
    newcomer = SignedAs(staff(Role.arbitrator, "4103", "demo:arbitrator.newcomer"))
    body = {"commission_id": "arb-4103", "name": "钱新来", "subject": "demo:arbitrator.newcomer"}
    assert (await api.post(f"{BASE}/admin/arbitrators", json=body, headers=CLERK)).status_code == 403
    added = await api.post(f"{BASE}/admin/arbitrators", json=body, headers=admin)
    assert added.status_code == 201, added.text
    arbitrator_id = added.json()["arbitrator_id"]
    again = await api.post(f"{BASE}/admin/arbitrators", json=body, headers=admin)
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "subject"
    unknown = await api.post(f"{BASE}/admin/arbitrators", json={**body, "commission_id": "arb-9999"}, headers=admin)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "commission_id"
    roster = (await api.get(f"{BASE}/arbitrators", params={"commission_id": "arb-4103"}, headers=CLERK)).json()
    assert arbitrator_id in {a["id"] for a in roster}

    app = (await api.post(f"{BASE}/applications", json=APPLICATION, headers=CLERK)).json()
    url = f"{BASE}/applications/{app['application_id']}"
    assert (await api.post(f"{url}/accept", json={"on": "2026-09-29"}, headers=ARBITRATOR)).status_code == 200
    sole = {"mode": "sole", "members": [{"arbitrator_id": arbitrator_id, "role": "sole"}], "on": "2026-09-30"}
    assert (await api.post(f"{url}/tribunal", json=sole, headers=ARBITRATOR)).status_code == 200
    asked = await api.post(
        f"{url}/recusals",
        json={"arbitrator_id": arbitrator_id, "ground": "interest", "on": "2026-10-08"},
        headers=CLERK,
    )
    assert asked.status_code == 200, asked.text
    recusal_id = asked.json()["recusals"][0]["id"]
    own = await api.post(f"{url}/recusals/{recusal_id}/decision", json={"granted": False}, headers=newcomer)
    assert own.status_code == 403 and own.json()["type"].endswith("arbitration.own_recusal")

    retired = await api.post(f"{BASE}/admin/arbitrators/{arbitrator_id}/retire", json={}, headers=admin)
    assert retired.status_code == 200 and [c["application_id"] for c in retired.json()["reassigned"]] == [
        app["application_id"]
    ]
    assert retired.json()["reassigned"][0]["to_arbitrator_id"].startswith("arbr-4103-")
    listed = (await api.get(f"{BASE}/admin/arbitrators/{arbitrator_id}/open-cases", headers=admin)).json()
    assert listed == []  # formed again with the retirement
    refused = await api.post(f"{url}/tribunal", json=sole, headers=ARBITRATOR)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "members"
    roster = (await api.get(f"{BASE}/arbitrators", params={"commission_id": "arb-4103"}, headers=CLERK)).json()
    assert arbitrator_id not in {a["id"] for a in roster}
    everyone = await api.get(f"{BASE}/arbitrators", params={"include_retired": "true"}, headers=CLERK)
    assert any(a["id"] == arbitrator_id and a["retired_on"] for a in everyone.json())
    log = (await api.get(f"{BASE}/admin/changes", headers=admin)).json()
    assert [c["action"] for c in log] == ["arbitrator.retired", "arbitrator.enrolled"]
    assert (await api.get(f"{BASE}/admin/changes", headers=WEIHAI)).status_code == 403
