"""The records of service the law asks for beyond a delivery: a 送达回证 for service by publication
(公告送达, 民诉法 Art. 95), dated the day of publication and naming the day the document is deemed
served, from which the clocks run (the 30th day on National Day 2026 moves to 10-08, Art. 85);
and a partial award (先行裁决书, LDA Art. 43 ¶2), issued as its own document, whose service is
recorded with a 送达回证 for each party and that party's own suit or set-aside window."""

from __future__ import annotations

import io
from datetime import date

import pypdf

from labornet_arbitration.domain import party_service
from labornet_arbitration.domain.tribunal import Seat
from labornet_arbitration.service import admission_commands as admit
from labornet_arbitration.service import procedure_commands as cmd
from labornet_arbitration.service import proceedings_commands as steps
from labornet_arbitration.service import queries
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.security.auth import Role
from tests.support.arbitration import staff

CLERK, ARBITRATOR = staff(Role.clerk, "4103"), staff(Role.arbitrator, "4103", "demo:arbitrator.luoyang")


async def _run(db, case, step):
    return await steps.run(uow=db.uow(), principal=ARBITRATOR, application_id=case.application_id, step=step)


async def _accepted(db, ctx, file_application, on: date, **overrides):
    case = await file_application(received_on=on, **overrides)
    return await admit.accept(
        uow=db.uow(), ctx=ctx, principal=CLERK, application_id=case.application_id, on=on, today=on
    )


async def _documents(db, case) -> list[dict]:
    rows = await queries.documents_of(uow=db.uow(), principal=CLERK, application_id=case.application_id)
    assert rows is not None
    return rows


async def _text(db, case, row) -> str:
    found = await queries.document(
        uow=db.uow(), principal=CLERK, application_id=case.application_id, document_id=row["document_id"]
    )
    assert found is not None
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(found["content"])).pages)


def _has(text: str, *lines: str) -> None:
    flat = text.replace("\n", "")
    for line in lines:
        assert line in flat, line


async def test_publication_of_the_application_copy_is_recorded_with_its_deemed_day(db, ctx, file_application) -> None:
    case = await _accepted(db, ctx, file_application, date(2026, 9, 1))
    case = await _run(
        db,
        case,
        cmd.publication(ctx, document="application_copy", published_on=date(2026, 9, 5), today=date(2026, 9, 5)),
    )
    # The 30th day after 09-05 is Mon 10-05, inside National Day (10-01..10-07): deemed served Thu
    # 10-08 (民诉法 Arts. 85, 95); the defence period (LDA Art. 30, 10 days) runs from it to Mon 10-19.
    assert case.respondent_received_on == date(2026, 10, 8) and case.defence_due_on == date(2026, 10, 19)
    (proof,) = [r for r in await _documents(db, case) if r["kind"] == "proof_of_service"]
    assert proof["issued_on"] == date(2026, 9, 5) and proof["delivery_id"] is None
    _has(
        await _text(db, case, proof),
        "送达文书：仲裁申请书副本",
        "受送达人：被申请人",
        "送达方式：公告送达",
        "公告日期：2026年9月5日",
        "视为送达日期：2026年10月8日",
        "第九十五条",
        "以2026年10月8日为送达日期",
    )
    # Recorded once: the next change issues no second record of the same publication.
    case = await _run(
        db,
        case,
        steps.tribunal(ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=date(2026, 9, 7)),
    )
    assert len([r for r in await _documents(db, case) if r["kind"] == "proof_of_service"]) == 1


async def test_an_award_published_serves_the_employer_on_the_deemed_day_and_its_window_runs_from_it(
    db, ctx, file_application
) -> None:
    claims = [ClaimSummary(category="damages", amount_fen=9_000_000)]
    case = await _accepted(db, ctx, file_application, date(2026, 8, 20), claims=claims)
    case = await _run(
        db,
        case,
        steps.tribunal(
            ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=date(2026, 8, 21)
        ),
    )
    case = await _run(
        db, case, steps.hearing(ctx, hearing_on=date(2026, 8, 31), notice_on=date(2026, 8, 24), venue="第一仲裁庭")
    )
    items = [{"category": "damages", "amount_fen": 9_000_000, "description": "赔偿金"}]
    case = await _run(
        db, case, steps.award(ctx, kind="award", items=items, on=date(2026, 9, 1), today=date(2026, 9, 1))
    )
    case = await _run(db, case, steps.award_service(ctx, on=date(2026, 9, 1), today=date(2026, 9, 1), party="worker"))
    case = await _run(
        db, case, cmd.publication(ctx, document="award", published_on=date(2026, 9, 2), today=date(2026, 9, 2))
    )
    # Thirty days after 09-02 is Fri 10-02 (National Day): deemed served Thu 10-08; the employer's
    # 15 days to sue on the non-final award (LDA Art. 50) run from it to Fri 10-23.
    served = party_service.of(case.award or {})
    assert served["worker"]["suit_due_on"] == "2026-09-16"
    assert served["employer"] == {"served_on": "2026-10-08", "suit_due_on": "2026-10-23", "set_aside_due_on": None}
    assert case.award is not None and case.award["served_on"] == "2026-10-08"
    assert case.award["suit_due_on"] == "2026-10-23"

    rows = await _documents(db, case)
    award_row = next(r for r in rows if r["kind"] == "award")
    proofs = [r for r in rows if r["kind"] == "proof_of_service"]
    assert [p["issued_on"] for p in proofs] == [date(2026, 9, 1), date(2026, 9, 2)]  # by hand, then the notice
    _has(
        await _text(db, case, proofs[0]),
        "受送达人：申请人",
        "送达方式：直接送达",
        "起诉期限：不服本裁决书的，可于2026年9月16日前（含当日）向人民法院提起诉讼",
        "第五十条",
    )
    _has(
        await _text(db, case, proofs[1]),
        f"送达文书：仲裁裁决书（{award_row['number']}）",
        "受送达人：被申请人",
        "送达方式：公告送达",
        "公告日期：2026年9月2日",
        "视为送达日期：2026年10月8日",
        "起诉期限：不服本裁决书的，可于2026年10月23日前（含当日）向人民法院提起诉讼",
    )


