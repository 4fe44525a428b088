"""Filings, the worker's timeline and joint-acceptance forwardings (keyword-only functions)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import false, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import utcnow
from labornet_common.contracts.intake import ClaimSummary
from labornet_common.platform.db import insert_new_rows
from labornet_common.platform.uow import UnitOfWork, commit_state
from labornet_common.security.auth import normalise_access_code
from labornet_common.security.crypto import PiiCipher
from labornet_common.security.visibility import division_prefix
from labornet_intake.adapters.orm import complaints, filings, joint_forwards, timeline
from labornet_intake.adapters.repository import WORKER_ID_NUMBER, WORKER_PHONE, held_cases

# -- filings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilingRecord:
    filing_id: str
    case_id: str
    kind: str
    channel: str
    filed_at: datetime
    filed_by: str | None
    worker_name: str
    worker_count: int
    claims: list[ClaimSummary]
    worker_id_number: str | None
    worker_phone: str | None
    access_code_index: str | None = None


async def add_filing(*, session: AsyncSession, filing: FilingRecord, cipher: PiiCipher) -> None:
    await session.execute(
        insert(filings).values(
            filing_id=filing.filing_id,
            case_id=filing.case_id,
            kind=filing.kind,
            channel=filing.channel,
            filed_at=filing.filed_at,
            filed_by=filing.filed_by,
            worker_name=filing.worker_name,
            worker_count=filing.worker_count,
            claims=[c.model_dump(mode="json") for c in filing.claims],
            **WORKER_ID_NUMBER.seal(cipher, filing.worker_id_number),
            **WORKER_PHONE.seal(cipher, filing.worker_phone),
            access_code_bidx=filing.access_code_index,
        )
    )


def worker_key(cipher: PiiCipher, id_number: str | None) -> str | None:
    """The blind index of a worker's ID number: equal numbers match, nothing is decrypted."""
    return WORKER_ID_NUMBER.index_of(cipher, id_number) if id_number else None


# An access code is 8 characters drawn by the server from 31 (about 2**39.6 possibilities), never
# chosen by a person, so it needs no slow password hash: a keyed hash (HMAC-SHA-256 under the PII
# index key, which lives outside the database) makes a stolen table useless without the key, and
# the gateway's attempt limits stop online guessing. A keyed hash also finds the filing by its
# code in one indexed lookup, however many co-workers joined the case.
_ACCESS_CODE_CONTEXT = "intake.worker-access-code"


def access_code_index(cipher: PiiCipher, code: str) -> str:
    return cipher.blind_index(normalise_access_code(code), context=_ACCESS_CODE_CONTEXT)


async def filing_with_code(*, session: AsyncSession, case_id: str, code_index: str) -> str | None:
    """The filing of ``case_id`` whose filer was given this code, if any."""
    f = filings.c
    return await session.scalar(
        select(f.filing_id).where(f.case_id == case_id, f.access_code_bidx == code_index).limit(1)
    )


async def rekey_legacy_code(*, session: AsyncSession, case_id: str, legacy_hash: str, code_index: str) -> None:
    """Key a code checked against a case's legacy scrypt hash: its first filer's filing takes the
    keyed hash and the case drops the scrypt hash (only if it still holds that one)."""
    f = filings.c
    await session.execute(
        update(filings)
        .where(f.case_id == case_id, f.kind == "created", f.access_code_bidx.is_(None))
        .values(access_code_bidx=code_index)
    )
    c = complaints.c
    await session.execute(
        update(complaints).where(c.case_id == case_id, c.access_code_hash == legacy_hash).values(access_code_hash="")
    )


async def filings_of(*, session: AsyncSession, case_id: str) -> list[dict[str, Any]]:
    f = filings.c
    rows = (
        await session.execute(
            select(f.filing_id, f.kind, f.channel, f.filed_at, f.worker_count)
            .where(f.case_id == case_id)
            .order_by(f.filed_at, f.filing_id)
        )
    ).all()
    return [dict(row._mapping) for row in rows]


# -- timeline ------------------------------------------------------------------------------


_NOTES = "intake.timeline.queued"  # per transaction: the consumed events' lines, by entry id


