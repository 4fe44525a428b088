"""LDA Art. 29's five days to decide on acceptance run from the complaint's receipt as the
window's clerk recorded it (carried by intake's routed event), not from the day it was typed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from labornet_common.contracts.intake import ComplaintRouted
from tests.support.arbitration import cases_consumer, record_of

TYPED = datetime(2026, 10, 9, 2, 30, tzinfo=UTC)  # routed when typed in: 2026-10-09, 10:30 in China


async def _received(db, ctx, received_at: datetime) -> dict:
    case_id = str(uuid.uuid4())
    routed = ComplaintRouted(
        case_id=case_id,
        route="arbitration",
        target_org_id="arb-4103",
        target_division="410311",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        workplace_division="410311",
        received_at=received_at,
    )
    settled = await cases_consumer(db, ctx).process(
        **record_of(routed, source="/labornet/intake", sequence=1, at=TYPED)
    )
    assert settled.outcome == "applied"
    return next(
        e for e in await db.outbox("cn.labornet.arbitration.application.received.v1") if e["case_id"] == case_id
    )


async def test_five_days_from_a_receipt_before_national_day(db, ctx) -> None:
    # Received Monday 2026-09-28: the fifth day, 10-03, is in the National Day holiday
    # (10-01..10-07), so the decision is due on Thursday 2026-10-08 (not 10-14, five days from typing).
    received = await _received(db, ctx, datetime(2026, 9, 28, 2, 0, tzinfo=UTC))
    assert (received["received_on"], received["acceptance_due_on"]) == ("2026-09-28", "2026-10-08")


async def test_five_days_ending_on_a_make_up_sunday_do_not_roll(db, ctx) -> None:
    # Received Tuesday 2026-09-15: the fifth day is Sunday 2026-09-20, a make-up working day (调休).
    received = await _received(db, ctx, datetime(2026, 9, 15, 2, 0, tzinfo=UTC))
    assert (received["received_on"], received["acceptance_due_on"]) == ("2026-09-15", "2026-09-20")
