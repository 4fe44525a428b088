"""Arbitration as practised: withdrawal and absence, postponement, the simplified procedure,
provisional execution, partial awards and service by publication. Each is one step run by
proceedings_commands.run (one change under action.change)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from labornet_arbitration.domain import procedures
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.service.context import ArbitrationContext
from labornet_arbitration.service.proceedings_commands import Step, award_items
from labornet_common.contracts.arbitration import ProvisionalItem


def withdrawal(ctx: ArbitrationContext, *, on: date, today: date, settled: bool, settlement: str) -> Step:
    return lambda case: procedures.withdraw(
        case, on=on, today=today, settled=settled, settlement=settlement, calendar=ctx.calendar
    )


def deemed_withdrawal(ctx: ArbitrationContext, *, on: date, today: date, reason: str) -> Step:
    return lambda case: procedures.deem_withdrawn(case, on=on, today=today, reason=reason, calendar=ctx.calendar)


def default_award(ctx: ArbitrationContext, *, items: list[dict[str, Any]], on: date, today: date, reason: str) -> Step:
    def step(case: ArbitrationCase) -> None:
        found = award_items(ctx, case, kind="award", items=items, on=on)
        procedures.default_award(case, items=found, on=on, today=today, reason=reason)

    return step


def postponement(
    ctx: ArbitrationContext,
    *,
    requested_by: Literal["worker", "employer", "tribunal"],
    requested_on: date,
    reason: str,
    granted: bool,
    new: procedures.NewHearing | None,
    today: date,
) -> Step:
    return lambda case: procedures.postpone_hearing(
        case,
        requested_by=requested_by,
        requested_on=requested_on,
        reason=reason,
        granted=granted,
        new=new,
        today=today,
        calendar=ctx.calendar,
    )


def simplified(
    ctx: ArbitrationContext, *, grounds: Sequence[str], exclusions: Sequence[str], on: date, today: date
) -> Step:
    return lambda case: procedures.apply_simplified(
        case,
        grounds=grounds,
        exclusions=exclusions,
        average_wage_fen=ctx.average_wage_fen(case.division_code, on),
        on=on,
        today=today,
    )


def conversion(*, on: date, reason: str, today: date) -> Step:
    return lambda case: procedures.convert_to_ordinary(case, on=on, reason=reason, today=today)


def provisional_execution(
    *,
    items: list[ProvisionalItem],
    rights_clear: bool,
    living_seriously_affected: bool,
    court_name: str,
    on: date,
    today: date,
) -> Step:
    return lambda case: procedures.rule_provisional_execution(
        case,
        items=items,
        rights_clear=rights_clear,
        living_seriously_affected=living_seriously_affected,
        court_name=court_name,
        on=on,
        today=today,
    )


def partial_award(ctx: ArbitrationContext, *, items: list[dict[str, Any]], on: date, today: date) -> Step:
    def step(case: ArbitrationCase) -> str:
        found = award_items(ctx, case, kind="award", items=items, on=on)
        return procedures.issue_partial_award(case, items=found, on=on, today=today)

    return step


def partial_service(ctx: ArbitrationContext, *, part_id: str, on: date, today: date) -> Step:
    return lambda case: procedures.serve_partial_award(case, part_id=part_id, on=on, today=today, calendar=ctx.calendar)


def publication(
    ctx: ArbitrationContext,
    *,
    document: Literal["application_copy", "hearing_notice", "award", "other"],
    published_on: date,
    today: date,
) -> Step:
    return lambda case: procedures.record_publication(
        case, document=document, published_on=published_on, today=today, calendar=ctx.calendar
    )
