"""Who may file through which channel, and who sees a worker's ID number and phone in full."""

from __future__ import annotations

import httpx
import pytest

from labornet_common.security.auth import Role
from tests.security.helpers import GULOU, LUOYANG, STAFF_ROLES, bearer, complaint, staff, worker

pytestmark = pytest.mark.asyncio(loop_scope="module")

ID_NUMBER, PHONE = "11010519491231002X", "13812341234"


async def _post(services, body: dict, headers: dict | None = None) -> httpx.Response:
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        return await client.post("/api/v1/complaints", json=body, headers=headers or {})


async def _get(services, path: str, headers: dict) -> httpx.Response:
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        return await client.get(path, headers=headers)


async def test_window_channels_need_a_signed_in_clerk(services) -> None:
    r = await _post(services, complaint(LUOYANG, channel="window"))
    assert r.status_code == 401


@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_filing_for_another_regions_workplace_is_refused(services, role: Role) -> None:
    r = await _post(services, complaint(LUOYANG, channel="window"), bearer(staff(role, GULOU)))
    assert r.status_code == 403 and r.json()["type"].endswith("filing.clerk_required")


@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda r: r.value)
async def test_only_a_clerk_of_the_region_registers_window_complaints(services, role: Role) -> None:
    r = await _post(services, complaint(LUOYANG, channel="hotline_12333"), bearer(staff(role, "4103")))
    assert r.status_code == (201 if role is Role.clerk else 403)


async def test_the_filing_clerk_and_the_worker_see_in_full_everyone_else_masked(services) -> None:
    clerk = staff(Role.clerk, "4103", subject="clerk-who-filed")
    r = await _post(
        services,
        complaint(LUOYANG, channel="window", worker_id_number="11010519491231002x", worker_phone="+86 138-1234-1234"),
        bearer(clerk),
    )
    assert r.status_code == 201
    path = f"/api/v1/complaints/{r.json()['case_id']}"
    for who, full in (
        (clerk, True),
        (worker(r.json()["case_id"]), True),
        (staff(Role.clerk, "4103", subject="another-clerk"), False),
        (staff(Role.mediator, "4103"), False),
        (staff(Role.admin, "*"), False),
    ):
        body = (await _get(services, path, bearer(who))).json()
        expected = (ID_NUMBER, PHONE) if full else ("110105********002X", "138****1234")
        assert (body["worker_id_number"], body["worker_phone"]) == expected, who.subject


async def test_an_invalid_id_number_is_a_bilingual_field_problem(services) -> None:
    r = await _post(services, complaint(GULOU, worker_id_number="110105194912310021"))
    assert r.status_code == 422
    error = r.json()["errors"][0]
    assert error["field"] == "worker_id_number" and error["code"] == "id_number.check_digit"
    assert "校验位" in error["message_zh"] and "check digit" in error["message_en"]
    assert "110105194912310021" not in r.text
    bad_phone = await _post(services, complaint(GULOU, worker_phone="12345"))
    assert bad_phone.status_code == 422 and bad_phone.json()["errors"][0]["code"] == "phone.invalid"


async def test_list_pages_are_capped_and_chain_by_cursor(services) -> None:
    clerk = staff(Role.clerk, "3710", subject="clerk-weihai-pages")
    for _ in range(3):
        assert (await _post(services, complaint("371002", channel="window"), bearer(clerk))).status_code == 201
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        assert (await client.get("/api/v1/complaints?limit=101", headers=bearer(clerk))).status_code == 422
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/api/v1/complaints", params=params, headers=bearer(clerk))).json()
            seen += [item["case_id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        bad = await client.get("/api/v1/complaints", params={"cursor": "%%%"}, headers=bearer(clerk))
    assert len(seen) == len(set(seen)) >= 3
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


async def test_search_by_phone_matches_any_spelling_and_needs_a_key(services) -> None:
    clerk = staff(Role.clerk, "4103", subject="clerk-searching")
    filed = await _post(services, complaint(LUOYANG, channel="window", worker_phone="0379-6512 3456"), bearer(clerk))
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        found = await client.post(
            "/api/v1/complaints/search", json={"worker_phone": "+86 379 6512 3456"}, headers=bearer(clerk)
        )
        empty = await client.post("/api/v1/complaints/search", json={}, headers=bearer(clerk))
        bad = await client.post("/api/v1/complaints/search", json={"worker_id_number": "123"}, headers=bearer(clerk))
    assert [c["case_id"] for c in found.json()["items"]] == [filed.json()["case_id"]]
    assert found.json()["items"][0]["worker_phone"] == "0379-65123456"  # the filing clerk: in full
    assert empty.status_code == 422 and bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "worker_id_number"
