"""Signed checkpoints of the audit chain head reveal what the chain check alone cannot: a
rewrite of the whole trail with every hash recomputed."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from sqlalchemy import select, update

from labornet_common.platform.db import create_engine
from labornet_common.security.auth import Principal, Role
from labornet_common.testing.api import eventually
from labornet_gateway.adapters.audit_tables import audit_chain_head, audit_log
from labornet_gateway.domain.audit_chain import AuditEntry, chain_hash
from tests.security.helpers import LUOYANG, bearer, file_online, staff

pytestmark = pytest.mark.asyncio(loop_scope="module")
ADMIN = Principal(subject="root", roles=frozenset({Role.admin}), region_scopes=("*",))
ENTRY_FIELDS = [c for c in AuditEntry.__dataclass_fields__]


async def _rewrite_whole_chain(database_url: str, *, seq: int, subject: str) -> None:
    """What an intruder with write access would do: change one entry, then recompute every
    hash after it and the head, so the chain links up again. It holds the chain-head lock as the
    gateway's appenders do: the entries of the test's last requests, chained a moment after their
    answers, wait for the rewrite and then link to its new head (without the lock, one appended
    meanwhile still linked to the old hash and the chain check found it broken)."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            head = (await conn.execute(select(audit_chain_head).with_for_update())).one()._mapping
            rows = (
                await conn.execute(
                    select(audit_log).where(audit_log.c.seq > head["anchor_seq"]).order_by(audit_log.c.seq)
                )
            ).all()
            prev = head["anchor_hash"]
            for row in rows:
                values = {name: row._mapping[name] for name in ENTRY_FIELDS}
                if row.seq == seq:
                    values["subject"] = subject
                new_hash = chain_hash(prev, row.seq, AuditEntry(**values))
                await conn.execute(
                    update(audit_log)
                    .where(audit_log.c.seq == row.seq)
                    .values(subject=values["subject"], prev_hash=prev, hash=new_hash)
                )
                prev = new_hash
            await conn.execute(update(audit_chain_head).values(hash=prev))
    finally:
        await engine.dispose()


async def _checkpoint(client: httpx.AsyncClient) -> httpx.Response:
    """A checkpoint once the filings just made are in the trail: entries reach it through the
    audit journal's sequencer, a moment after the answer (before that: 409, the trail empty)."""
    return await eventually(
        lambda: client.get("/api/v1/audit/checkpoint", headers=bearer(ADMIN)),
        lambda r: r.status_code != 409,
        timeout_s=10,
    )


def _altered(receipt: str) -> str:
    header, payload, signature = receipt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["hash"] = "0" * 64
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


async def test_a_receipt_shows_a_whole_chain_rewrite(services) -> None:
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        await file_online(client, LUOYANG)
        await file_online(client, LUOYANG)
        taken = await _checkpoint(client)
        assert taken.status_code == 200, taken.text
        checkpoint = taken.json()
        check = {"receipt": checkpoint["receipt"]}
        r = await client.post("/api/v1/audit/checkpoint/verify", json=check, headers=bearer(ADMIN))
        assert r.json() == {"seq": checkpoint["seq"], "status": "consistent"}

        await _rewrite_whole_chain(services.databases["gateway"], seq=1, subject="someone-else")
        chain = await client.get("/api/v1/audit/verify", headers=bearer(ADMIN))
        assert chain.json()["ok"] is True  # the chain alone links up again after a full rewrite
        r = await client.post("/api/v1/audit/checkpoint/verify", json=check, headers=bearer(ADMIN))
        assert r.json() == {"seq": checkpoint["seq"], "status": "rewritten"}


async def test_an_altered_receipt_is_refused_naming_the_field(services) -> None:
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        await file_online(client, LUOYANG)
        taken = await _checkpoint(client)
        assert taken.status_code == 200, taken.text
        receipt = taken.json()["receipt"]
        for bad in (_altered(receipt), "not-a-token"):
            r = await client.post("/api/v1/audit/checkpoint/verify", json={"receipt": bad}, headers=bearer(ADMIN))
            assert r.status_code == 422
            assert r.json()["errors"][0]["field"] == "receipt"


@pytest.mark.parametrize("role", [Role.clerk, Role.mediator, Role.court_liaison], ids=lambda r: r.value)
async def test_only_admins_take_checkpoints(services, role: Role) -> None:
    async with httpx.AsyncClient(base_url=services.urls["gateway"]) as client:
        r = await client.get("/api/v1/audit/checkpoint", headers=bearer(staff(role, "4103")))
    assert r.status_code == 404
