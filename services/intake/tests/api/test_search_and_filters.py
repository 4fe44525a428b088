"""The complaint list: search by tracking number, worker and employer, an ID number only in a
request body and only by blind index, filters, named orders and keyset pages; masked as read."""

from __future__ import annotations

import pytest

from labornet_common.security.auth import Role
from labornet_common.testing.intake_support import as_, clerk, complaint_body, id_number, staff

pytestmark = pytest.mark.asyncio(loop_scope="module")

CLERK = clerk("4103")
INSPECTOR = staff(Role.inspector, "4103")
EMPLOYERS = ("检索测试甲建筑有限公司", "检索测试乙物流有限公司")
WORKER_ID = id_number("41030219910303345")


async def _file(client, n: int, **overrides) -> dict:
    body = complaint_body(
        worker_name=f"检索工人{n:02d}", employer_name=EMPLOYERS[n % 2], worker_phone=f"1381234{n:04d}", **overrides
    )
    r = await client.post("/api/v1/complaints", json=body, headers=as_(None))
    assert r.status_code == 201, r.text
    return r.json()


async def _walk(client, principal, params: dict, *, body: dict | None = None) -> list[dict]:
    found, cursor = [], None
    for _ in range(50):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        if body is None:
            r = await client.get("/api/v1/complaints", params=query, headers=as_(principal))
        else:
            r = await client.post("/api/v1/complaints/search", params=query, json=body, headers=as_(principal))
        assert r.status_code == 200, r.text
        page = r.json()
        found.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return found
    raise AssertionError("the pages never ended")


async def test_search_filter_sort_and_pages(intake) -> None:
    async with intake.client() as client:
        filed = [await _file(client, n) for n in range(9)]
        with_id = await _file(client, 9, worker_id_number=WORKER_ID)
        mine = {f["case_id"] for f in filed} | {with_id["case_id"]}

        # Employer search over pages of 2: every case of that employer once, newest first.
        by_employer = await _walk(client, CLERK, {"q": "检索测试甲", "limit": 2})
        assert {c["case_id"] for c in by_employer} == {f["case_id"] for n, f in enumerate(filed) if n % 2 == 0}
        times = [c["received_at"] for c in by_employer]
        assert times == sorted(times, reverse=True)
        oldest_first = await _walk(client, CLERK, {"q": "检索测试甲", "limit": 2, "sort": "received_asc"})
        assert [c["case_id"] for c in oldest_first] == [c["case_id"] for c in reversed(by_employer)]

        # Worker name and tracking number (case-insensitive).
        by_worker = await _walk(client, CLERK, {"q": "检索工人03"})
        assert [c["case_id"] for c in by_worker] == [filed[3]["case_id"]]
        assert by_worker[0]["worker_name"] == "检索工人03"  # the list shows whom the search found
        by_tracking = await _walk(client, CLERK, {"q": filed[5]["tracking_number"].lower()})
        assert [c["case_id"] for c in by_tracking] == [filed[5]["case_id"]]

        # Status and date range filters; every filed complaint is received today.
        routed = await _walk(client, CLERK, {"q": "检索测试", "status": ["ROUTED", "RECEIVED"], "limit": 100})
        assert {c["case_id"] for c in routed} == mine
        assert await _walk(client, CLERK, {"q": "检索测试", "status": "CLOSED"}) == []
        assert await _walk(client, CLERK, {"q": "检索测试", "to": "2020-01-01"}) == []

        # An ID number: never in a URL (422 naming q), found in a body by blind index, masked as read.
        r = await client.get("/api/v1/complaints", params={"q": WORKER_ID}, headers=as_(CLERK))
        assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["q"]
        assert "身份证" in r.json()["errors"][0]["message_zh"]
        found = await _walk(client, INSPECTOR, {}, body={"worker_id_number": WORKER_ID})
        assert [c["case_id"] for c in found] == [with_id["case_id"]]
        assert found[0]["worker_id_number"] != WORKER_ID and "*" in found[0]["worker_id_number"]

        # Other regions see none of it.
        assert await _walk(client, clerk("3710"), {"q": "检索测试"}) == []


async def test_bad_parameters_are_422_naming_the_field(intake) -> None:
    async with intake.client() as client:
        for params, field in (
            ({"sort": "salary"}, "sort"),
            ({"status": "LOST"}, "status"),
            ({"clock": "overdue"}, "clock"),
            ({"cursor": "bm9wZQ"}, "cursor"),
            ({"from": "2026-10-02", "to": "2026-10-01"}, "from"),
        ):
            r = await client.get("/api/v1/complaints", params=params, headers=as_(CLERK))
            assert r.status_code == 422, (params, r.text)
            assert [e["field"] for e in r.json()["errors"]] == [field]
            assert r.json()["errors"][0]["message_zh"] and r.json()["errors"][0]["message_en"]


async def test_exports_mask_id_numbers_and_phones_by_role_as_the_list_does(intake) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    filing_clerk = clerk("4103", subject="clerk.export@4103")
    other_clerk = clerk("4103", subject="clerk.other@4103")
    phone, id_no = "13912345678", id_number("41030219800101123")
    body = complaint_body(
        worker_name="导出工人", employer_name="导出掩码测试有限公司", worker_phone=phone, worker_id_number=id_no
    )
    async with intake.client() as client:
        r = await client.post("/api/v1/complaints", json=body, headers=as_(filing_clerk))
        assert r.status_code == 201, r.text
        params = {"q": "导出掩码测试"}
        for who, sees_all in ((filing_clerk, True), (other_clerk, False), (INSPECTOR, False)):
            listed = await _walk(client, who, params)
            assert len(listed) == 1 and (listed[0]["worker_phone"] == phone) is sees_all
            assert (listed[0]["worker_id_number"] == id_no) is sees_all
            for fmt in ("csv", "xlsx"):
                r = await client.get("/api/v1/complaints/export", params={**params, "format": fmt}, headers=as_(who))
                assert r.status_code == 200 and r.headers["x-export-rows"] == "1", r.text
                if fmt == "csv":
                    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
                else:
                    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
                    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
                header, row = rows
                exported = dict(zip(header, row, strict=True))
                assert exported["联系电话"] == listed[0]["worker_phone"]
                assert exported["身份证号码"] == listed[0]["worker_id_number"]
                assert exported["劳动者"] == listed[0]["worker_name"] == "导出工人"
                assert (phone in r.content.decode("utf-8", "replace")) is (sees_all and fmt == "csv")
        # An ID number stays out of the export's URL as out of the list's.
        r = await client.get("/api/v1/complaints/export", params={"q": id_no, "format": "csv"}, headers=as_(CLERK))
        assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["q"]
