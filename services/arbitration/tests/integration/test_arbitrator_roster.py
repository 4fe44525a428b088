"""Administrators keep the arbitrator roster (LDA Art. 20): an arbitrator added sits on a
tribunal; retired, they keep the tribunals of closed cases, cannot be named to a new one, and
the unfinished tribunals they sat on are formed again with another arbitrator (more in
test_arbitrator_reassignment.py); moved to another commission, the former one cannot name them.
Each change is an event on reference.organisations.v1 and a row of the change log; other
regions, and other roles, are refused."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from labornet_arbitration.adapters import repository
from labornet_arbitration.adapters.orm import messaging
from labornet_arbitration.domain.tribunal import Seat
from labornet_arbitration.service import admission_commands, roster
from labornet_arbitration.service import proceedings_commands as steps
from labornet_common.contracts.topics import ORGANISATIONS
from labornet_common.security.auth import NATIONWIDE, Principal, Role
from labornet_common.testing.refusals import refusal
from tests.support.arbitration import staff

ON = date(2026, 9, 1)
ADMIN = staff(Role.admin, "4103")
ARBITRATOR = staff(Role.arbitrator, "4103")
NATIONAL = Principal(subject="admin@nation", roles=frozenset({Role.admin}), region_scopes=(NATIONWIDE,))


async def _seated(db, ctx, file_application, arbitrator_id: str, *, award: bool = False):
    """An accepted application whose sole arbitrator is ``arbitrator_id`` (awarded if asked)."""
    case = await file_application(received_on=ON)
    await admission_commands.accept(
        uow=db.uow(), ctx=ctx, principal=ARBITRATOR, application_id=case.application_id, on=ON, today=ON
    )
    case = await steps.form_tribunal(
        uow=db.uow(),
        ctx=ctx,
        principal=ARBITRATOR,
        application_id=case.application_id,
        mode="sole",
        seats=[Seat(arbitrator_id, "sole")],
        complex_case=False,
        on=ON,
    )
    if award:
        for step in (
            steps.hearing(ctx, hearing_on=date(2026, 9, 10), notice_on=ON, venue="第一仲裁庭", hearing_time=time(9)),
            steps.award(
                ctx,
                kind="award",
                items=[{"category": "labor_remuneration", "amount_fen": 1_000_000}],
                on=date(2026, 9, 18),
                today=date(2026, 9, 18),
            ),
        ):
            case = await steps.run(uow=db.uow(), principal=ARBITRATOR, application_id=case.application_id, step=step)
    return case


async def _tribunal(db, ctx, case, arbitrator_id: str):
    return await steps.form_tribunal(
        uow=db.uow(),
        ctx=ctx,
        principal=ARBITRATOR,
        application_id=case.application_id,
        mode="sole",
        seats=[Seat(arbitrator_id, "sole")],
        complex_case=False,
        on=ON,
    )


async def _organisation_events(db) -> list[tuple[str, dict]]:
    query = select(messaging.outbox.c.topic, messaging.outbox.c.event_type, messaging.outbox.c.data)
    async with db.engine.connect() as conn:
        rows = (await conn.execute(query.order_by(messaging.outbox.c.id))).all()
    return [(r.event_type.split(".")[-2], dict(r.data)) for r in rows if r.topic == ORGANISATIONS]


async def test_added_then_retired_keeps_closed_cases_and_hands_over_open_ones(db, ctx, file_application) -> None:
    added = await roster.enrol(
        ctx=ctx,
        uow=db.uow(),
        principal=ADMIN,
        cmd=roster.Enrol(commission_id="arb-4103", name="周新任", arbitrator_id="arbr-4103-09"),
    )
    assert added == {"arbitrator_id": "arbr-4103-09", "commission_id": "arb-4103", "division_code": "410302"}
    closed = await _seated(db, ctx, file_application, "arbr-4103-09", award=True)
    still_open = await _seated(db, ctx, file_application, "arbr-4103-09")
    elsewhere = await _seated(db, ctx, file_application, "arbr-4103-02")

    result = await roster.retire(ctx=ctx, uow=db.uow(), principal=ADMIN, arbitrator_id="arbr-4103-09", reason="调离")
    assert [c["application_id"] for c in result["reassigned"]] == [still_open.application_id]
    assert result["reassigned"][0]["status"] == "TRIBUNAL_FORMED" and result["reassigned"][0]["case_number"]

    # Closed: the tribunal keeps its member by name.
    async with db.uow() as uow:
        award = await repository.get(session=uow.session, application_id=closed.application_id)
    assert award.status in {"AWARDED", "EFFECTIVE"} and award.tribunal["members"][0]["name"] == "周新任"
    # No new tribunal names them; the open case, formed again already, may be formed again by hand.
    with refusal() as refused:
        await _tribunal(db, ctx, elsewhere, "arbr-4103-09")
    assert refused.value.status == 422 and refused.value.code == "arbitration.arbitrator_retired"
    assert refused.value.errors[0].field == "members"
    replaced = await _tribunal(db, ctx, still_open, "arbr-4103-03")
    assert replaced.tribunal["members"][0]["arbitrator_id"] == "arbr-4103-03"
    assert await roster.open_cases(ctx=ctx, uow=db.uow(), principal=ADMIN, arbitrator_id="arbr-4103-09") == []
    serving = (await roster.roster_now(ctx=ctx, uow=db.uow())).of_commission("arb-4103")
    assert "arbr-4103-09" not in {a.id for a in serving} and "arbr-4103-02" in {a.id for a in serving}
    with refusal() as again:
        await roster.retire(ctx=ctx, uow=db.uow(), principal=ADMIN, arbitrator_id="arbr-4103-09", reason="")
    assert again.value.status == 409

    events = await _organisation_events(db)
    assert [kind for kind, _ in events] == ["enrolled", "retired"]
    assert events[1][1]["open_cases"] == [still_open.application_id] and events[1][1]["reason"] == "调离"
    log = await roster.change_log(uow=db.uow(), principal=ADMIN, limit=10)
    assert [row["action"] for row in log] == ["arbitrator.retired", "arbitrator.enrolled"]
    assert log[0]["detail"]["open_cases"] == [still_open.application_id] and log[0]["changed_by"] == ADMIN.subject


async def test_moved_to_another_commission(db, ctx, file_application) -> None:
    seated = await _seated(db, ctx, file_application, "arbr-4103-04")
    # A 4103 admin cannot send an arbitrator to Weihai's commission; a Weihai admin cannot reach Luoyang's.
    with refusal() as outside:
        await roster.move(
            ctx=ctx, uow=db.uow(), principal=ADMIN, arbitrator_id="arbr-4103-04", commission_id="arb-3710"
        )
    assert outside.value.status == 422 and outside.value.errors[0].field == "commission_id"
    with refusal() as hidden:
        await roster.move(
            ctx=ctx,
            uow=db.uow(),
            principal=staff(Role.admin, "3710"),
            arbitrator_id="arbr-4103-04",
            commission_id="arb-3710",
        )
    assert hidden.value.status == 404
    with refusal() as clerk:
        await roster.enrol(
            ctx=ctx, uow=db.uow(), principal=staff(Role.clerk, "4103"), cmd=roster.Enrol("arb-4103", "某")
        )
    assert clerk.value.status == 403

    result = await roster.move(
        ctx=ctx, uow=db.uow(), principal=NATIONAL, arbitrator_id="arbr-4103-04", commission_id="arb-3710"
    )
    assert result["commission_id"] == "arb-3710"
    assert [c["application_id"] for c in result["reassigned"]] == [seated.application_id]
    other = await file_application(received_on=ON)
    await admission_commands.accept(
        uow=db.uow(), ctx=ctx, principal=ARBITRATOR, application_id=other.application_id, on=ON, today=ON
    )
    with refusal() as former:  # no longer of the Luoyang commission
        await _tribunal(db, ctx, other, "arbr-4103-04")
    assert former.value.code == "arbitration.unknown_arbitrator"
    (moved,) = [data for kind, data in await _organisation_events(db) if kind == "moved"]
    assert moved["from_commission_id"] == "arb-4103" and moved["commission_id"] == "arb-3710"
    assert moved["division_code"] == "371002" and moved["open_cases"] == [seated.application_id]
    # Each region reads its own log: the move is logged where the arbitrator left.
    assert [r["action"] for r in await roster.change_log(uow=db.uow(), principal=ADMIN, limit=5)] == [
        "arbitrator.moved"
    ]
    assert await roster.change_log(uow=db.uow(), principal=staff(Role.admin, "3710"), limit=5) == []