async def test_a_partial_award_is_its_own_document_and_each_party_gets_a_record_with_its_window(
    db, ctx, file_application
) -> None:
    claims = [
        ClaimSummary(category="labor_remuneration", amount_fen=1_860_000),
        ClaimSummary(category="labor_contract"),
        ClaimSummary(category="damages", amount_fen=9_000_000),
    ]
    case = await _accepted(db, ctx, file_application, date(2026, 9, 10), claims=claims)
    case = await _run(
        db,
        case,
        steps.tribunal(
            ctx, mode="sole", seats=[Seat("arbr-4103-01", "sole")], complex_case=False, on=date(2026, 9, 11)
        ),
    )
    wages = [{"category": "labor_remuneration", "amount_fen": 1_860_000, "description": "拖欠工资"}]
    case = await _run(db, case, cmd.partial_award(ctx, items=wages, on=date(2026, 9, 18), today=date(2026, 9, 18)))
    contract = [{"category": "labor_contract", "description": "恢复劳动关系"}]
    case = await _run(db, case, cmd.partial_award(ctx, items=contract, on=date(2026, 9, 18), today=date(2026, 9, 18)))
    final_part, other_part = case.procedure["partial_awards"]
    assert (final_part["award_type"], other_part["award_type"]) == ("final", "non_final")

    rows = await _documents(db, case)
    parts = {r["kind"]: r for r in rows if r["kind"].startswith("partial_award:")}
    assert set(parts) == {f"partial_award:{final_part['id']}", f"partial_award:{other_part['id']}"}
    final_doc, other_doc = parts[f"partial_award:{final_part['id']}"], parts[f"partial_award:{other_part['id']}"]
    assert final_doc["title"] == "先行裁决书" and final_doc["number"] != other_doc["number"]
    _has(
        await _text(db, case, final_doc),
        "第四十三条第二款",
        "18,600.00元",
        "本先行裁决第一项为终局裁决",
        "可以自收到本先行裁决书之日起十五日内向人民法院提起诉讼（第四十八条）",
    )
    _has(
        await _text(db, case, other_doc),
        "恢复劳动关系",
        "当事人对本先行裁决第一项不服的",
        "期满不起诉的，先行裁决书发生法律效力",
    )

    case = await _run(
        db, case, cmd.partial_service(ctx, part_id=final_part["id"], on=date(2026, 9, 20), today=date(2026, 9, 20))
    )
    proofs = [r for r in await _documents(db, case) if r["kind"] == "proof_of_service"]
    assert [p["issued_on"] for p in proofs] == [date(2026, 9, 20)] * 2
    worker, employer = await _text(db, case, proofs[0]), await _text(db, case, proofs[1])
    if "受送达人：申请人" not in worker.replace("\n", ""):
        worker, employer = employer, worker
    # Final part (LDA Arts. 47-49): the worker's 15 days from 09-20 end Mon 10-05 (National Day),
    # so Thu 10-08; the employer's 30 days to apply to set it aside end Tue 10-20.
    _has(
        worker,
        f"送达文书：先行裁决书（{final_doc['number']}）",
        "受送达人：申请人",
        "送达日期：2026年9月20日",
        "起诉期限：不服本先行裁决书的，可于2026年10月8日前（含当日）向人民法院提起诉讼",
        "第四十八条",
    )
    assert "申请撤销期限" not in worker
    _has(
        employer,
        "受送达人：被申请人",
        "申请撤销期限：可于2026年10月20日前（含当日）向仲裁委员会所在地的中级人民法院申请撤销",
    )
    assert "起诉期限" not in employer
    assert final_part["id"] in str(case.procedure)  # the part's own windows, as the proofs say
    (served,) = [p for p in case.procedure["partial_awards"] if p.get("served_on")]
    assert (served["suit_due_on"], served["set_aside_due_on"]) == ("2026-10-08", "2026-10-20")

    # The non-final part is served on its own day: either party may sue within 15 days (Art. 50),
    # to Sat 10-10, a working day of the National Day schedule (调休), so the period ends on it.
    case = await _run(
        db, case, cmd.partial_service(ctx, part_id=other_part["id"], on=date(2026, 9, 25), today=date(2026, 9, 25))
    )
    proofs = [r for r in await _documents(db, case) if r["kind"] == "proof_of_service"]
    later = [p for p in proofs if p["issued_on"] == date(2026, 9, 25)]
    assert len(proofs) == 4 and len(later) == 2
    for proof in later:
        _has(
            await _text(db, case, proof),
            f"送达文书：先行裁决书（{other_doc['number']}）",
            "起诉期限：不服本先行裁决书的，可于2026年10月10日前（含当日）向人民法院提起诉讼",
            "第五十条",
        )
