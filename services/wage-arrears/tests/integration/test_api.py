"""The desk's HTTP API: inspectors in their region list, filter and work alerts and read
referral packages; everything outside their reach answers 404; bad input names its field."""

from __future__ import annotations

from datetime import date

import httpx

from labornet_common.security.auth import Principal, Role
from labornet_common.testing.inprocess import SignedAs
from labornet_common.testing.wage_arrears_support import GULOU, USCC, complaint, wages

LUOYANG_INSPECTOR = SignedAs(
    Principal(subject="demo:inspector.luoyang", roles=frozenset({Role.inspector}), region_scopes=("4103",))
)
GULOU_INSPECTOR = SignedAs(Principal(subject="i2", roles=frozenset({Role.inspector}), region_scopes=("350102",)))
LUOYANG_MEDIATOR = SignedAs(Principal(subject="m", roles=frozenset({Role.mediator}), region_scopes=("4103",)))
ADMIN = SignedAs(Principal(subject="demo:admin", roles=frozenset({Role.admin}), region_scopes=("*",)))
BASE = "/api/v1/wage-arrears"


async def _seed(desk) -> None:
    await desk.deliver(
        complaint("c1", uscc=USCC, police=True, claims=[wages(800_000, date(2026, 7, 1), date(2026, 9, 30))]),
        complaint("c2", region=GULOU, employer="福州某餐饮", workers=11, claims=[wages(1_100_000)]),
    )


async def test_inspectors_see_and_filter_only_their_region(served) -> None:
    url, desk = served
    await _seed(desk)
    async with httpx.AsyncClient(base_url=url) as client:
        mine = (await client.get(f"{BASE}/alerts", headers=LUOYANG_INSPECTOR)).json()["items"]
        assert {a["rule"] for a in mine} == {"police_dispatch", "criminal_referral"}
        assert {a["region_code"] for a in mine} == {"410311"}
        red = (await client.get(f"{BASE}/alerts", params={"severity": "red", "region": "4103"}, headers=ADMIN)).json()[
            "items"
        ]
        assert len(red) == 2
        orange = (await client.get(f"{BASE}/alerts", params={"severity": "orange"}, headers=ADMIN)).json()["items"]
        assert [a["rule"] for a in orange] == ["collective_arrears"]
        theirs = orange[0]["alert_id"]
        assert (await client.get(f"{BASE}/alerts/{theirs}", headers=LUOYANG_INSPECTOR)).status_code == 404
        assert (await client.get(f"{BASE}/alerts/{theirs}", headers=GULOU_INSPECTOR)).status_code == 200
        assert (await client.get(f"{BASE}/alerts", headers=LUOYANG_MEDIATOR)).json()["items"] == []
        assert (await client.get(f"{BASE}/alerts")).status_code == 401
        paged = await client.get(f"{BASE}/alerts", params={"limit": 1}, headers=ADMIN)
        nxt = await client.get(
            f"{BASE}/alerts", params={"limit": 1, "cursor": paged.json()["next_cursor"]}, headers=ADMIN
        )
        assert paged.json()["items"][0]["alert_id"] != nxt.json()["items"][0]["alert_id"]
        profiles = (await client.get(f"{BASE}/profiles", headers=LUOYANG_INSPECTOR)).json()["items"]
        assert [p["employer_uscc"] for p in profiles] == [USCC]
        other = (await client.get(f"{BASE}/profiles", headers=GULOU_INSPECTOR)).json()["items"][0]["profile_id"]
        assert (await client.get(f"{BASE}/profiles/{other}", headers=LUOYANG_INSPECTOR)).status_code == 404


async def test_the_lifecycle_through_the_api(served) -> None:
    url, desk = served
    await _seed(desk)
    async with httpx.AsyncClient(base_url=url) as client:
        alerts = (
            await client.get(f"{BASE}/alerts", params={"rule": "police_dispatch"}, headers=LUOYANG_INSPECTOR)
        ).json()["items"]
        path = f"{BASE}/alerts/{alerts[0]['alert_id']}"
        assert (await client.post(f"{path}/acknowledge", headers=LUOYANG_MEDIATOR)).status_code == 404
        assert (await client.post(f"{path}/acknowledge", headers=GULOU_INSPECTOR)).status_code == 404
        acked = await client.post(f"{path}/acknowledge", headers=LUOYANG_INSPECTOR)
        assert acked.status_code == 200 and acked.json()["owner"] == "demo:inspector.luoyang"
        again = await client.post(f"{path}/acknowledge", headers=LUOYANG_INSPECTOR)
        assert again.status_code == 409 and again.json()["state"] == "acknowledged"
        bad = await client.post(f"{path}/dispatch", json={"to": "region"}, headers=LUOYANG_INSPECTOR)
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "region_code"
        bad = await client.post(f"{path}/dispatch", json={"to": "mars"}, headers=LUOYANG_INSPECTOR)
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "to"
        sent = await client.post(
            f"{path}/dispatch", json={"to": "region", "region_code": "350102"}, headers=LUOYANG_INSPECTOR
        )
        assert sent.json()["state"] == "dispatched" and sent.json()["dispatched_to"] == "region:350102"
        # Dispatched to 鼓楼, the alert is 鼓楼's to work too (and still nobody else's).
        assert (await client.get(path, headers=GULOU_INSPECTOR)).json()["dispatched_region"] == "350102"
        listed = (await client.get(f"{BASE}/alerts", headers=GULOU_INSPECTOR)).json()["items"]
        assert alerts[0]["alert_id"] in {a["alert_id"] for a in listed}
        assert (await client.get(path, headers=LUOYANG_MEDIATOR)).status_code == 404
        empty = await client.post(f"{path}/resolve", json={"reason": ""}, headers=GULOU_INSPECTOR)
        assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "reason"
        done = await client.post(f"{path}/resolve", json={"reason": "福州已处置完毕"}, headers=GULOU_INSPECTOR)
        assert done.json()["state"] == "resolved"
        states = [e["data"]["state"] for e in await desk.published() if e["event_type"].endswith("state_changed.v1")]
        assert states == ["acknowledged", "dispatched", "resolved"]
        closing = await client.post(f"{path}/close", json={"reason": "x"}, headers=LUOYANG_INSPECTOR)
        assert closing.status_code == 409


