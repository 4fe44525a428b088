"""Workers joining an application after it was lodged (intake grouped their filings into the case).

LDA Art. 7: ten or more workers with a common claim make a collective dispute. Rules Art. 46(一):
adding parties (追加当事人) to an accepted case restarts the award period from that day. Each
intake filing joins once, however often its event is delivered.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from labornet_arbitration.domain import clocks
from labornet_arbitration.domain.model import ACTIVE, UNDECIDED, ArbitrationCase
from labornet_arbitration.domain.tribunal import COLLECTIVE_WORKERS
from labornet_common.contracts.arbitration import PartiesJoined
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.reference.calendar import LegalCalendar

__all__ = ["ACTIVE", "JOINABLE", "is_collective", "join_workers"]

# Parties can still be added: before an award settles who they are.
JOINABLE = UNDECIDED | ACTIVE | {"SUSPENDED"}


def is_collective(worker_count: int, claims: list[dict[str, Any]]) -> bool:
    # LDA Art. 7: 劳动者一方在十人以上，并有共同请求的
    return worker_count >= COLLECTIVE_WORKERS and bool(claims)


def join_workers(
    case: ArbitrationCase,
    *,
    filing_id: str,
    worker_count: int,
    worker_keys: list[str],
    claims: list[ClaimSummary],
    on: date,
    text_zh: str,
    calendar: LegalCalendar,
) -> bool:
    """Add the filing's workers and claims; False when this filing already joined or the case
    no longer takes parties."""
    if filing_id in case.joined_filings or case.status not in JOINABLE:
        return False
    case.joined_filings = [*case.joined_filings, filing_id]
    case.worker_count = max(case.worker_count, worker_count)
    case.worker_keys = sorted(set(case.worker_keys) | set(worker_keys))
    case.claims = case.claims + [c.model_dump(mode="json") for c in claims if c.category not in case.categories]
    case.collective = case.collective or is_collective(case.worker_count, case.claims)
    restarted = case.status in ACTIVE
    if restarted:
        # Rules Art. 46(一): 追加当事人 -> the award period runs again from the day of joining
        case.award_clock_start, case.paused_days, case.award_overdue_on = on, 0, None
        case.award_due_on = clocks.award_due(calendar, on, extension_days=case.extension_days)
    case.note(on, "parties_joined", text_zh, filing_id=filing_id, worker_count=case.worker_count)
    case.record(
        PartiesJoined(
            case_id=case.case_id,
            application_id=case.application_id,
            division_code=case.division_code,
            filing_id=filing_id,
            joined_on=on,
            worker_count=case.worker_count,
            collective=case.collective,
            worker_keys=case.worker_keys,
            claims=claims,
            award_due_on=case.award_due_on if restarted else None,
        )
    )
    return True