async def add_note(
    *,
    uow: UnitOfWork,
    case_id: str,
    text_zh: str,
    entry_id: str,
    source: str = "intake",
    event_type: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append the line of a consumed event, under the event's id, when the transaction commits:
    the lines of a consumer batch go in one statement, and a redelivered event adds nothing (the
    insert skips a known id). Lines of no event are ``add_notes``."""
    queued: dict[str, dict[str, Any]] = commit_state(uow.session, _NOTES)
    queued[entry_id] = {
        "entry_id": entry_id,
        "case_id": case_id,
        "at": at or utcnow(),
        "source": source,
        "event_type": event_type,
        "text_zh": text_zh,
    }

    async def write() -> None:
        rows = [queued[key] for key in sorted(queued)]  # in key order, the order inserts lock in
        queued.clear()
        await insert_new_rows(uow.session, timeline, rows, key=timeline.c.entry_id)

    uow.before_commit(("intake.timeline",), write)


async def add_notes(*, session: AsyncSession, case_id: str, texts: list[str]) -> None:
    """Append new lines, in their order, sent as one batch (none: nothing sent). Each line is a
    microsecond after the one before: the timeline reads in the order of ``at``."""
    if not texts:
        return
    now = utcnow()
    await session.execute(
        insert(timeline),
        [
            {
                "entry_id": str(uuid.uuid4()),
                "case_id": case_id,
                "at": now + timedelta(microseconds=n),
                "source": "intake",
                "event_type": None,
                "text_zh": text,
            }
            for n, text in enumerate(texts)
        ],
    )


async def timeline_of(*, session: AsyncSession, case_id: str) -> list[dict[str, Any]]:
    t = timeline.c
    rows = (
        await session.execute(select(t.at, t.source, t.text_zh).where(t.case_id == case_id).order_by(t.at, t.entry_id))
    ).all()
    return [dict(row._mapping) for row in rows]


async def case_exists(*, session: AsyncSession, case_id: str, batch: Sequence[str] = ()) -> bool:
    """Whether intake holds the case. The transaction's first question about a case it has not
    read asks about the cases of ``batch`` too (a consumer batch's), in one statement."""
    held = held_cases(session)
    if case_id not in held:
        wanted = sorted({case_id, *batch} - held.keys())
        found = set(await session.scalars(select(complaints.c.case_id).where(complaints.c.case_id.in_(wanted))))
        held.update({c: c in found for c in wanted})
    return held[case_id]


# -- joint acceptance ----------------------------------------------------------------------


async def get_forward(*, session: AsyncSession, forward_id: str) -> dict[str, Any] | None:
    row = (await session.execute(select(joint_forwards).where(joint_forwards.c.forward_id == forward_id))).first()
    return None if row is None else dict(row._mapping)


async def add_forward(
    *,
    session: AsyncSession,
    forward_id: str,
    case_id: str,
    accepting_region: str,
    target_region: str,
    requested_on: date,
    answer_due_on: date | None,
) -> None:
    await session.execute(
        insert(joint_forwards).values(
            forward_id=forward_id,
            case_id=case_id,
            accepting_region=accepting_region,
            target_region=target_region,
            status="pending",
            requested_on=requested_on,
            answer_due_on=answer_due_on,
            delivered_at=utcnow(),
        )
    )


async def answer_forward(
    *, session: AsyncSession, forward_id: str, status: str, reason: str, answered_by: str | None
) -> None:
    await session.execute(
        update(joint_forwards)
        .where(joint_forwards.c.forward_id == forward_id)
        .values(status=status, reason=reason, answered_by=answered_by, answered_at=utcnow())
    )


async def pending_forwards(*, session: AsyncSession) -> list[dict[str, Any]]:
    """Every forwarding still waiting for the asked region's answer."""
    query = select(joint_forwards).where(joint_forwards.c.status == "pending")
    return [dict(row) for row in (await session.execute(query)).mappings()]


async def move_answer_due(*, session: AsyncSession, forward_id: str, due_on: date) -> None:
    await session.execute(
        update(joint_forwards).where(joint_forwards.c.forward_id == forward_id).values(answer_due_on=due_on)
    )


async def forwards_in(*, session: AsyncSession, scopes: tuple[str, ...], status: str | None) -> list[dict[str, Any]]:
    """Forwardings to or from the caller's regions (``*`` is everywhere), oldest first."""
    j = joint_forwards.c
    query = select(joint_forwards).order_by(j.requested_on, j.forward_id).limit(200)
    if "*" not in scopes:
        query = query.where(
            or_(
                false(),
                *(division_prefix(col, scope) for scope in scopes for col in (j.target_region, j.accepting_region)),
            )
        )
    if status:
        query = query.where(j.status == status)
    return [dict(row._mapping) for row in (await session.execute(query)).all()]
