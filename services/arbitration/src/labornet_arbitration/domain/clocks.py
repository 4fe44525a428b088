"""The statutory clocks of an arbitration case (domain-rules §1), on the legal calendar.

Every period counts calendar days, the start day excluded, and a last day on a rest day rolls
to the next working day (民诉法 Art. 85, applied by Rules Art. 19); see labornet_common.reference.calendar.
"""

from __future__ import annotations

from datetime import date

from labornet_common.reference.calendar import LegalCalendar, Period

AWARD_EXTENSION_MAX_DAYS = Period.AWARD_EXTENSION_15D.days  # LDA Art. 43: at most 15 more days


def correction_notice_due(calendar: LegalCalendar, received_on: date) -> date:
    # Rules Art. 29: the one-time correction list, on the spot or within 5 days of receipt
    return calendar.deadline(Period.CORRECTION_NOTICE_5D, received_on).due


def acceptance_due(calendar: LegalCalendar, received_on: date) -> date:
    # LDA Art. 29: decide on acceptance within 5 days of receipt; silence lets the worker sue
    return calendar.deadline(Period.ACCEPTANCE_5D, received_on).due


def serve_copy_due(calendar: LegalCalendar, accepted_on: date) -> date:
    # LDA Art. 30: serve the application's copy on the respondent within 5 days of acceptance
    return calendar.deadline(Period.SERVE_COPY_5D, accepted_on).due


def defence_due(calendar: LegalCalendar, respondent_received_on: date) -> date:
    # LDA Art. 30: the respondent defends within 10 days of receiving the copy
    return calendar.deadline(Period.DEFENCE_10D, respondent_received_on).due


def tribunal_notice_due(calendar: LegalCalendar, accepted_on: date) -> date:
    # LDA Art. 32: tell the parties who sits on the tribunal within 5 days of acceptance
    return calendar.deadline(Period.TRIBUNAL_NOTICE_5D, accepted_on).due


def latest_hearing_notice(calendar: LegalCalendar, hearing_on: date) -> date:
    # LDA Art. 35: notice of the hearing at least 5 days before it (earlier on a rest day)
    return calendar.deadline(Period.HEARING_NOTICE_5D, hearing_on).due


def award_due(calendar: LegalCalendar, clock_start: date, *, extension_days: int = 0, paused_days: int = 0) -> date:
    """LDA Art. 43: 45 days from acceptance, plus up to 15 with the chair's approval.

    ``clock_start`` is the acceptance, or the later day the clock restarted (added or changed
    claims, correction, referral: Rules Art. 46); days of suspension (中止, Rules Art. 45) are
    not counted, so they push the last day back.
    """
    if not 0 <= extension_days <= AWARD_EXTENSION_MAX_DAYS:
        raise ValueError("the award extension is at most 15 days (LDA Art. 43)")
    days = Period.AWARD_45D.days + extension_days + paused_days
    return calendar.add_calendar_days(clock_start, days)


def nonfinal_suit_due(calendar: LegalCalendar, served_on: date) -> date:
    # LDA Art. 50: a party may sue on a non-final award within 15 days of receiving it
    return calendar.deadline(Period.NONFINAL_SUIT_15D, served_on).due


def final_suit_due(calendar: LegalCalendar, served_on: date) -> date:
    # LDA Art. 48: the worker may sue on a final award within 15 days of receiving it
    return calendar.deadline(Period.FINAL_AWARD_SUIT_15D, served_on).due


def set_aside_due(calendar: LegalCalendar, served_on: date) -> date:
    # LDA Art. 49: the employer may apply to set a final award aside within 30 days of receipt
    return calendar.deadline(Period.SET_ASIDE_30D, served_on).due


def suit_after_set_aside_due(calendar: LegalCalendar, ruling_received_on: date) -> date:
    # LDA Art. 49 ¶2: once set aside, the parties may sue within 15 days of receiving the ruling
    return calendar.add_calendar_days(ruling_received_on, 15)
