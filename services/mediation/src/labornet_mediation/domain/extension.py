"""Extending the mediation period by the parties' agreement (pure).

LDA Art. 14 gives 15 days from the centre's receipt, after which a party may apply for
arbitration; the parties may instead agree to go on mediating: 人社部令17号 (企业劳动争议协商
调解规定) lets an enterprise committee's 15 days be extended when both parties agree, and centres
of every kind record such agreements the same way. Neither text sets a maximum: the ceiling on
the days added in all is the deployment's own setting (``mediation_max_extension_days``), not law.

Rules kept here:
- both the worker and the employer agree (an extension nobody agreed to would take away the
  worker's LDA Art. 14 right to go to arbitration once the 15 days are over);
- it is agreed on or before the current last day: afterwards the period has ended;
- the added days are counted from the current last day, that day not counted, and a last day on
  a rest day rolls to the next working day (民诉法 Art. 85), like the 15 days themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from labornet_common.reference.calendar import LegalCalendar
from labornet_mediation.domain.agreement import RuleBroken

DEFAULT_MAX_EXTENSION_DAYS = 15  # deployment policy: no statute sets a ceiling (see the module doc)


@dataclass(frozen=True)
class ExtensionAgreement:
    extra_days: int
    worker_agrees: bool
    employer_agrees: bool
    agreed_on: date
    note: str = ""


def extended_due_on(due_on: date, extra_days: int, calendar: LegalCalendar) -> date:
    # 民诉法 Art. 85: the old last day is not counted; a last day on a rest day rolls forward.
    return calendar.add_calendar_days(due_on, extra_days)


def due_with_extensions(base_due_on: date, extensions: Iterable[int], calendar: LegalCalendar) -> date:
    """The last day after every recorded extension, applied in order (for a re-count)."""
    due = base_due_on
    for extra_days in extensions:
        due = extended_due_on(due, extra_days, calendar)
    return due


def check_extension(
    agreement: ExtensionAgreement, *, due_on: date, today: date, extended_days: int, max_days: int
) -> None:
    """Raise RuleBroken naming the input at fault; ``extended_days`` were added before."""
    if agreement.extra_days < 1:
        raise RuleBroken("mediation.extension_days", "add at least one day", field_name="extra_days")
    if not agreement.worker_agrees:
        raise RuleBroken("mediation.extension_not_agreed", "the worker did not agree", field_name="worker_agrees")
    if not agreement.employer_agrees:
        raise RuleBroken("mediation.extension_not_agreed", "the employer did not agree", field_name="employer_agrees")
    if agreement.agreed_on > today:
        raise RuleBroken("mediation.extension_in_future", "agreed after today", field_name="agreed_on")
    if agreement.agreed_on > due_on:  # LDA Art. 14: the period is over, arbitration is open
        raise RuleBroken("mediation.extension_late", "the mediation period already ended", field_name="agreed_on")
    if extended_days + agreement.extra_days > max_days:
        raise RuleBroken(
            "mediation.extension_too_long",
            f"at most {max_days} days may be added in all ({extended_days} already)",
            field_name="extra_days",
        )
