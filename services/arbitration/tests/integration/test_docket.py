"""Case numbers per commission and year: unique and gap-free under concurrent acceptance, and a
rolled-back acceptance gives its number back (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import date

from labornet_arbitration.adapters import repository
from labornet_arbitration.service import admission_commands
from labornet_common.security.auth import Role
from labornet_common.testing.refusals import as_problem, refusal
from tests.support.arbitration import staff

CLERK = staff(Role.clerk, "4103")
ON = date(2026, 9, 29)


def _seq(number: str) -> int:
    return int(number.split("第")[1].removesuffix("号"))


async def test_thirty_concurrent_acceptances_number_1_to_30(db, ctx, file_application) -> None:
    cases = [await file_application() for _ in range(30)]
    accepted = await asyncio.gather(
        *(
            admission_commands.accept(
                uow=db.uow(), ctx=ctx, principal=CLERK, application_id=c.application_id, on=ON, today=ON
            )
            for c in cases
        )
    )
    numbers = [c.case_number for c in accepted]
    assert sorted(_seq(n) for n in numbers) == list(range(1, 31))
    assert all(n.startswith("洛劳人仲案字〔2026〕第") for n in numbers)
    events = await db.outbox("cn.labornet.arbitration.application.accepted.v1")
    assert sorted(e["case_number"] for e in events) == sorted(numbers)


async def test_a_rolled_back_acceptance_does_not_consume_a_number(db, ctx, file_application) -> None:
    first, second = await file_application(), await file_application()
    async with db.uow() as uow:
        seq = await repository.next_docket_number(session=uow.session, commission_id="arb-4103", year=2026)
        assert seq == 1
        await uow.rollback()
    done = await admission_commands.accept(
        uow=db.uow(), ctx=ctx, principal=CLERK, application_id=first.application_id, on=ON, today=ON
    )
    assert done.case_number == "洛劳人仲案字〔2026〕第1号"
    # A refused acceptance (a commission without jurisdiction) rolls its number back too.
    foreign = await file_application(division_code="371002", commission_id="arb-4103")
    with refusal():
        await admission_commands.accept(
            uow=db.uow(),
            ctx=ctx,
            principal=staff(Role.admin, "*"),
            application_id=foreign.application_id,
            on=ON,
            today=ON,
        )
    later = await admission_commands.accept(
        uow=db.uow(), ctx=ctx, principal=CLERK, application_id=second.application_id, on=ON, today=ON
    )
    assert later.case_number == "洛劳人仲案字〔2026〕第2号"


async def test_the_same_application_accepted_twice_at_once_gets_one_number(db, ctx, file_application) -> None:
    case = await file_application()
    results = await asyncio.gather(
        *(
            admission_commands.accept(
                uow=db.uow(), ctx=ctx, principal=CLERK, application_id=case.application_id, on=ON, today=ON
            )
            for _ in range(5)
        ),
        return_exceptions=True,
    )
    winners = [r for r in results if not isinstance(r, BaseException)]
    assert len(winners) == 1 and all(
        (p := as_problem(r)) is not None and p.status == 409 for r in results if r not in winners
    )
    other = await file_application()
    nxt = await admission_commands.accept(
        uow=db.uow(), ctx=ctx, principal=CLERK, application_id=other.application_id, on=ON, today=ON
    )
    assert nxt.case_number == "洛劳人仲案字〔2026〕第2号"  # no gap left by the losers


async def test_numbers_run_per_commission_and_per_year(db, ctx, file_application) -> None:
    luoyang = await file_application()
    weihai = await file_application(division_code="371002", commission_id="arb-3710")
    next_year = await file_application(received_on=date(2026, 12, 30))
    a = await admission_commands.accept(
        uow=db.uow(), ctx=ctx, principal=CLERK, application_id=luoyang.application_id, on=ON, today=ON
    )
    b = await admission_commands.accept(
        uow=db.uow(),
        ctx=ctx,
        principal=staff(Role.arbitrator, "3710"),
        application_id=weihai.application_id,
        on=ON,
        today=ON,
    )
    c = await admission_commands.accept(
        uow=db.uow(),
        ctx=ctx,
        principal=CLERK,
        application_id=next_year.application_id,
        on=date(2027, 1, 4),
        today=date(2027, 1, 4),
    )
    assert (a.case_number, b.case_number, c.case_number) == (
        "洛劳人仲案字〔2026〕第1号",
        "威劳人仲案字〔2026〕第1号",
        "洛劳人仲案字〔2027〕第1号",
    )
