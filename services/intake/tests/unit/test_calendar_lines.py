"""The worker reads when a clock of their case moved because a year's holiday schedule was
entered; staff-side clocks (copies, defence) are not told. The joint-acceptance answer date (a
regional pact, in working days) is provisional until its year's schedule is entered."""

from __future__ import annotations

from datetime import date

from labornet_common.platform.live_calendar import live_calendar
from labornet_common.reference.holiday_schedules import notice_of
from labornet_common.testing.calendar_support import TEST_2027_DAYS, restored_live_calendar
from labornet_intake.api.schemas import JointForward
from labornet_intake.domain.timeline import describe

MEDIATION = "cn.labornet.mediation.deadline.recomputed.v1"
ARBITRATION = "cn.labornet.arbitration.deadline.recomputed.v1"


def test_the_mediation_clock_moved_past_new_year() -> None:
    # LDA Art. 14: day 15 was Fri 2027-01-01 (元旦 in the test schedule), now Mon 2027-01-04.
    data = {"rule": "MEDIATION_15D", "previous_due_on": "2027-01-01", "due_on": "2027-01-04", "calendar_year": 2027}
    assert describe(MEDIATION, data) == "国务院2027年节假日安排已公布，调解期限相应调整为2027年1月4日"


def test_the_award_clock_is_told_and_the_defence_clock_is_not() -> None:
    award = {"rule": "AWARD_45D", "due_on": "2027-02-15", "calendar_year": 2027}  # LDA Art. 43
    assert describe(ARBITRATION, award) == "国务院2027年节假日安排已公布，仲裁审理期限相应调整为2027年2月15日"
    assert describe(ARBITRATION, {"rule": "DEFENCE_10D", "due_on": "2027-02-15", "calendar_year": 2027}) is None
    suit = {"rule": "NONFINAL_SUIT_15D", "due_on": "2027-01-04", "calendar_year": 2027}  # LDA Art. 50
    assert (
        describe(ARBITRATION, suit)
        == "国务院2027年节假日安排已公布，对仲裁裁决向人民法院起诉的期限相应调整为2027年1月4日"
    )


def test_the_joint_acceptance_answer_date_is_provisional_until_its_year_is_entered() -> None:
    forward = {
        "forward_id": "f1",
        "case_id": "c1",
        "accepting_region": "4103",
        "target_region": "3710",
        "status": "PENDING",
        "requested_on": date(2026, 12, 28),
        "answer_due_on": date(2027, 1, 11),
    }
    with restored_live_calendar():
        assert JointForward.model_validate(forward).answer_due_provisional is True
        live_calendar().install([notice_of(2027, TEST_2027_DAYS)])
        assert JointForward.model_validate(forward).answer_due_provisional is False
