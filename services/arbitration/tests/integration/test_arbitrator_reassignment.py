"""A retired or moved arbitrator's unfinished tribunals are formed again in the same transaction
(组织规则 Art. 15; LDA Art. 31/32): each seat passes to the serving arbitrator of the commission
with the fewest open seats, in every open state (formed, hearing scheduled, suspended; a panel's
presiding seat too). A scheduled hearing keeps its date and the notice served for it (LDA Art.
35). Each case publishes TribunalFormed with its new members and the change log names each seat
handed over; a closed case keeps its tribunal. When nobody can take a seat the change is refused
(409 naming the case) and nothing changes."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from labornet_arbitration.adapters import repository
from labornet_arbitration.adapters.orm import messaging
from labornet_arbitration.domain.arbitrators import seated
from labornet_arbitration.domain.tribunal import Seat
from labornet_arbitration.service import admission_commands, roster
from labornet_arbitration.service import proceedings_commands as steps
from labornet_common.contracts.topics import ARBITRATION, ORGANISATIONS
from labornet_common.security.auth import NATIONWIDE, Principal, Role
from labornet_common.testing.refusals import refusal
from tests.support.arbitration import staff

ON = date(2026, 9, 1)
ADMIN = staff(Role.admin, "4103")
ARBITRATOR = staff(Role.arbitrator, "4103")
NATIONAL = Principal(subject="admin@nation", roles=frozenset({Role.admin}), region_scopes=(NATIONWIDE,))
LEAVING = "arbr-4103-09"


async def _formed(db, ctx, file_application, seats: list[Seat]):
    case = await file_application(received_on=ON)
    await admission_commands.accept(
        uow=db.uow(), ctx=ctx, principal=ARBITRATOR, application_id=case.application_id, on=ON, today=ON
    )
    return await steps.form_tribunal(
        uow=db.uow(),
        ctx=ctx,
        principal=ARBITRATOR,
        application_id=case.application_id,
        mode="sole" if len(seats) == 1 else "panel",
        seats=seats,
        complex_case=False,
        on=ON,
    )


async def _then(db, case, *step_list):
    for step in step_list:
        case = await steps.run(uow=db.uow(), principal=ARBITRATOR, application_id=case.application_id, step=step)
    return case


async def _load(db, application_id: str):
    async with db.uow() as uow:
        return await repository.get(session=uow.session, application_id=application_id)


async def _events(db, topic: str) -> list[tuple[str, str, dict]]:
    o = messaging.outbox.c
    async with db.engine.connect() as conn:
        rows = (await conn.execute(select(o.topic, o.partition_key, o.event_type, o.data).order_by(o.id))).all()
    return [(r.event_type, r.partition_key, dict(r.data)) for r in rows if r.topic == topic]


async def _enrol_leaving(db, ctx) -> None:
    await roster.enrol(
        ctx=ctx, uow=db.uow(), principal=ADMIN, cmd=roster.Enrol("arb-4103", "周将退", arbitrator_id=LEAVING)
    )


async def test_retirement_forms_again_every_open_tribunal(db, ctx, file_application) -> None:
    await _enrol_leaving(db, ctx)
    sole = [Seat(LEAVING, "sole")]
    formed = await _formed(db, ctx, file_application, sole)
    hearing = steps.hearing(ctx, hearing_on=date(2026, 9, 10), notice_on=ON, venue="第一仲裁庭", hearing_time=time(9))
    heard = await _then(db, await _formed(db, ctx, file_application, sole), hearing)
    paused = await _then(
        db, await _formed(db, ctx, file_application, sole), steps.suspension(on=ON, reason="工伤认定", today=ON)
    )
    panel = await _formed(
        db,
        ctx,
        file_application,
        [Seat(LEAVING, "presiding"), Seat("arbr-4103-01", "member"), Seat("arbr-4103-02", "member")],
    )
    award = steps.award(
        ctx,
        kind="award",
        items=[{"category": "labor_remuneration", "amount_fen": 1_000_000}],
        on=date(2026, 9, 18),
        today=date(2026, 9, 18),
    )
    closed = await _then(db, await _formed(db, ctx, file_application, sole), hearing, award)
    open_ids = {c.application_id for c in (formed, heard, paused, panel)}

    result = await roster.retire(ctx=ctx, uow=db.uow(), principal=ADMIN, arbitrator_id=LEAVING, reason="退休")

    assert {r["application_id"] for r in result["reassigned"]} == open_ids
    assert {r["status"] for r in result["reassigned"]} == {"TRIBUNAL_FORMED", "HEARING_SCHEDULED", "SUSPENDED"}
    assert all(r["from_arbitrator_id"] == LEAVING for r in result["reassigned"])
    serving = {a.id for a in (await roster.roster_now(ctx=ctx, uow=db.uow())).of_commission("arb-4103")}
    now = {i: await _load(db, i) for i in open_ids}
    for case in now.values():
        members = seated(case.tribunal)
        assert LEAVING not in members and set(members) <= serving and len(set(members)) == len(members)
        assert case.history[-1]["kind"] == "tribunal_reformed" and "书面通知双方当事人" in case.history[-1]["text_zh"]
    # The states stay: the hearing keeps its date, place and served notice; the pause goes on.
    assert now[heard.application_id].status == "HEARING_SCHEDULED"
    assert now[heard.application_id].hearing == heard.hearing
    assert now[paused.application_id].status == "SUSPENDED"
    # The panel's presiding seat passes to someone not already on it.
    presiding = [m for m in now[panel.application_id].tribunal["members"] if m["role"] == "presiding"]
    assert presiding[0]["arbitrator_id"] in {"arbr-4103-03", "arbr-4103-04"}
    # Seats spread by load: 01 and 02 held one each, 03 and 04 none; six seats over four.
    load = {a: sum(a in seated(c.tribunal) for c in now.values()) for a in serving}
    assert max(load.values()) - min(load.values()) <= 1
    # The closed case keeps the retired arbitrator.
    assert seated((await _load(db, closed.application_id)).tribunal) == [LEAVING]
    assert await roster.open_cases(ctx=ctx, uow=db.uow(), principal=ADMIN, arbitrator_id=LEAVING) == []

    # Each case's new tribunal is an event for every reader of the case (gateway, passport, reports).
    reformed = [
        (data["case_id"], data)
        for kind, _, data in await _events(db, ARBITRATION)
        if kind.endswith("tribunal.formed.v1") and LEAVING not in {m["arbitrator_id"] for m in data["members"]}
    ]
    assert {stream for stream, _ in reformed} == {c.case_id for c in now.values()}
    (retired,) = [d for k, _, d in await _events(db, ORGANISATIONS) if k.endswith("retired.v1")]
    assert set(retired["open_cases"]) == open_ids
    log = await roster.change_log(uow=db.uow(), principal=ADMIN, limit=10)
    assert log[0]["action"] == "arbitrator.retired"
    logged = log[0]["detail"]["reassigned"]
    assert len(logged) == 4 and all(r["to_arbitrator_id"] in seated(now[r["application_id"]].tribunal) for r in logged)


async def test_a_move_forms_the_former_commissions_tribunals_again(db, ctx, file_application) -> None:
    hearing = steps.hearing(ctx, hearing_on=date(2026, 9, 10), notice_on=ON, venue="第一仲裁庭", hearing_time=time(9))
    heard = await _then(db, await _formed(db, ctx, file_application, [Seat("arbr-4103-04", "sole")]), hearing)
    result = await roster.move(
        ctx=ctx, uow=db.uow(), principal=NATIONAL, arbitrator_id="arbr-4103-04", commission_id="arb-3710"
    )
    (seat,) = result["reassigned"]
    # Loads 01..03 are all 0: the lowest id takes it.
    assert (seat["application_id"], seat["to_arbitrator_id"]) == (heard.application_id, "arbr-4103-01")
    after = await _load(db, heard.application_id)
    assert seated(after.tribunal) == ["arbr-4103-01"] and after.hearing == heard.hearing
    (moved,) = [d for k, _, d in await _events(db, ORGANISATIONS) if k.endswith("moved.v1")]
    assert moved["open_cases"] == [heard.application_id]
    log = await roster.change_log(uow=db.uow(), principal=ADMIN, limit=5)
    assert log[0]["detail"]["reassigned"][0]["to_arbitrator_id"] == "arbr-4103-01"


async def test_refused_when_nobody_can_take_the_seat(db, ctx, file_application) -> None:
    # 01 and 02 sit on the panel with 04; once 03 retires nobody else serves arb-4103.
    panel = await _formed(
        db,
        ctx,
        file_application,
        [Seat("arbr-4103-04", "presiding"), Seat("arbr-4103-01", "member"), Seat("arbr-4103-02", "member")],
    )
    assert (await roster.retire(ctx=ctx, uow=db.uow(), principal=ADMIN, arbitrator_id="arbr-4103-03", reason=""))[
        "reassigned"
    ] == []
    with refusal() as refused:
        await roster.retire(ctx=ctx, uow=db.uow(), principal=ADMIN, arbitrator_id="arbr-4103-04", reason="")
    assert refused.value.status == 409 and refused.value.code == "arbitration.no_successor"
    assert panel.case_number in refused.value.detail
    assert refused.value.extra["open_cases"] == [panel.application_id]
    assert "没有其他在册仲裁员" in refused.value.body()["title_zh"]
    # Nothing changed: still serving, still seated, no event, no log row.
    serving = {a.id for a in (await roster.roster_now(ctx=ctx, uow=db.uow())).of_commission("arb-4103")}
    assert "arbr-4103-04" in serving
    assert seated((await _load(db, panel.application_id)).tribunal)[0] == "arbr-4103-04"
    assert [k.split(".")[-2] for k, _, _ in await _events(db, ORGANISATIONS)] == ["retired"]
    assert len(await roster.change_log(uow=db.uow(), principal=ADMIN, limit=5)) == 1
