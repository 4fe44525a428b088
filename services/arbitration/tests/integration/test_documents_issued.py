"""Documents issued with the change that calls for them: numbered, hashed, PDF text as drafted,
the same bytes for the same draft, a new version (same number) when the hearing is moved, and
the 送达回证 of an award staff record as served on each party."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pypdf

from labornet_arbitration.domain.tribunal import Seat
from labornet_arbitration.service import admission_commands as admit
from labornet_arbitration.service import documents as documents_service
from labornet_arbitration.service import proceedings_commands as steps
from labornet_arbitration.service import queries
from labornet_common.security.auth import Role
from labornet_common.testing.refusals import refusal
from tests.support.arbitration import staff

CLERK, ARBITRATOR = staff(Role.clerk, "4103"), staff(Role.arbitrator, "4103", "demo:arbitrator.luoyang")
OUTSIDER = staff(Role.arbitrator, "3710")


async def _run(db, case, step):
    return await steps.run(uow=db.uow(), principal=ARBITRATOR, application_id=case.application_id, step=step)


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


async def _pdf(db, case, row) -> bytes:
    found = await queries.document(
        uow=db.uow(), principal=CLERK, application_id=case.application_id, document_id=row["document_id"]
    )
    assert found is not None
    return found["content"]


async def test_award_documents_from_acceptance_to_award(db, ctx, file_application) -> None:
    case = await file_application(received_on=date(2026, 9, 28))
    case = await admit.accept(
        uow=db.uow(),
        ctx=ctx,
        principal=CLERK,
        application_id=case.application_id,
        on=date(2026, 9, 29),
        today=date(2026, 9, 29),
    )
    case = await _run(
        db,
        case,
        steps.tribunal(
            ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=date(2026, 9, 29)
        ),
    )
    hearing = steps.hearing(ctx, hearing_on=date(2026, 10, 12), notice_on=date(2026, 9, 30), venue="第一仲裁庭")
    case = await _run(db, case, hearing)
    moved = steps.hearing(ctx, hearing_on=date(2026, 10, 15), notice_on=date(2026, 10, 9), venue="第二仲裁庭")
    case = await _run(db, case, moved)
    items = [
        {"category": "labor_remuneration", "amount_fen": 1_860_000, "description": "拖欠工资"},
        {"category": "damages", "amount_fen": 9_000_000, "description": "赔偿金"},
    ]
    case = await _run(
        db, case, steps.award(ctx, kind="award", items=items, on=date(2026, 10, 16), today=date(2026, 10, 16))
    )

    rows = await queries.documents_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    assert rows is not None
    kinds = [(r["kind"], r["version"]) for r in rows]
    assert kinds == [("acceptance_notice", 1), ("hearing_notice", 1), ("hearing_notice", 2), ("award", 1)]
    by_kind = {(r["kind"], r["version"]): r for r in rows}
    # A correction keeps the number; other documents take the commission's next number of the year.
    assert by_kind[("hearing_notice", 1)]["number"] == by_kind[("hearing_notice", 2)]["number"]
    numbers = {r["number"] for r in rows}
    assert len(numbers) == 3 and all(n.startswith("arb-4103文〔2026〕") for n in numbers)

    award_row = by_kind[("award", 1)]
    content = await _pdf(db, case, award_row)
    (stored,) = [
        r
        for r in await queries.documents_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
        if r["document_id"] == award_row["document_id"]
    ]
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == stored["sha256"]
    assert await _pdf(db, case, award_row) == content  # read again: the stored bytes
    text = _text(content)
    assert "仲裁裁决书" in text and case.case_number in text and "洛阳某建筑工程有限公司" in text
    assert "本裁决第一项为终局裁决" in text and "第二项不服的" in text
    assert "18,600.00元" in text and "90,000.00元" in text
    old_notice = _text(await _pdf(db, case, by_kind[("hearing_notice", 1)]))
    new_notice = _text(await _pdf(db, case, by_kind[("hearing_notice", 2)]))
    assert "第一仲裁庭" in old_notice and "第二仲裁庭" in new_notice and "更正" in new_notice
    assert any(h["kind"] == "document" and "仲裁裁决书" in h["text_zh"] for h in case.history)

    # Out of region: no documents (404 in the API), as if the application did not exist.
    assert await queries.documents_of(uow=db.uow(), principal=OUTSIDER, application_id=case.application_id) is None

    # Staff record the award served by hand on the worker, then the employer (no electronic
    # service): each service its own 送达回证, naming the award and no delivery.
    for party, day in (("worker", date(2026, 10, 19)), ("employer", date(2026, 10, 20))):
        case = await _run(db, case, steps.award_service(ctx, on=day, today=day, party=party))
    rows = await queries.documents_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    proofs = [r for r in rows if r["kind"] == "proof_of_service"]
    assert [(p["issued_on"], p["delivery_id"], p["version"]) for p in proofs] == [
        (date(2026, 10, 19), None, 1),
        (date(2026, 10, 20), None, 1),
    ]
    worker_proof = _text(await _pdf(db, case, proofs[0]))
    for line in (
        f"送达文书：仲裁裁决书（{award_row['number']}）",
        "受送达人：申请人",
        "送达方式：直接送达",
        "送达日期：2026年10月19日",
        "送达人：demo:arbitrator.luoyang",
    ):
        assert line in worker_proof, line
    assert "受送达人：被申请人洛阳某建筑工程有限公司" in _text(await _pdf(db, case, proofs[1]))


async def test_same_draft_same_bytes(db, ctx, file_application) -> None:
    from labornet_arbitration.adapters import pdf
    from labornet_arbitration.domain import documents

    case = await file_application(received_on=date(2026, 9, 28))
    case = await admit.accept(
        uow=db.uow(),
        ctx=ctx,
        principal=CLERK,
        application_id=case.application_id,
        on=date(2026, 9, 29),
        today=date(2026, 9, 29),
    )
    draft = documents.acceptance_notice(case, commission="洛阳市劳动人事争议仲裁委员会")
    font = pdf.find_font(None)
    first = pdf.render(draft, number="N", version=1, font=font)
    assert pdf.render(draft, number="N", version=1, font=font) == first
    assert b"/CreationDate (D:20260929000000+08'00')" in first


async def test_no_font_the_change_goes_through_and_the_pdf_read_answers_503(
    db, ctx, file_application, tmp_path
) -> None:
    case = await file_application(received_on=date(2026, 9, 28))
    documents_service._configured["font"] = str(tmp_path / "missing.ttf")
    try:
        case = await admit.accept(
            uow=db.uow(),
            ctx=ctx,
            principal=CLERK,
            application_id=case.application_id,
            on=date(2026, 9, 29),
            today=date(2026, 9, 29),
        )
        (row,) = await queries.documents_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
        assert row["sha256"] is None  # numbered and stored; the PDF waits for a font
        with refusal() as refused:
            await _pdf(db, case, row)
    finally:
        documents_service._configured["font"] = None
    assert (refused.value.status, refused.value.code) == (503, "arbitration.documents_font_missing")
    assert refused.value.headers == {"Retry-After": "3600"}
    content = await _pdf(db, case, row)  # the font is back: rendered, stored, hashed
    (row,) = await queries.documents_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    assert row["sha256"] == hashlib.sha256(content).hexdigest() and row["size_bytes"] == len(content)


async def test_each_issued_document_is_announced_without_a_party_in_it(db, ctx, file_application) -> None:
    case = await file_application(received_on=date(2026, 9, 28))
    case = await admit.accept(
        uow=db.uow(),
        ctx=ctx,
        principal=CLERK,
        application_id=case.application_id,
        on=date(2026, 9, 29),
        today=date(2026, 9, 29),
    )
    (row,) = await queries.documents_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    events = [e for e in await db.outbox("cn.labornet.arbitration.document.issued.v1") if e["case_id"] == case.case_id]
    assert [(e["document_id"], e["kind"], e["number"], e["version"]) for e in events] == [
        (row["document_id"], "acceptance_notice", row["number"], 1)
    ]
    assert len(events[0]["text_sha256"]) == 64 and case.applicant not in str(events[0])
