"""Access codes on a real database: only the hash is stored, and an unknown tracking number
costs the same scrypt work as a known one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from labornet_common.auth import Principal, Role
from labornet_common.contracts.intake import ClaimSummary
from labornet_common.db import create_engine, session_factory
from labornet_common.migrations import upgrade_to_head
from labornet_common.pii import cipher_from_settings
from labornet_common.uow import UnitOfWork
from labornet_intake.adapters.orm import complaints, messaging
from labornet_intake.config import IntakeSettings
from labornet_intake.main import SPEC
from labornet_intake.service import commands, queries

CIPHER = cipher_from_settings(IntakeSettings(environment="test"))
CMD = commands.FileComplaint(
    channel="online", workplace_division="410311", worker_name="张三", employer_name="某公司", facts="",
    claims=[ClaimSummary(category="labor_remuneration")], worker_id_number="11010519491231002X",
    worker_phone="13812341234",
)


@pytest.fixture
async def uow_factory(database_url: str):
    engine = create_engine(database_url)
    await upgrade_to_head(engine, SPEC.migrations_dir)
    factory = session_factory(engine)
    yield lambda: UnitOfWork(factory, messaging, source="/labornet/intake")
    await engine.dispose()


async def test_the_code_opens_its_case_and_only_its_hash_is_stored(uow_factory) -> None:
    filed = await commands.file_complaint(uow=uow_factory(), cmd=CMD, principal=None, cipher=CIPHER)
    code, tracking = filed.body["access_code"], filed.body["tracking_number"]
    assert await queries.check_access_code(uow=uow_factory(), tracking_number=tracking, access_code=code) == (
        filed.body["case_id"]
    )
    assert await queries.check_access_code(uow=uow_factory(), tracking_number=tracking, access_code="WRONG") is None
    async with uow_factory() as uow:
        row = (await uow.session.execute(select(complaints))).one()._mapping
    assert code not in str(dict(row)) and row["access_code_hash"].startswith("scrypt$")
    assert "11010519491231002X" not in str(dict(row)) and "13812341234" not in str(dict(row))


async def test_an_unknown_tracking_number_costs_one_scrypt_check(uow_factory, monkeypatch) -> None:
    checked: list[str] = []
    real = queries.verify_access_code

    def counting(code: str, hashed: str) -> bool:
        checked.append(hashed)
        return real(code, hashed)

    monkeypatch.setattr(queries, "verify_access_code", counting)
    found = await queries.check_access_code(
        uow=uow_factory(), tracking_number="410311-20260101-ZZZZZZ", access_code="ABCDEFGH"
    )
    assert found is None and len(checked) == 1 and checked[0].startswith("scrypt$16384$")


async def test_a_reader_gets_the_complaint_decrypted_and_masked_for_their_role(uow_factory) -> None:
    filed = await commands.file_complaint(uow=uow_factory(), cmd=CMD, principal=None, cipher=CIPHER)
    mediator = Principal(subject="m", roles=frozenset({Role.mediator}), region_scopes=("4103",))
    seen = await queries.get_complaint(uow=uow_factory(), principal=mediator, case_id=filed.body["case_id"],
                                       cipher=CIPHER)
    assert seen is not None and seen.worker_id_number == "110105********002X"
    stranger = Principal(subject="m2", roles=frozenset({Role.mediator}), region_scopes=("3710",))
    assert await queries.get_complaint(uow=uow_factory(), principal=stranger, case_id=filed.body["case_id"],
                                       cipher=CIPHER) is None