async def test_the_referral_package_gathers_the_evidence(served) -> None:
    url, desk = served
    await _seed(desk)
    async with httpx.AsyncClient(base_url=url) as client:
        [alert] = (
            await client.get(f"{BASE}/alerts", params={"rule": "criminal_referral"}, headers=LUOYANG_INSPECTOR)
        ).json()["items"]
        path = f"{BASE}/referrals/{alert['referral_id']}"
        package = (await client.get(path, headers=LUOYANG_INSPECTOR)).json()
        assert package["employer"]["uscc"] == USCC and package["amount_fen"] == 800_000
        [case] = package["cases"]
        assert case["wage_months_covered"] == 3 and case["claims"][0]["period_from"] == "2026-07-01"
        assert package["basis"]["single_worker"] == ["c1"] and package["basis"]["figures_verified"] is False
        assert any("第四条" in item for item in package["checklist_zh"])
        assert (await client.get(path, headers=GULOU_INSPECTOR)).status_code == 404
        assert (await client.get(f"{BASE}/referrals/nope", headers=ADMIN)).status_code == 404


async def test_alerts_searched_filtered_sorted_paged_and_exported(served) -> None:
    import csv
    import io

    url, desk = served
    await _seed(desk)
    async with httpx.AsyncClient(base_url=url) as client:

        async def walk(params: dict, who=ADMIN) -> list[dict]:
            found, cursor = [], None
            while True:
                page = {**params, **({"cursor": cursor} if cursor else {})}
                r = await client.get(f"{BASE}/alerts", params=page, headers=who)
                assert r.status_code == 200, r.text
                found.extend(r.json()["items"])
                if not (cursor := r.json()["next_cursor"]):
                    return found

        everything = await walk({"limit": 1})
        assert len(everything) == 3 and len({a["alert_id"] for a in everything}) == 3
        # By employer name (and by USCC), within scope only.
        fuzhou = await walk({"q": "福州某餐饮"})
        assert [a["employer_name"] for a in fuzhou] == ["福州某餐饮"]
        assert await walk({"q": "福州某餐饮"}, who=LUOYANG_INSPECTOR) == []
        assert {a["alert_id"] for a in await walk({"q": USCC})} == {
            a["alert_id"] for a in everything if a["employer_uscc"] == USCC
        }
        # States, sorts and raised dates.
        assert len(await walk({"status": ["open", "acknowledged"]})) == 3
        assert await walk({"status": "closed"}) == []
        by_amount = await walk({"sort": "amount_desc", "limit": 1})
        assert [a["amount_fen"] for a in by_amount] == sorted((a["amount_fen"] for a in everything), reverse=True)
        assert await walk({"to": "2020-01-01"}) == []
        for params, field in (
            ({"status": "lost"}, "status"),
            ({"clock": "late"}, "clock"),
            ({"sort": "salary"}, "sort"),
            ({"from": "2026-10-02", "to": "2026-10-01"}, "from"),
        ):
            r = await client.get(f"{BASE}/alerts", params=params, headers=ADMIN)
            assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", r.text
            assert [e["field"] for e in r.json()["errors"]] == [field]
            assert r.json()["errors"][0]["message_zh"] and r.json()["errors"][0]["message_en"]
        # The export holds the list's rows in its order.
        r = await client.get(f"{BASE}/alerts/export", params={"sort": "amount_desc", "format": "csv"}, headers=ADMIN)
        assert r.status_code == 200 and r.headers["x-export-rows"] == "3"
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert [row[-1] for row in rows[1:]] == [a["alert_id"] for a in by_amount]
        mine = await client.get(f"{BASE}/alerts/export", params={"format": "xlsx"}, headers=LUOYANG_INSPECTOR)
        assert mine.headers["x-export-rows"] == str(len(await walk({}, who=LUOYANG_INSPECTOR)))
