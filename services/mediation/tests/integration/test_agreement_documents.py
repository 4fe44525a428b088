"""The issued 调解协议书 on a real database: recorded with the agreement (numbered per centre and
year, its document.issued event in the same commit, no party named in it), its PDF rendered on
first read with the law cited, a changed draft a new version under the same number, and nothing
for a reader out of reach."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from labornet_common.contracts.mediation import AgreementTerm
from labornet_common.security.auth import Principal, Role
from labornet_mediation.adapters import repository
from labornet_mediation.service import commands, documents, outcomes
from labornet_mediation.service.context import MediationContext
from tests.support.mediation import GULOU_MEDIATOR, LUOYANG_MEDIATOR, fixed_today, mediation_db

SIGNED = date(2026, 9, 20)
CTX = MediationContext(today=fixed_today(SIGNED))
ISSUED = "cn.labornet.mediation.document.issued.v1"


@pytest.fixture
async def db(database_url: str):
    async with mediation_db(database_url) as db:
        yield db


async def _agreed(db) -> str:
    opened = commands.OpenCase(
        workplace_division="410311007",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        facts="拖欠2026年7月至8月工资",
        claims=(),
        received_on=date(2026, 9, 16),
    )
    case_id = await commands.open_case(ctx=CTX, uow=db.uow(), principal=LUOYANG_MEDIATOR, cmd=opened)
    await commands.accept(ctx=CTX, uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=case_id)
    wages = AgreementTerm(
        payer="洛阳某建筑工程有限公司",
        payee="王师傅",
        item="labor_remuneration",
        amount_fen=1_860_000,
        due_on=date(2026, 10, 20),
    )
    cmd = outcomes.RecordAgreement(terms=(wages,), signed_and_sealed=True, effective_on=SIGNED)
    await outcomes.record_agreement(ctx=CTX, uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=case_id, cmd=cmd)
    return case_id


async def test_the_agreement_is_issued_numbered_announced_and_rendered(db) -> None:
    first, second = await _agreed(db), await _agreed(db)
    (doc,) = await documents.documents_of(uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=first)
    (other,) = await documents.documents_of(uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=second)
    assert doc["kind"] == "agreement" and doc["title"] == "劳动争议调解协议书" and doc["version"] == 1
    assert doc["issued_on"] == SIGNED and doc["sha256"] is None  # rendered on first read
    assert doc["number"] == "med-410311007调〔2026〕1号" and other["number"] == "med-410311007调〔2026〕2号"

    (event,) = await db.events(first, ISSUED)
    assert event["document_id"] == doc["document_id"] and event["number"] == doc["number"]
    assert event["version"] == 1 and event["case_id"] == first and len(event["text_sha256"]) == 64
    assert "王师傅" not in str(event) and "洛阳某建筑工程有限公司" not in str(event)  # never a party

    row = await documents.document(
        uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=first, document_id=doc["document_id"]
    )
    assert row is not None and row["content"].startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(row["content"])).pages).replace(" ", "")
    assert "劳动争议调解协议书" in text and "med-410311007调〔2026〕1号" in text and "第十四条" in text
    assert "2026年10月20日前" in text and "18,600.00" in text
    (listed,) = await documents.documents_of(uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=first)
    assert listed["sha256"] == row["sha256"] and listed["size_bytes"] == len(row["content"])


async def test_a_changed_draft_is_a_new_version_under_the_same_number(db) -> None:
    case_id = await _agreed(db)
    async with db.uow() as uow:
        case = await repository.load(session=uow.session, case_id=case_id)
        assert await documents.issue_agreement(uow=uow, case=case) is None  # the same draft: nothing new
        corrected = replace(case, centre_name="洛龙区科技园街道劳动人事争议调解中心")
        row = await documents.issue_agreement(uow=uow, case=corrected)
        await uow.commit()
    assert row is not None and row["version"] == 2 and row["number"] == "med-410311007调〔2026〕1号"
    versions = await documents.documents_of(uow=db.uow(), principal=LUOYANG_MEDIATOR, case_id=case_id)
    assert [d["version"] for d in versions] == [1, 2]
    assert [e["version"] for e in await db.events(case_id, ISSUED)] == [1, 2]


async def test_the_worker_of_the_case_reads_it_others_do_not(db) -> None:
    case_id = await _agreed(db)
    worker = Principal(subject="worker:1", roles=frozenset({Role.worker}), case_ids=frozenset({case_id}))
    stranger = Principal(subject="worker:2", roles=frozenset({Role.worker}), case_ids=frozenset({"another"}))
    assert len(await documents.documents_of(uow=db.uow(), principal=worker, case_id=case_id)) == 1
    assert await documents.documents_of(uow=db.uow(), principal=stranger, case_id=case_id) is None
    assert await documents.documents_of(uow=db.uow(), principal=GULOU_MEDIATOR, case_id=case_id) is None
    (doc,) = await documents.documents_of(uow=db.uow(), principal=worker, case_id=case_id)
    assert (
        await documents.document(
            uow=db.uow(), principal=GULOU_MEDIATOR, case_id=case_id, document_id=doc["document_id"]
        )
        is None
    )


async def test_the_document_event_follows_the_agreement_in_the_case_stream(db) -> None:
    case_id = await _agreed(db)
    types = [e["type"] for e in await db.events(case_id)]
    assert types[-1] == ISSUED and types[-2] == "cn.labornet.mediation.agreement.reached.v1"
