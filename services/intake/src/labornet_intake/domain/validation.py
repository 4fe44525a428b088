"""Checks on a filing that need more than one field or today's date (pure).

Each problem is (field path, message code); ``check_filing`` runs every such check of a filing
(the receipt moment's and the representatives' too) and refuses it with one bilingual 422,
whoever files: the API, the console, a test. National-standard checks (ID number, credit code,
phone, division codes) run earlier, in the request schema, one field at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from labornet_common.contracts.claims import ClaimCategory
from labornet_common.platform.problems import InvalidInput
from labornet_intake.domain import receipt
from labornet_intake.domain.matching import is_collective
from labornet_intake.domain.representatives import Representative
from labornet_intake.domain.representatives import problems as representative_problems

# Above 100 million yuan a typed amount is a slip of the keyboard, not a labor claim.
MAX_AMOUNT_FEN = 10_000_000_000
_CATEGORIES = frozenset(c.value for c in ClaimCategory)
ORAL_CHANNELS = frozenset({"window", "hotline_12333"})


@dataclass(frozen=True)
class ClaimInput:
    category: str
    amount_fen: int | None = None
    period_from: date | None = None
    period_to: date | None = None


@dataclass(frozen=True)
class FilingInput:
    channel: str
    facts: str
    claims: Sequence[ClaimInput]
    worker_count: int = 1
    oral: bool = False
    police_incident_number: str | None = None
    referred_by: str | None = None
    employment_ended_on: date | None = None
    joint_acceptance: bool = False


def _claim_problems(index: int, claim: ClaimInput, today: date) -> list[tuple[str, str]]:
    at = f"claims.{index}"
    found = []
    if claim.category not in _CATEGORIES:
        found.append((f"{at}.category", "claim.category"))
    if claim.amount_fen is not None and claim.amount_fen > MAX_AMOUNT_FEN:
        found.append((f"{at}.amount_fen", "claim.amount_too_large"))
    if claim.period_from and claim.period_from > today:
        found.append((f"{at}.period_from", "claim.period_future"))
    if claim.period_to and claim.period_to > today:
        found.append((f"{at}.period_to", "claim.period_future"))
    if claim.period_from and claim.period_to and claim.period_from > claim.period_to:
        found.append((f"{at}.period_to", "claim.period_order"))
    return found


def _channel_problems(filing: FilingInput) -> list[tuple[str, str]]:
    found = []
    if filing.oral and filing.channel not in ORAL_CHANNELS:
        found.append(("oral", "filing.oral_channel"))
    elif filing.oral and not filing.facts.strip():
        # LDA Art. 28: writing may be replaced by an oral complaint the body records on the spot.
        found.append(("facts", "filing.oral_needs_facts"))
    if filing.channel == "police_110" and not (filing.police_incident_number or "").strip():
        found.append(("police_incident_number", "filing.police_incident_required"))
    if filing.channel == "referral" and not (filing.referred_by or "").strip():
        found.append(("referred_by", "filing.referral_source_required"))
    if filing.joint_acceptance and filing.channel == "online":
        found.append(("joint_acceptance", "filing.joint_needs_clerk"))
    return found


def problems(filing: FilingInput, *, today: date) -> list[tuple[str, str]]:
    found = _channel_problems(filing)
    for index, claim in enumerate(filing.claims):
        found.extend(_claim_problems(index, claim, today))
    ended = filing.employment_ended_on
    if ended and ended > today:
        found.append(("employment_ended_on", "date.future"))
    starts = [c.period_from for c in filing.claims if c.period_from]
    if ended and starts and ended < min(starts):
        found.append(("employment_ended_on", "employment.ended_before_period"))
    if filing.worker_count > 1 and not filing.claims:
        found.append(("claims", "filing.collective_needs_claims"))
    return found


def check_filing(
    filing: FilingInput,
    *,
    received_at: datetime | None,
    now: datetime,
    today: date,
    chosen: Sequence[Representative] = (),
) -> None:
    """Refuse a filing that breaks any check needing several fields or today's date: one 422
    naming every input at fault (``InvalidInput``), or nothing."""
    found = problems(filing, today=today)
    found += receipt.problems(channel=filing.channel, received_at=received_at, now=now)
    # A filing names representatives only when it is collective itself (LDA Art. 7); a case that
    # becomes collective as co-workers join gets them through its representatives endpoint.
    collective = is_collective(filing.worker_count, frozenset(c.category for c in filing.claims))
    found += representative_problems(chosen, collective=collective)
    if found:
        raise InvalidInput(found)
