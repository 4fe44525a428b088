"""Orders to pay and incidents through the desk's API, on a real database: validation that names
the field, region scope, idempotent posting, the blacklist alert once an order goes unpaid past
its limit (at service, or when the scanner sees the day come), and the referral package."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta

import httpx

from labornet_common.contracts.events import utcnow
from labornet_common.platform.clock import CHINA, local_date
from labornet_common.security.auth import Principal, Role
from labornet_common.testing.inprocess import SignedAs
from labornet_common.testing.wage_arrears_support import USCC, complaint, wages
from labornet_wage_arrears.service.commands import refresh_lapsed_orders

INSPECTOR = SignedAs(
    Principal(subject="demo:inspector.luoyang", roles=frozenset({Role.inspector}), region_scopes=("4103",))
)
GULOU_INSPECTOR = SignedAs(Principal(subject="i2", roles=frozenset({Role.inspector}), region_scopes=("350102",)))
MEDIATOR = SignedAs(Principal(subject="m", roles=frozenset({Role.mediator}), region_scopes=("4103",)))
BASE = "/api/v1/wage-arrears"


def today() -> date:
    return local_date(utcnow())


def order_body(number: str, *, due: date, **extra) -> dict:
    return {
        "region_code": "410311",
        "employer_name": "洛阳某建筑工程有限公司",
        "employer_uscc": USCC,
        "document_number": number,
        "kind": "rectification_instruction",
        "issued_on": (today() - timedelta(days=10)).isoformat(),
        "due_on": due.isoformat(),
        "amount_fen": 500_000,
        "worker_count": 1,
        "case_ids": ["c1"],
        **extra,
    }


async def _crime_case(desk) -> None:
    # One worker, three whole months, 5,000 yuan: the 2013 interpretation's Art. 3(一) floor.
    await desk.deliver(complaint("c1", uscc=USCC, claims=[wages(500_000, date(2026, 7, 1), date(2026, 9, 30))]))


async def _rules(client: httpx.AsyncClient) -> dict[str, dict]:
    items = (await client.get(f"{BASE}/alerts", headers=INSPECTOR, params={"limit": 100})).json()["items"]
    return {a["rule"]: a for a in items}


async def test_bad_orders_name_their_field_and_nothing_is_stored(served) -> None:
    url, desk = served
    await _crime_case(desk)
    due = today() + timedelta(days=5)
    cases = [
        ({"due_on": (today() - timedelta(days=11)).isoformat()}, "due_on"),
        ({"case_ids": ["c1", "no-such-case"]}, "case_ids.1"),
        ({"employer_uscc": "91350100M000100Y44"}, "employer_uscc"),
        ({"region_code": "999999"}, "region_code"),
        ({"issued_on": (today() + timedelta(days=1)).isoformat()}, "issued_on"),
        ({"amount_fen": 0}, "amount_fen"),
        ({"kind": "verbal"}, "kind"),
    ]
    async with httpx.AsyncClient(base_url=url) as client:
        for change, field in cases:
            r = await client.post(f"{BASE}/orders", json={**order_body("令1", due=due), **change}, headers=INSPECTOR)
            assert r.status_code == 422, (field, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            error = r.json()["errors"][0]
            assert error["field"] == field and error["message_zh"] and error["message_en"]
        assert (await client.get(f"{BASE}/orders", headers=INSPECTOR)).json()["items"] == []
        assert (await client.post(f"{BASE}/orders", json=order_body("令1", due=due))).status_code == 401


async def test_orders_are_kept_to_their_region_and_posting_twice_records_once(served) -> None:
    url, desk = served
    await _crime_case(desk)
    body = order_body("洛龙人社监令〔2026〕7号", due=today() + timedelta(days=5))
    async with httpx.AsyncClient(base_url=url) as client:
        for outsider in (GULOU_INSPECTOR, MEDIATOR):
            assert (await client.post(f"{BASE}/orders", json=body, headers=outsider)).status_code == 404
        first = await client.post(f"{BASE}/orders", json=body, headers=INSPECTOR)
        again = await client.post(f"{BASE}/orders", json=body, headers=INSPECTOR)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["order_id"] == again.json()["order_id"]
        other = await client.post(f"{BASE}/orders", json={**body, "amount_fen": 600_000}, headers=INSPECTOR)
        assert other.status_code == 409 and other.headers["content-type"].startswith("application/problem+json")
        refused = other.json()
        assert (
            refused["type"].endswith("/wage_arrears.order_exists") and refused["order_id"] == first.json()["order_id"]
        )
        assert refused["title_zh"] and refused["title_en"]
        # The same new document posted twice at once: one insert wins, the other answers with its order.
        twin = order_body("洛龙人社监令〔2026〕8号", due=today() + timedelta(days=5))
        racing = await asyncio.gather(*(client.post(f"{BASE}/orders", json=twin, headers=INSPECTOR) for _ in range(2)))
        assert sorted(r.status_code for r in racing) == [200, 201]
        assert racing[0].json()["order_id"] == racing[1].json()["order_id"]
        order_id = first.json()["order_id"]
        assert first.json()["lapsed"] is False and first.json()["lapses_on"] is None  # not served yet
        path = f"{BASE}/orders/{order_id}"
        for outsider in (GULOU_INSPECTOR, MEDIATOR):
            assert (await client.get(path, headers=outsider)).status_code == 404
            served_body = {"served_on": today().isoformat(), "method": "direct"}
            assert (await client.post(f"{path}/service", json=served_body, headers=outsider)).status_code == 404
            assert [o["order_id"] for o in (await client.get(f"{BASE}/orders", headers=outsider)).json()["items"]] == []
        listed = (await client.get(f"{BASE}/orders", params={"employer_uscc": USCC}, headers=INSPECTOR)).json()
        assert sorted(o["order_id"] for o in listed["items"]) == sorted([order_id, racing[0].json()["order_id"]])
    issued = [e for e in await desk.published() if e["event_type"].endswith("order.issued.v1")]
    assert sorted(e["partition_key"] for e in issued) == sorted([order_id, racing[0].json()["order_id"]])


async def test_an_order_unpaid_past_its_limit_recommends_listing(served) -> None:
    url, desk = served
    await _crime_case(desk)
    body = order_body("洛龙人社监令〔2026〕8号", due=today() - timedelta(days=1))
    async with httpx.AsyncClient(base_url=url) as client:
        order_id = (await client.post(f"{BASE}/orders", json=body, headers=INSPECTOR)).json()["order_id"]
        assert "blacklist_eligible" not in await _rules(client)  # not served: the limit does not run
        early = {"served_on": (today() - timedelta(days=11)).isoformat(), "method": "direct"}
        r = await client.post(f"{BASE}/orders/{order_id}/service", json=early, headers=INSPECTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "served_on"
        service = {"served_on": (today() - timedelta(days=9)).isoformat(), "method": "posted"}
        r = await client.post(f"{BASE}/orders/{order_id}/service", json=service, headers=INSPECTOR)
        assert r.status_code == 200 and r.json()["lapsed"] is True and r.json()["unpaid_fen"] == 500_000
        other = {"served_on": (today() - timedelta(days=8)).isoformat(), "method": "direct"}
        assert (
            await client.post(f"{BASE}/orders/{order_id}/service", json=other, headers=INSPECTOR)
        ).status_code == 409
        found = await _rules(client)
        listing = found["blacklist_eligible"]
        assert listing["severity"] == "red" and listing["case_ids"] == ["c1"] and listing["holds"] is True
        assert "已责令限期支付、逾期未支付" in found["criminal_referral"]["summary_zh"]
        package = (
            await client.get(f"{BASE}/referrals/{found['criminal_referral']['referral_id']}", headers=INSPECTOR)
        ).json()
        [entry] = package["orders_to_pay"]
        assert entry["service_method"] == "posted" and entry["lapsed"] is True
        assert package["administrative_order_served"] is True and package["administrative_order_lapsed"] is True
        profile = (await client.get(f"{BASE}/profiles", headers=INSPECTOR)).json()["items"][0]
        assert profile["orders_unpaid_fen"] == 500_000
        less = {"paid_on": today().isoformat(), "paid_total_fen": 600_000}
        paid = await client.post(f"{BASE}/orders/{order_id}/payment", json=less, headers=INSPECTOR)
        assert paid.status_code == 200 and paid.json()["unpaid_fen"] == 0 and paid.json()["lapsed"] is False
        back = {"paid_on": today().isoformat(), "paid_total_fen": 100}
        r = await client.post(f"{BASE}/orders/{order_id}/payment", json=back, headers=INSPECTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "paid_total_fen"
        after = (await _rules(client))["blacklist_eligible"]
        assert after["alert_id"] == listing["alert_id"] and after["holds"] is False and after["state"] == "open"
    updates = [
        e["data"]
        for e in await desk.published()
        if e["event_type"].endswith("alert.updated.v1") and e["data"]["rule"] == "blacklist_eligible"
    ]
    assert [u["pattern_holds"] for u in updates] == [False]


async def test_the_scanner_sees_the_limit_run_out_once(served) -> None:
    url, desk = served
    await _crime_case(desk)
    body = order_body("洛龙人社监令〔2026〕9号", due=today() + timedelta(days=3))
    async with httpx.AsyncClient(base_url=url) as client:
        order_id = (await client.post(f"{BASE}/orders", json=body, headers=INSPECTOR)).json()["order_id"]
        service = {"served_on": today().isoformat(), "method": "direct"}
        await client.post(f"{BASE}/orders/{order_id}/service", json=service, headers=INSPECTOR)
        assert "blacklist_eligible" not in await _rules(client)
        last_minute = datetime.combine(today() + timedelta(days=3), time(23, 59), CHINA)
        assert await refresh_lapsed_orders(uow_factory=desk.uow, now=last_minute, book=desk.book) == []
        later = datetime.combine(today() + timedelta(days=4), time(0, 0), CHINA)  # the first overdue day
        refreshed = await refresh_lapsed_orders(uow_factory=desk.uow, now=later, book=desk.book)
        assert refreshed == [(f"uscc:{USCC}", "410311")]
        assert await refresh_lapsed_orders(uow_factory=desk.uow, now=later, book=desk.book) == []
        assert (await _rules(client))["blacklist_eligible"]["amount_fen"] == 500_000
    raised = [
        e
        for e in await desk.published()
        if e["event_type"].endswith("alert.raised.v1") and e["data"]["rule"] == "blacklist_eligible"
    ]
    assert len(raised) == 1
    # The desk's own events come back from its topic: applying them again changes nothing.
    before = await desk.alerts()
    outcomes = await desk.redeliver_published(kind="order.")
    assert outcomes and set(outcomes) == {"applied"}
    assert await desk.alerts() == before


async def test_a_serious_mass_incident_is_the_second_ground(served) -> None:
    url, desk = served
    await desk.deliver(complaint("c9", uscc=USCC, claims=[wages(100_000)]))  # under every crime figure
    async with httpx.AsyncClient(base_url=url) as client:
        body = {
            **order_body("洛龙人社监令〔2026〕10号", due=today() - timedelta(days=1)),
            "amount_fen": 100_000,
            "case_ids": ["c9"],
        }
        order_id = (await client.post(f"{BASE}/orders", json=body, headers=INSPECTOR)).json()["order_id"]
        service = {"served_on": (today() - timedelta(days=9)).isoformat(), "method": "direct"}
        await client.post(f"{BASE}/orders/{order_id}/service", json=service, headers=INSPECTOR)
        assert "blacklist_eligible" not in await _rules(client)
        event = {
            "region_code": "410311",
            "employer_name": "洛阳某建筑工程有限公司",
            "employer_uscc": USCC,
            "kind": "mass",
            "occurred_on": today().isoformat(),
            "serious_impact": True,
            "workers_involved": 40,
            "description": "四十余名工人聚集讨薪",
            "case_ids": ["c9"],
        }
        assert (await client.post(f"{BASE}/incidents", json=event, headers=GULOU_INSPECTOR)).status_code == 404
        first = await client.post(f"{BASE}/incidents", json=event, headers=INSPECTOR)
        again = await client.post(f"{BASE}/incidents", json=event, headers=INSPECTOR)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["incident_id"] == again.json()["incident_id"]
        listing = (await _rules(client))["blacklist_eligible"]
        assert "（二）" in listing["summary_zh"] and listing["amount_fen"] == 100_000
        incident_id = first.json()["incident_id"]
        assert (await client.get(f"{BASE}/incidents/{incident_id}", headers=GULOU_INSPECTOR)).status_code == 404
        assert (await client.get(f"{BASE}/incidents/{incident_id}", headers=INSPECTOR)).json()["kind"] == "mass"


async def test_orders_are_paged_searched_and_exported(served) -> None:
    import csv
    import io

    url, desk = served
    await _crime_case(desk)
    async with httpx.AsyncClient(base_url=url) as client:
        numbers = [f"洛龙人社监令〔2026〕检索{n}号" for n in range(3)]
        for n, number in enumerate(numbers):
            extra = {} if n else {"employer_uscc": None, "employer_name": "洛阳某检索劳务有限公司"}
            r = await client.post(f"{BASE}/orders", json=order_body(number, due=today(), **extra), headers=INSPECTOR)
            assert r.status_code == 201, r.text

        found, cursor = [], None
        while True:  # one per page: every order, once, newest change first
            params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(f"{BASE}/orders", params=params, headers=INSPECTOR)).json()
            found.extend(page["items"])
            if not (cursor := page["next_cursor"]):
                break
        mine = [o for o in found if o["document_number"] in numbers]
        assert [o["document_number"] for o in mine] == list(reversed(numbers))
        by_name = (await client.get(f"{BASE}/orders", params={"q": "检索劳务"}, headers=INSPECTOR)).json()["items"]
        assert [o["document_number"] for o in by_name] == [numbers[0]]
        assert (await client.get(f"{BASE}/orders", params={"q": "检索劳务"}, headers=GULOU_INSPECTOR)).json()[
            "items"
        ] == []
        for params, field in (
            ({"status": "paid"}, "status"),
            ({"sort": "amount"}, "sort"),
            ({"clock": "overdue"}, "clock"),
        ):
            r = await client.get(f"{BASE}/orders", params=params, headers=INSPECTOR)
            assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == [field], r.text
            assert r.json()["errors"][0]["message_zh"] and r.json()["errors"][0]["message_en"]

        r = await client.get(f"{BASE}/orders/export", params={"format": "csv"}, headers=INSPECTOR)
        assert r.status_code == 200 and r.headers["x-export-rows"] == str(len(found))
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert rows[0][0] == "文书编号" and [row[-1] for row in rows[1:]] == [o["order_id"] for o in found]


async def test_referrals_are_listed_searched_and_exported(served) -> None:
    import csv
    import io

    url, desk = served
    await _crime_case(desk)
    async with httpx.AsyncClient(base_url=url) as client:
        referral_id = (await _rules(client))["criminal_referral"]["referral_id"]
        listed = (await client.get(f"{BASE}/referrals", headers=INSPECTOR)).json()
        assert [r["referral_id"] for r in listed["items"]] == [referral_id] and listed["next_cursor"] is None
        assert listed["items"][0]["amount_fen"] == 500_000 and listed["items"][0]["state"] == "open"
        for outsider in (GULOU_INSPECTOR, MEDIATOR):
            assert (await client.get(f"{BASE}/referrals", headers=outsider)).json()["items"] == []
        by_id = await client.get(f"{BASE}/referrals", params={"q": referral_id[:8]}, headers=INSPECTOR)
        assert [r["referral_id"] for r in by_id.json()["items"]] == [referral_id]
        for params in ({"status": "closed"}, {"q": "无此单位"}, {"from": (today() + timedelta(days=1)).isoformat()}):
            assert (await client.get(f"{BASE}/referrals", params=params, headers=INSPECTOR)).json()["items"] == []
        for params, field in (
            ({"status": "lost"}, "status"),
            ({"sort": "name"}, "sort"),
            ({"region": "41x"}, "region"),
        ):
            r = await client.get(f"{BASE}/referrals", params=params, headers=INSPECTOR)
            assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == [field], r.text

        r = await client.get(f"{BASE}/referrals/export", params={"format": "csv", "status": "open"}, headers=INSPECTOR)
        assert r.status_code == 200 and r.headers["x-export-rows"] == "1"
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert rows[0][0] == "建议移送时间" and [row[-1] for row in rows[1:]] == [referral_id]
        assert rows[1][7] == "5000.0"
        # The package is still read by its id, not taken for the export or the list.
        package = await client.get(f"{BASE}/referrals/{referral_id}", headers=INSPECTOR)
        assert package.status_code == 200 and package.json()["referral_id"] == referral_id


async def test_incidents_are_paged_without_a_cap_searched_and_exported(served) -> None:
    import csv
    import io

    url, desk = served
    await _crime_case(desk)
    async with httpx.AsyncClient(base_url=url) as client:
        ids = []
        days_ago = (1, 0, 1)  # entered out of the order they happened; two on the same day
        for n in range(3):
            event = {
                "region_code": "410311",
                "employer_name": f"洛阳某事件{n}劳务有限公司",
                "kind": "mass",
                "occurred_on": (today() - timedelta(days=days_ago[n])).isoformat(),
                "serious_impact": False,
                "workers_involved": 10 + n,
            }
            r = await client.post(f"{BASE}/incidents", json=event, headers=INSPECTOR)
            assert r.status_code == 201, r.text
            ids.append(r.json()["incident_id"])

        # The day it happened, newest first; the same day by incident id (a page boundary falls
        # between the two of yesterday: neither repeated nor skipped).
        newest_day_first = [ids[1], *sorted([ids[0], ids[2]], reverse=True)]
        for sort, expected in ((None, newest_day_first), ("occurred_asc", list(reversed(newest_day_first)))):
            found, cursor = [], None
            while True:  # one per page: every incident, once
                params = {"limit": 1, **({"sort": sort} if sort else {}), **({"cursor": cursor} if cursor else {})}
                page = (await client.get(f"{BASE}/incidents", params=params, headers=INSPECTOR)).json()
                found.extend(page["items"])
                if not (cursor := page["next_cursor"]):
                    break
            assert [i["incident_id"] for i in found] == expected, sort
        oldest_first = await client.get(f"{BASE}/incidents", params={"sort": "updated_asc"}, headers=INSPECTOR)
        assert [i["incident_id"] for i in oldest_first.json()["items"]] == ids
        on_the_day = {"from": today().isoformat(), "to": today().isoformat()}  # from/to: the day it happened
        happened_today = await client.get(f"{BASE}/incidents", params=on_the_day, headers=INSPECTOR)
        assert [i["incident_id"] for i in happened_today.json()["items"]] == [ids[1]]
        by_name = (await client.get(f"{BASE}/incidents", params={"q": "事件1劳务"}, headers=INSPECTOR)).json()
        assert [i["incident_id"] for i in by_name["items"]] == [ids[1]]
        assert (await client.get(f"{BASE}/incidents", headers=GULOU_INSPECTOR)).json()["items"] == []
        for params, field in (
            ({"limit": 101}, "limit"),
            ({"cursor": "garbled"}, "cursor"),
            ({"status": "x"}, "status"),
        ):
            r = await client.get(f"{BASE}/incidents", params=params, headers=INSPECTOR)
            assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == [field], r.text

        r = await client.get(f"{BASE}/incidents/export", params={"format": "csv", "q": "事件"}, headers=INSPECTOR)
        assert r.status_code == 200 and r.headers["x-export-rows"] == "3"
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert rows[0][0] == "发生日期" and [row[-1] for row in rows[1:]] == newest_day_first
        assert [row[6] for row in rows[1:]] == [str(10 + ids.index(i)) for i in newest_day_first]
