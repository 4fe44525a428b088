"""Access codes on a real database: each filer's own code, stored only as a keyed hash, opens
its case and no other; codes of cases filed before keyed hashes still open theirs."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, update

from labornet_common.contracts.intake import ClaimSummary
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal, Role, hash_access_code
from labornet_common.security.pii import cipher_from_settings
from labornet_intake.adapters import records
from labornet_intake.adapters.orm import complaints, filings, messaging
from labornet_intake.config import IntakeSettings
from labornet_intake.main import SPEC
from labornet_intake.service import commands, queries

CIPHER = cipher_from_settings(IntakeSettings(environment="test"))
CMD = commands.FileComplaint(
    channel="online",
    workplace_division="410311",
    worker_name="张三",
    employer_name="某公司",
    facts="",
    claims=[ClaimSummary(category="labor_remuneration")],
    worker_id_number="11010519491231002X",
    worker_phone="13812341234",
)


@pytest.fixture
async def uow_factory(database_url: str):
    engine = create_engine(database_url)
    await upgrade_to_head(engine, SPEC.migrations_dir)
    factory = session_factory(engine)
    yield lambda: UnitOfWork(factory, messaging, source="/labornet/intake")
    await engine.dispose()


async def test_the_code_opens_its_case_and_only_its_keyed_hash_is_stored(uow_factory) -> None:
    filed = await commands.file_complaint(uow=uow_factory(), cmd=CMD, principal=None, cipher=CIPHER)
    code, tracking = filed.body["access_code"], filed.body["tracking_number"]
    assert (
        await queries.check_access_code(uow=uow_factory(), tracking_number=tracking, access_code=code, cipher=CIPHER)
        == filed.body["case_id"]
    )
    # Typed as people type it: lower case, with a dash, in full-width characters.
    typed = f"{code[:4].lower()}-{code[4:]}".translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert (
        await queries.check_access_code(uow=uow_factory(), tracking_number=tracking, access_code=typed, cipher=CIPHER)
        == filed.body["case_id"]
    )
    for wrong in ("WRONG", "", code[:-1]):
        assert (
            await queries.check_access_code(
                uow=uow_factory(), tracking_number=tracking, access_code=wrong, cipher=CIPHER
            )
            is None
        )
    async with uow_factory() as uow:
        row = (await uow.session.execute(select(complaints))).one()._mapping
        filing = (await uow.session.execute(select(filings))).one()._mapping
    dump = str(dict(row)) + str(dict(filing))
    assert code not in dump and filing["access_code_bidx"] == records.access_code_index(CIPHER, code)
    assert "11010519491231002X" not in dump and "13812341234" not in dump


async def test_every_co_worker_gets_a_code_of_their_own_and_a_repeat_keeps_theirs(uow_factory) -> None:
    first = await commands.file_complaint(uow=uow_factory(), cmd=CMD, principal=None, cipher=CIPHER)
    co_worker = replace(CMD, worker_name="李四", worker_id_number="410303199001011231")
    joined = await commands.file_complaint(uow=uow_factory(), cmd=co_worker, principal=None, cipher=CIPHER)
    again = await commands.file_complaint(uow=uow_factory(), cmd=CMD, principal=None, cipher=CIPHER)
    assert (joined.status_code, joined.body["outcome"]) == (200, "grouped")
    assert (again.status_code, again.body["outcome"]) == (200, "linked_duplicate")
    assert "access_code" not in again.body and "原查询码" in again.body["notice_zh"]
    tracking, case_id = first.body["tracking_number"], first.body["case_id"]
    assert joined.body["tracking_number"] == tracking and joined.body["access_code"] != first.body["access_code"]
    for code in (first.body["access_code"], joined.body["access_code"]):
        assert (
            await queries.check_access_code(
                uow=uow_factory(), tracking_number=tracking, access_code=code, cipher=CIPHER
            )
            == case_id
        )
    other = await commands.file_complaint(
        uow=uow_factory(), cmd=replace(CMD, employer_name="另一家公司"), principal=None, cipher=CIPHER
    )
    # A code opens its own case only, never another one's tracking number.
    assert (
        await queries.check_access_code(
            uow=uow_factory(),
            tracking_number=other.body["tracking_number"],
            access_code=joined.body["access_code"],
            cipher=CIPHER,
        )
        is None
    )


async def test_a_case_filed_before_keyed_codes_still_opens_with_its_scrypt_code(uow_factory) -> None:
    filed = await commands.file_complaint(uow=uow_factory(), cmd=CMD, principal=None, cipher=CIPHER)
    legacy_code = "ABCDEFGH"
    async with uow_factory() as uow:
        await uow.session.execute(update(complaints).values(access_code_hash=hash_access_code(legacy_code)))
        await uow.session.execute(update(filings).values(access_code_bidx=None))
        await uow.commit()
    tracking = filed.body["tracking_number"]
    assert (
        await queries.check_access_code(
            uow=uow_factory(), tracking_number=tracking, access_code=legacy_code, cipher=CIPHER
        )
        == filed.body["case_id"]
    )
    assert (
        await queries.check_access_code(
            uow=uow_factory(), tracking_number=tracking, access_code=filed.body["access_code"], cipher=CIPHER
        )
        is None
    )
    # The first check keyed the code and dropped the scrypt hash: it opens by its keyed hash now.
    async with uow_factory() as uow:
        left = await uow.session.scalar(select(complaints.c.access_code_hash))
        keyed = await uow.session.scalar(select(filings.c.access_code_bidx))
    assert left == "" and keyed == records.access_code_index(CIPHER, legacy_code)
    assert (
        await queries.check_access_code(
            uow=uow_factory(), tracking_number=tracking, access_code=legacy_code, cipher=CIPHER
        )
        == filed.body["case_id"]
    )


async def test_a_reader_gets_the_complaint_decrypted_and_masked_for_their_role(uow_factory) -> None:
    filed = await commands.file_complaint(uow=uow_factory(), cmd=CMD, principal=None, cipher=CIPHER)
    mediator = Principal(subject="m", roles=frozenset({Role.mediator}), region_scopes=("4103",))
    seen = await queries.get_complaint(
        uow=uow_factory(), principal=mediator, case_id=filed.body["case_id"], cipher=CIPHER
    )
    assert seen is not None and seen.worker_id_number == "110105********002X"
    stranger = Principal(subject="m2", roles=frozenset({Role.mediator}), region_scopes=("3710",))
    assert (
        await queries.get_complaint(uow=uow_factory(), principal=stranger, case_id=filed.body["case_id"], cipher=CIPHER)
        is None
    )
