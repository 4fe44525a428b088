"""The court's events on a final award, through the real consumer on a real database: the party
is read from the event, the effect is stored and reread, and only what ends the award's effect
announces AwardNotEffective (LDA Arts. 48-49; Interp-I Arts. 21, 25)."""

from __future__ import annotations

from datetime import date, time

from labornet_arbitration.adapters import repository
from labornet_arbitration.api.effect import award_effect
from labornet_arbitration.domain.tribunal import Seat
from labornet_arbitration.service import admission_commands
from labornet_arbitration.service import proceedings_commands as steps
from labornet_common.contracts.court import LawsuitFiled, SetAsideApplied, SetAsideDecided
from labornet_common.security.auth import Role
from tests.support.arbitration import cases_consumer, record_of, staff

ON = date(2026, 9, 1)
NOT_EFFECTIVE = "cn.labornet.arbitration.award.not_effective.v1"


async def _final_award_served(db, ctx, file_application):
    arbitrator = staff(Role.arbitrator, "4103")
    case = await file_application(received_on=ON)
    await admission_commands.accept(
        uow=db.uow(), ctx=ctx, principal=arbitrator, application_id=case.application_id, on=ON, today=ON
    )
    for step in (
        steps.tribunal(ctx, mode="sole", seats=[Seat("arbr-4103-02", "sole")], complex_case=False, on=ON),
        steps.hearing(ctx, hearing_on=date(2026, 9, 10), notice_on=ON, venue="第一仲裁庭", hearing_time=time(9, 30)),
        steps.award(
            ctx,
            kind="award",
            items=[{"category": "labor_remuneration", "amount_fen": 1_000_000}],
            on=date(2026, 9, 18),
            today=date(2026, 9, 18),
        ),
        steps.award_service(ctx, on=date(2026, 9, 20), today=date(2026, 9, 20)),
    ):
        case = await steps.run(uow=db.uow(), principal=arbitrator, application_id=case.application_id, step=step)
    return case


async def _effect(db, case):
    async with db.uow() as uow:
        found = await repository.get(session=uow.session, application_id=case.application_id)
    return found, award_effect(status=found.status, award=found.award, court=found.court)


async def test_the_employer_cannot_sue_on_a_final_award_but_a_set_aside_ends_it(db, ctx, file_application) -> None:
    case = await _final_award_served(db, ctx, file_application)
    (hearing,) = await db.outbox("cn.labornet.arbitration.hearing.scheduled.v1")
    assert hearing["hearing_time"] == "09:30:00" and case.hearing["hearing_time"] == "09:30"
    consumer = cases_consumer(db, ctx)
    court = {"case_id": case.case_id, "court_name": "洛阳市中级人民法院"}
    events = [
        LawsuitFiled(**court, occurred_on=date(2026, 9, 25), callback_id="cb-1", party="employer"),
        SetAsideApplied(**court, occurred_on=date(2026, 10, 20), callback_id="cb-2", party="employer"),
        SetAsideDecided(**court, occurred_on=date(2026, 11, 20), callback_id="cb-3", outcome="set_aside"),
    ]
    effects = []
    for n, event in enumerate(events, start=1):
        outcome = await consumer.process(**record_of(event, source="/labornet/gateway", sequence=n))
        assert outcome.outcome == "applied"
        found, shown = await _effect(db, case)
        effects.append((found.status, shown.state, shown.enforceable))
        if n == 1:
            assert await db.outbox(NOT_EFFECTIVE) == []  # the employer's suit changes nothing
    assert effects == [
        ("EFFECTIVE", "effective", True),
        ("EFFECTIVE", "set_aside_applied", False),
        ("SET_ASIDE", "set_aside", False),
    ]
    (lost,) = await db.outbox(NOT_EFFECTIVE)
    # LDA Art. 49 ¶2: 15 days from the ruling of 11-20 -> 12-05 is a Saturday -> 12-07
    assert (lost["reason"], lost["may_sue_by"], lost["article"]) == ("set_aside", "2026-12-07", "LDA Art. 49")
    recorded = [e["effect"] for e in await db.outbox("cn.labornet.arbitration.court_event.recorded.v1")]
    assert recorded == ["no_effect_on_final_award", "set_aside_pending", "award_set_aside"]
