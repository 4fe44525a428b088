"""Extending the mediation period by both parties' agreement (LDA Art. 14; 人社部令17号), counted
with the 2026 State Council notice: Mid-Autumn 09-25..27, National Day 10-01..07, make-up working
days Sunday 09-20 and Saturday 10-10; and the enterprise committee's 3 working days to accept."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from labornet_common.contracts.mediation import MediationPeriodExtended
from labornet_common.reference.calendar import LegalCalendar
from labornet_mediation.domain.agreement import RuleBroken
from labornet_mediation.domain.clocks import mediation_due_on
from labornet_mediation.domain.enterprise import acceptance_due_on
from labornet_mediation.domain.extension import (
    ExtensionAgreement,
    check_extension,
    due_with_extensions,
    extended_due_on,
)
from labornet_mediation.domain.model import MediationCase
from labornet_mediation.service.calendar_updates import recount

CAL = LegalCalendar()


def _agreement(extra_days: int = 10, *, on: date = date(2026, 9, 15), worker: bool = True, employer: bool = True):
    return ExtensionAgreement(extra_days=extra_days, worker_agrees=worker, employer_agrees=employer, agreed_on=on)


@pytest.mark.parametrize(
    ("due", "extra", "new_due", "why"),
    [
        (date(2026, 9, 16), 10, date(2026, 9, 28), "09-26 is Mid-Autumn: rolls past 09-27 to Monday 09-28"),
        (date(2026, 10, 8), 2, date(2026, 10, 10), "10-10 is the make-up Saturday: a working day, it stands"),
        (date(2026, 9, 16), 4, date(2026, 9, 20), "09-20 is the make-up Sunday: a working day, it stands"),
        (date(2026, 9, 16), 15, date(2026, 10, 8), "10-01 is National Day: rolls to 10-08"),
    ],
)
def test_added_days_count_from_the_old_last_day_and_roll_over_holidays(
    due: date, extra: int, new_due: date, why: str
) -> None:
    assert extended_due_on(due, extra, CAL) == new_due, why


def test_two_extensions_apply_in_order() -> None:
    base = mediation_due_on(date(2026, 9, 1), CAL)
    assert base == date(2026, 9, 16)
    assert due_with_extensions(base, [10, 2], CAL) == date(2026, 9, 30)  # 09-28, then +2
    assert due_with_extensions(base, [], CAL) == base


@pytest.mark.parametrize(
    ("agreement", "field", "code"),
    [
        (_agreement(worker=False), "worker_agrees", "mediation.extension_not_agreed"),
        (_agreement(employer=False), "employer_agrees", "mediation.extension_not_agreed"),
        (_agreement(0), "extra_days", "mediation.extension_days"),
        (_agreement(on=date(2026, 9, 17)), "agreed_on", "mediation.extension_late"),
        (_agreement(on=date(2026, 9, 21)), "agreed_on", "mediation.extension_in_future"),
        (_agreement(6), "extra_days", "mediation.extension_too_long"),
    ],
)
def test_refusals_name_the_input(agreement: ExtensionAgreement, field: str, code: str) -> None:
    with pytest.raises(RuleBroken) as caught:
        check_extension(agreement, due_on=date(2026, 9, 16), today=date(2026, 9, 20), extended_days=10, max_days=15)
    assert (caught.value.field, caught.value.code) == (field, code)


def test_agreed_on_the_last_day_within_the_ceiling_is_allowed() -> None:
    check_extension(
        _agreement(5, on=date(2026, 9, 16)),
        due_on=date(2026, 9, 16),
        today=date(2026, 9, 16),
        extended_days=10,
        max_days=15,
    )


def _case() -> MediationCase:
    case = MediationCase.open(
        case_id="c-ext",
        division_code="410311007",
        worker_name="王师傅",
        employer_name="洛阳某建筑公司",
        facts="拖欠工资",
        claims=[],
        opened_at=datetime(2026, 9, 1, 2, tzinfo=UTC),
        calendar=CAL,
        centre_id="med-410311007",
    )
    case.pull_events()
    return case


def test_the_case_moves_its_clock_notes_it_and_announces_it() -> None:
    case = _case()
    case.warned_on = date(2026, 9, 13)
    case.extend_period(extra_days=10, new_due_on=date(2026, 9, 28), agreed_on=date(2026, 9, 15), note="双方愿继续协商")
    assert case.due_on == date(2026, 9, 28) and case.warned_on is None  # warned again before the new end
    assert "调解期限延长10日，由2026-09-16延至2026-09-28" in case.history_zh[-1]
    (event,) = case.pull_events()
    assert isinstance(event.data, MediationPeriodExtended)
    assert (event.data.previous_due_on, event.data.due_on, event.data.extra_days) == (
        date(2026, 9, 16),
        date(2026, 9, 28),
        10,
    )


def test_a_closed_case_cannot_be_extended() -> None:
    case = _case()
    case.fail(on=date(2026, 9, 10), reason="party_refused")
    with pytest.raises(RuleBroken):
        case.extend_period(extra_days=3, new_due_on=date(2026, 9, 19), agreed_on=date(2026, 9, 10))


def test_a_holiday_schedule_recount_keeps_the_agreed_extension() -> None:
    case = _case()
    case.extend_period(extra_days=10, new_due_on=date(2026, 9, 26), agreed_on=date(2026, 9, 15))  # as provisional
    event = recount(case, calendar=CAL, year=2026, extensions=[10])
    assert event is not None and case.due_on == date(2026, 9, 28)  # 09-16 + 10, rolled past Mid-Autumn
    assert recount(case, calendar=CAL, year=2026, extensions=[10]) is None  # nothing moves twice


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 9, 30), date(2026, 10, 10)),  # 10-08, 10-09, then the make-up Saturday 10-10
        (date(2026, 9, 17), date(2026, 9, 21)),  # Fri 18, make-up Sunday 20, Mon 21
        (date(2026, 9, 16), date(2026, 9, 20)),  # Thu 17, Fri 18, make-up Sunday 20
    ],
)
def test_an_enterprise_committee_decides_within_3_working_days(received: date, due: date) -> None:
    assert acceptance_due_on(received, CAL) == due
