"""Intake's passports: every dispute the network holds, as intake needs it to recognise a
complaint about one of them (keyword-only functions over the ``passports`` table).

Intake folds its own events when it writes them (inside the filing's transaction, under the
employer's filing lock, so the next filing sees them) and every other service's events as its
consumer applies them. Only intake knows the filers' ID numbers; it adds their blind indexes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.passport import Passport, fold
from labornet_common.platform import passport_store
from labornet_common.platform.uow import UnitOfWork
from labornet_intake.adapters.orm import passports
from labornet_intake.domain.matching import OpenCase
from labornet_intake.domain.model import Complaint


async def pending_against(*, session: AsyncSession, employer_key: str) -> dict[str, tuple[Passport, OpenCase]]:
    """Pending disputes against the employer, by case id, with what matching needs of each."""
    found = await passport_store.pending_against(session=session, table=passports, employer_key=employer_key)
    return {
        passport.case_id: (passport, OpenCase.of(passport, opened_at))
        for passport, opened_at in found
        # A dispute with a worker nobody identified cannot tell a repeat from a newcomer.
        if not passport.unidentified and passport.worker_keys
    }


async def get(*, session: AsyncSession, case_id: str) -> Passport | None:
    return await passport_store.load(session=session, table=passports, case_id=case_id)


async def record_filing(
    *,
    session: AsyncSession,
    complaint: Complaint,
    worker_key: str | None,
    worker_count: int,
    categories: frozenset[str],
    new: bool = False,
) -> Passport:
    """Fold the events the complaint is about to publish, and who filed. ``new``: the case was
    created in this transaction, so it has no passport yet (no lookup)."""
    before = (
        None
        if new
        else await passport_store.load(session=session, table=passports, case_id=complaint.case_id, for_update=True)
    )
    after = before
    for event in complaint.pending_events():
        after = fold(
            after, case_id=complaint.case_id, event_type=event.data.event_type, data=event.data.model_dump(mode="json")
        )
    after = (after or Passport(case_id=complaint.case_id, employer_key=complaint.employer_key)).with_workers(
        keys=frozenset({worker_key}) if worker_key else frozenset(),
        count=worker_count,
        unidentified=worker_key is None,
        categories=categories,
    )
    after = replace(after, employer_key=complaint.employer_key)  # intake's key is the one it matches on
    await passport_store.save(session=session, table=passports, passport=after, existed=before is not None)
    return after


async def on_event(
    *, uow: UnitOfWork, case_id: str, event_type: str, data: dict[str, Any], batch: Sequence[str] = ()
) -> None:
    """A service's event about a dispute (the consumer's inbox applies each once); ``batch``: the
    cases of the consumer batch, whose passports the first event reads with its own."""
    await passport_store.apply_event(
        uow=uow, table=passports, case_id=case_id, event_type=event_type, data=data, batch=batch
    )
