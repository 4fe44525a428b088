"""After complaints with ID numbers and phones have been filed, read and passed on, no
database of any service and no service log holds an ID number, a phone or an access code in
clear, nor does arbitration after a direct application with them in its facts. Every service
is a real process; every table and row is read back."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import MetaData, select

from labornet_common.platform.db import create_engine
from labornet_common.standards import id_check_char
from labornet_common.testing.api import sign_in
from labornet_common.testing.stack import running_stack

pytestmark = pytest.mark.slow


def _id_number(first17: str) -> str:
    return first17 + id_check_char(first17)


ANONYMOUS_ID = _id_number("41030219900101123")
CLERK_ID = "11010519491231002X"
PHONES = ("13812341234", "13987654321")
# A co-worker's ID number and phone typed into the facts: stored masked, encrypted as typed.
WITNESS_ID, WITNESS_PHONE = _id_number("41031119850612003"), "13712345678"
FACTS = f"工友孙某（身份证{WITNESS_ID}，电话{WITNESS_PHONE}）可以作证：2026年9月起未发工资"
# A direct arbitration application: its own applicant, and another witness in its facts.
APPLICANT_ID, APPLICANT_PHONE = _id_number("41030519800203004"), "13611112222"
ARB_WITNESS_ID, ARB_WITNESS_PHONE = _id_number("41030319920715005"), "13566667777"
ARB_FACTS = f"证人李某（身份证号{ARB_WITNESS_ID}，手机{ARB_WITNESS_PHONE}）证明加班事实"


async def _dump(url: str) -> str:
    """Every value of every row of every table, as text."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            metadata = MetaData()
            await conn.run_sync(metadata.reflect)
            values = []
            for table in metadata.sorted_tables:
                for row in (await conn.execute(select(table))).all():
                    values.extend(str(value) for value in row)
            return "\n".join(values)
    finally:
        await engine.dispose()


async def _file_and_use(client: httpx.AsyncClient) -> list[str]:
    """File, sign in as the worker, read as clerk, mediator and worker. Returns access codes."""
    online = await client.post(
        "/api/v1/complaints",
        json={
            "workplace_division": "410311",
            "worker_name": "赵师傅",
            "employer_name": "洛阳某公司",
            "worker_id_number": ANONYMOUS_ID.lower(),
            "worker_phone": "+86 138 1234 1234",
        },
    )
    clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
    window = await client.post(
        "/api/v1/complaints",
        headers=clerk,
        json={
            "channel": "window",
            "workplace_division": "410302",
            "worker_name": "钱师傅",
            "employer_name": "洛阳某厂",
            "worker_id_number": CLERK_ID,
            "worker_phone": "139-8765-4321",
            "facts": FACTS,
        },
    )
    assert online.status_code == window.status_code == 201, (online.text, window.text)
    as_filed = await client.get(f"/api/v1/complaints/{window.json()['case_id']}", headers=clerk)
    assert as_filed.json()["facts"] == FACTS  # the clerk who registered it reads it as typed
    mediator = await sign_in(client, "mediator.luoyang", "mediator-demo-4103")
    for filed in (online.json(), window.json()):
        worker = await client.post(
            "/api/v1/auth/worker-token",
            json={"tracking_number": filed["tracking_number"], "access_code": filed["access_code"]},
        )
        assert worker.status_code == 200
        as_worker = {"Authorization": f"Bearer {worker.json()['access_token']}"}
        own = await client.get(f"/api/v1/complaints/{filed['case_id']}", headers=as_worker)
        assert own.json()["worker_phone"] in PHONES  # the worker sees it in full
        masked = await client.get(f"/api/v1/complaints/{filed['case_id']}", headers=mediator)
        assert "****" in masked.json()["worker_phone"]
        assert WITNESS_PHONE not in masked.json()["facts"] and WITNESS_ID not in masked.json()["facts"]
        for _ in range(200):  # the routed event reaches mediation through Kafka
            r = await client.get(f"/api/v1/mediation/cases/{filed['case_id']}", headers=mediator)
            if r.status_code == 200:
                break
            await asyncio.sleep(0.1)
        assert r.status_code == 200
    return [online.json()["access_code"], window.json()["access_code"]]


async def _apply_for_arbitration(client: httpx.AsyncClient) -> None:
    """A direct application at the commission, with ID numbers and phones typed into its facts:
    the arbitrator who registered it reads them, the dump must not."""
    clerk = await sign_in(client, "clerk.luoyang", "clerk-demo-4103")
    filed = await client.post(
        "/api/v1/arbitration/applications",
        headers={**clerk, "Idempotency-Key": str(uuid.uuid4())},
        json={
            "commission_id": "arb-4103",
            "workplace_division": "410311",
            "worker_name": "周师傅",
            "worker_id_number": APPLICANT_ID,
            "worker_phone": APPLICANT_PHONE,
            "employer_name": "洛阳某物流有限公司",
            "facts": ARB_FACTS,
            "claims": [{"category": "labor_remuneration", "amount_fen": 520_000}],
        },
    )
    assert filed.status_code == 201, filed.text
    read = await client.get(f"/api/v1/arbitration/applications/{filed.json()['application_id']}", headers=clerk)
    assert read.status_code == 200, read.text


async def test_no_plaintext_id_number_phone_or_access_code_at_rest(
    db_backend: str, broker: str, tmp_path: Path
) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=10) as client:
            access_codes = await _file_and_use(client)
            await _apply_for_arbitration(client)
        dumps = {name: await _dump(url) for name, url in stack.databases.items()}
        logs = {name: path.read_text(errors="replace") for name, path in stack.logs.items()}
    secrets = [
        ANONYMOUS_ID,
        ANONYMOUS_ID.lower(),
        CLERK_ID,
        *PHONES,
        "1381234",
        "8765-4321",
        *access_codes,
        WITNESS_ID,
        WITNESS_PHONE,
        APPLICANT_ID,
        APPLICANT_PHONE,
        ARB_WITNESS_ID,
        ARB_WITNESS_PHONE,
    ]
    assert "v1.dev1." in dumps["intake"] and "v1.dev1." in dumps["arbitration"]  # there, encrypted
    for name, text in {**dumps, **{f"{n} log": t for n, t in logs.items()}}.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} found in {name}"
