"""Electronic service (电子送达) of the commission's documents (pure Python).

A party may be served electronically only with their consent and on the channel they name
(民事诉讼法 Art. 90, applied to arbitration by the 办案规则's provisions on service): e-mail to
the address they give, or SMS to the phone on file. Each document is then delivered on that
channel, retried a few times, and served when the party receives it: for e-mail, when they open
the signed download link (the read receipt); for SMS, when the provider's delivery receipt
arrives (or the link is opened). The day of receipt in China is the service date the law counts
(Art. 90 ¶2: 以送达信息到达受送达人特定系统的日期为送达日期), for each party its own. A delivery that fails
every attempt falls back to manual service, recorded by staff with the 送达回证, whose date then counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from labornet_arbitration.domain.model import CaseRuleError
from labornet_common.platform.clock import local_date

Channel = Literal["email", "sms", "app"]
Party = Literal["worker", "employer"]
Status = Literal["pending", "sent", "received", "failed", "manual"]

_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}$")

# Documents whose service starts a clock or tells the parties something they must act on.
SERVED_KINDS = frozenset(
    {"acceptance_notice", "non_acceptance_notice", "hearing_notice", "award", "mediation_statement"}
)
# Receipt of these serves the award (LDA Arts. 48-50 run from it).
AWARD_KINDS = frozenset({"award", "mediation_statement"})


@dataclass(frozen=True)
class Consent:
    party: Party
    channel: Channel
    address: str  # the e-mail address, or the phone on file


def consent(
    *, party: Party, channel: Channel, email: str | None, phone_on_file: str | None, app_case_id: str | None = None
) -> Consent:
    """A party's consent names a channel it can be reached on; SMS goes only to the phone on file;
    the app is the worker's (a signed webhook to the deployment's app endpoint naming the case)."""
    if channel == "app":
        if party != "worker" or email or not app_case_id:
            raise CaseRuleError("arbitration.e_service_address", field="channel", status=422)
        return Consent(party, channel, app_case_id)
    if channel == "email":
        if not email or not _EMAIL.match(email):
            raise CaseRuleError("arbitration.e_service_address", field="email", status=422)
        return Consent(party, channel, email.strip())
    if email:
        raise CaseRuleError("arbitration.e_service_address", field="email", status=422, detail="SMS needs no e-mail")
    if not phone_on_file:
        raise CaseRuleError("arbitration.e_service_no_phone", field="channel", status=422)
    return Consent(party, channel, phone_on_file)


def next_attempt_at(attempts: int, now: datetime, *, max_attempts: int, backoff_s: float) -> datetime | None:
    """After ``attempts`` failed sends: when to try again (doubling), or None to fall back."""
    if attempts >= max_attempts:
        return None
    return now + timedelta(seconds=backoff_s * 2 ** (attempts - 1))


def service_date(received_at: datetime) -> date:
    """The day of receipt in China: an e-mail opened at 23:30 UTC was received the next day."""
    return local_date(received_at)


def party_served_on(deliveries: list[dict[str, Any]]) -> date | None:
    """One party's service day for a document, from its deliveries of it: the first receipt (the
    day of receipt in China) or the 送达回证's date, whichever came first. Each party's periods run
    from its own day (party_service.py)."""
    days: list[date] = [
        service_date(d["received_at"]) if d["status"] == "received" else d["served_on"]
        for d in deliveries
        if (d["status"] == "received" and d.get("received_at")) or (d["status"] == "manual" and d.get("served_on"))
    ]
    return min(days) if days else None
