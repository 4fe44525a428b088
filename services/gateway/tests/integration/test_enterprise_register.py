"""The register of named 和谐劳动关系 enterprises through the gateway's API on a real database:
naming and removal are each an event on reference.organisations.v1 (through the outbox) and an
audit row; the register is listed, searched and filtered; the dashboard's enterprise check
follows a removal; bad input is a 422 naming the field."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import openpyxl
from sqlalchemy import select

from labornet_common.platform.db import create_engine
from labornet_common.testing.api import eventually
from labornet_common.testing.inprocess import running_services
from labornet_gateway.adapters.audit_tables import audit_log
from labornet_gateway.adapters.export_log import list_exports
from labornet_gateway.adapters.orm import messaging

USCC = "91350100M000100Y43"
BASE = "/api/v1/reports/named-enterprises"


async def _rows(database_url: str, query) -> list[dict]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return [dict(r._mapping) for r in await conn.execute(query)]
    finally:
        await engine.dispose()


async def _admin(client: httpx.AsyncClient) -> dict[str, str]:
    r = await client.post("/api/v1/auth/token", json={"username": "admin", "password": "admin-demo"})
    assert r.status_code == 200, r.text
    return {"authorization": f"Bearer {r.json()['access_token']}"}


async def _checked(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    r = await client.get("/api/v1/reports/dashboard", params={"region": "4103"}, headers=headers)
    assert r.status_code == 200, r.text
    return [e["name"] for e in r.json()["figures"]["enterprise_check"]]


async def test_naming_and_removal_are_events_and_audit_rows_and_the_check_follows(
    db_backend: str, broker: str, tmp_path: Path
) -> None:
    async with running_services(["gateway"], backend=db_backend, broker=broker, workdir=tmp_path) as svc:
        database = svc.databases["gateway"]
        async with httpx.AsyncClient(base_url=svc.urls["gateway"]) as client:
            admin = await _admin(client)
            named = []
            for name, uscc in (("洛阳和谐机械有限公司", USCC), ("洛阳和谐纺织有限公司", "")):
                body = {"name": name, "uscc": uscc, "level": "市级", "named_on": "2026-05-01", "region": "4103"}
                r = await client.post(BASE, json=body, headers=admin)
                assert r.status_code == 201, r.text
                named.append(r.json())
            machine, textile = named
            assert machine["status"] == "named" and machine["named_by"] == "demo:admin"
            assert sorted(await _checked(client, admin)) == sorted(["洛阳和谐纺织有限公司", "洛阳和谐机械有限公司"])

            listed = (await client.get(BASE, headers=admin)).json()
            assert [e["enterprise_id"] for e in listed["items"]] == [textile["enterprise_id"], machine["enterprise_id"]]
            page = (await client.get(BASE, params={"limit": 1}, headers=admin)).json()
            rest = (await client.get(BASE, params={"limit": 1, "cursor": page["next_cursor"]}, headers=admin)).json()
            assert [e["name"] for e in page["items"] + rest["items"]] == [
                "洛阳和谐纺织有限公司",
                "洛阳和谐机械有限公司",
            ]
            assert rest["next_cursor"] is None
            by_code = (await client.get(BASE, params={"q": USCC[-6:]}, headers=admin)).json()["items"]
            assert [e["enterprise_id"] for e in by_code] == [machine["enterprise_id"]]

            path = f"{BASE}/{machine['enterprise_id']}/removal"
            removed = await client.post(path, json={"reason": "命名已被撤销"}, headers=admin)
            assert removed.status_code == 200, removed.text
            assert (removed.json()["status"], removed.json()["removal_reason"]) == ("removed", "命名已被撤销")
            again = await client.post(path, json={"reason": "再次移除"}, headers=admin)
            assert again.status_code == 409 and again.json()["title_zh"] and again.json()["title_en"]
            assert await _checked(client, admin) == ["洛阳和谐纺织有限公司"]
            gone = (await client.get(BASE, params={"status": "removed"}, headers=admin)).json()["items"]
            assert [e["enterprise_id"] for e in gone] == [machine["enterprise_id"]]
            still = (await client.get(BASE, params={"status": "named"}, headers=admin)).json()["items"]
            assert [e["enterprise_id"] for e in still] == [textile["enterprise_id"]]
            missing = await client.post(f"{BASE}/no-such-enterprise/removal", json={"reason": "x"}, headers=admin)
            assert missing.status_code == 404

            # Exports: the list as filtered on screen, a formula in a cell neutralised.
            formula = await client.post(BASE, json={"name": "=1+2 和谐公司", "region": "4103"}, headers=admin)
            assert formula.status_code == 201, formula.text
            as_csv = await client.get(f"{BASE}/export", params={"format": "csv", "status": "named"}, headers=admin)
            assert as_csv.status_code == 200, as_csv.text
            assert as_csv.headers["x-export-rows"] == "2" and as_csv.headers["content-type"].startswith("text/csv")
            table = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
            assert table[0][:2] == ["企业名称", "统一社会信用代码"]
            assert [(r[0], r[5]) for r in table[1:]] == [("'=1+2 和谐公司", "在册"), ("洛阳和谐纺织有限公司", "在册")]
            as_xlsx = await client.get(f"{BASE}/export", params={"format": "xlsx", "sort": "named_asc"}, headers=admin)
            assert as_xlsx.status_code == 200, as_xlsx.text
            sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
            cells = [[c.value for c in row] for row in sheet.iter_rows()]
            assert [(r[0], r[1], r[5]) for r in cells[1:]] == [
                ("洛阳和谐机械有限公司", USCC, "已移除"),
                ("洛阳和谐纺织有限公司", None, "在册"),
                ("'=1+2 和谐公司", None, "在册"),
            ]

            for method, url, kwargs, field in (
                ("POST", BASE, {"json": {"name": "某公司", "uscc": "91350100M000100Y44", "region": "4103"}}, "uscc"),
                ("POST", BASE, {"json": {"name": "某公司", "region": "41a"}}, "region"),
                ("POST", f"{BASE}/{textile['enterprise_id']}/removal", {"json": {"reason": ""}}, "reason"),
                ("GET", BASE, {"params": {"status": "retired"}}, "status"),
                ("GET", BASE, {"params": {"sort": "name"}}, "sort"),
                ("GET", f"{BASE}/export", {"params": {"format": "pdf"}}, "format"),
                ("GET", f"{BASE}/export", {"params": {"format": "csv", "status": "retired"}}, "status"),
            ):
                r = await client.request(method, url, headers=admin, **kwargs)
                assert r.status_code == 422, (field, r.text)
                assert r.headers["content-type"].startswith("application/problem+json")
                error = r.json()["errors"][0]
                assert error["field"].endswith(field) and error["message_zh"] and error["message_en"], error
            assert (await client.post(BASE, json={"name": "某公司", "region": "4103"})).status_code == 401

        outbox = messaging.outbox
        events = await _rows(database, select(outbox).order_by(outbox.c.id))
        mine = [(e["event_type"], e["partition_key"]) for e in events if ".enterprise." in e["event_type"]]
        assert mine == [
            ("cn.labornet.organisations.enterprise.named.v1", f"enterprise:{machine['enterprise_id']}"),
            ("cn.labornet.organisations.enterprise.named.v1", f"enterprise:{textile['enterprise_id']}"),
            ("cn.labornet.organisations.enterprise.removed.v1", f"enterprise:{machine['enterprise_id']}"),
            ("cn.labornet.organisations.enterprise.named.v1", f"enterprise:{formula.json()['enterprise_id']}"),
        ]
        assert all(e["topic"] == "reference.organisations.v1" for e in events if ".enterprise." in e["event_type"])
        [removal] = [e for e in events if e["event_type"].endswith("enterprise.removed.v1")]
        assert removal["data"]["reason"] == "命名已被撤销" and removal["data"]["removed_by"] == "demo:admin"

        def written(rows: list[dict]) -> list[tuple[str, int]]:
            return [
                (r["route"], r["status"]) for r in rows if r["method"] == "POST" and "named-enterprises" in r["route"]
            ]

        async def trail() -> list[dict]:
            return await _rows(database, select(audit_log).where(audit_log.c.subject == "demo:admin"))

        audited = written(await eventually(trail, lambda rows: len(written(rows)) >= 9))
        assert audited.count((BASE, 201)) == 3
        assert audited.count((f"{BASE}/{{enterprise_id}}/removal", 200)) == 1
        assert audited.count((f"{BASE}/{{enterprise_id}}/removal", 409)) == 1

        exported = await _rows(database, select(list_exports).order_by(list_exports.c.occurred_at))
        assert [(e["subject"], e["list_name"], e["format"], e["rows"]) for e in exported] == [
            ("demo:admin", "reports.named_enterprises", "csv", 2),
            ("demo:admin", "reports.named_enterprises", "xlsx", 3),
        ]
        assert [json.loads(e["filters"]) for e in exported] == [{"status": "named"}, {"sort": "named_asc"}]
        assert all(e["route"] == f"{BASE}/export" and e["request_id"] for e in exported)
