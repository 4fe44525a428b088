"""When was the complaint actually received? (pure)

A paper, oral, 12333, 110 or referred complaint is often typed in after it arrived. Limitation
(LDA Art. 27: a request to an authority interrupts it) and every clock that starts on receipt
(LDA Art. 14, LDA Art. 29) run from the day it arrived, so the clerk records that moment and
intake keeps it apart from the moment it was typed in (and by whom).

The bound: a window registers what it receives within days, since acceptance is due within 5
days (LDA Art. 29) or 5 working days (若干规定 Art. 18). ``MAX_BACKDATE_DAYS`` leaves room for
the longest holiday (Spring Festival, 8-9 days) and a referral in the post, and refuses the slip
that matters most: a wrong year, which would move limitation by a whole year without anyone
noticing. An older receipt is a correction for a supervisor, not a window filing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from labornet_common.platform.clock import CHINA, local_date
from labornet_common.platform.messages import message
from labornet_intake import messages as _catalogue  # noqa: F401 - registers the codes used here

# Channels on which a clerk registers a complaint received earlier (online filings are received
# the moment they are submitted).
STAFF_CHANNELS = frozenset({"window", "hotline_12333", "police_110", "referral"})
MAX_BACKDATE_DAYS = 30


class ReceiptError(ValueError):
    """An unreadable receipt moment; carries its message code (and texts) into the 422."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code, self.message_zh, self.message_en = code, message_zh, message_en


def parse_moment(value: object) -> datetime | None:
    """A date-time with its UTC offset, or a date meaning the start of that day in China; in UTC,
    as every moment is stored (a database without time zones keeps it right).

    A date-time without an offset is refused: 10:00 in which time zone would be a guess.
    """
    if value is None or isinstance(value, datetime):
        return _in_utc(value)
    if isinstance(value, date):
        return _in_utc(datetime.combine(value, time(0), tzinfo=CHINA))
    text = str(value).strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return _in_utc(datetime.combine(date.fromisoformat(text), time(0), tzinfo=CHINA))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _error("received_at.format") from None
    return _in_utc(moment)


def _in_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise _error("received_at.offset_required")
    return moment.astimezone(UTC)


def _error(code: str) -> ReceiptError:
    return ReceiptError(code, *message(code))


def problems(*, channel: str, received_at: datetime | None, now: datetime) -> list[tuple[str, str]]:
    """(field, message code) for a declared receipt moment this filing may not carry."""
    if received_at is None:
        return []
    if channel not in STAFF_CHANNELS:
        return [("received_at", "received_at.online")]
    if received_at > now:
        return [("received_at", "received_at.future")]
    if local_date(received_at) < local_date(now) - timedelta(days=MAX_BACKDATE_DAYS):
        return [("received_at", "received_at.too_old")]
    return []


def describe(*, received_at: datetime, registered_at: datetime) -> str:
    """The line in the case's history: 收件时间 (as declared) and 录入时间 (when typed in)."""
    return f"收件时间：{_shown(received_at)}；录入时间：{_shown(registered_at)}"


def _shown(moment: datetime) -> str:
    local = moment.astimezone(CHINA)
    # A receipt declared as a date is stored as the start of that day: show the date alone.
    if local.time() == time(0):
        return f"{local:%Y年%m月%d日}"
    return f"{local:%Y年%m月%d日 %H:%M}"
