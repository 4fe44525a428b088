"""The worker's stage prompts (worker_prompts) and the opt-outs (prompt_opt_outs): queued,
picked up when due with the phone on file, marked sent or failed, listed per application."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_arbitration.adapters.orm import applications, prompt_opt_outs, worker_prompts

Session = AsyncSession  # what callers outside adapters/ name the session they pass in
COUNTED = ("pending", "sent", "failed")  # the prompts a daily limit counts


async def opted_out(*, session: AsyncSession, application_id: str) -> bool:
    query = select(prompt_opt_outs.c.application_id).where(prompt_opt_outs.c.application_id == application_id)
    return (await session.execute(query)).first() is not None


async def counted_since(*, session: AsyncSession, application_id: str, since: datetime) -> list[datetime]:
    """When the application's counted prompts were queued after ``since`` (in UTC)."""
    c = worker_prompts.c
    query = select(c.created_at).where(c.application_id == application_id, c.status.in_(COUNTED), c.created_at > since)
    return [
        r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=UTC) for r in await session.execute(query)
    ]


async def add(
    *, session: AsyncSession, prompt_id: str, application_id: str, stage: str, text: str, status: str, now: datetime
) -> None:
    await session.execute(
        insert(worker_prompts).values(
            prompt_id=prompt_id,
            application_id=application_id,
            stage=stage,
            text=text,
            status=status,
            attempts=0,
            next_attempt_at=now if status == "pending" else None,
            created_at=now,
        )
    )


async def due(*, session: AsyncSession, now: datetime, limit: int) -> Sequence[Any]:
    """Pending prompts whose attempt is due, each with the application's sealed phone."""
    c = worker_prompts.c
    query = (
        select(worker_prompts, applications.c.worker_phone_enc)
        .join(applications, applications.c.application_id == c.application_id)
        .where(c.status == "pending", c.next_attempt_at <= now)
        .order_by(c.next_attempt_at)
        .limit(limit)
    )
    return (await session.execute(query)).all()


async def mark(*, session: AsyncSession, prompt_id: str, attempts: int, values: dict[str, Any]) -> None:
    """Note an attempt, unless another sender noted one meanwhile (``attempts`` moved)."""
    c = worker_prompts.c
    await session.execute(
        update(worker_prompts).where(c.prompt_id == prompt_id, c.attempts == attempts).values(**values)
    )


async def set_opt_out(*, session: AsyncSession, application_id: str, opted_out: bool, by: str) -> None:
    """Opt the worker out (their pending prompts will not go) or back in."""
    await session.execute(delete(prompt_opt_outs).where(prompt_opt_outs.c.application_id == application_id))
    if not opted_out:
        return
    await session.execute(insert(prompt_opt_outs).values(application_id=application_id, by=by, at=datetime.now(UTC)))
    c = worker_prompts.c
    await session.execute(
        update(worker_prompts)
        .where(c.application_id == application_id, c.status == "pending")
        .values(status="opted_out", next_attempt_at=None)
    )


async def prompts_of(*, session: AsyncSession, application_id: str) -> list[dict[str, Any]]:
    c = worker_prompts.c
    query = (
        select(c.stage, c.text, c.status, c.attempts, c.created_at, c.sent_at)
        .where(c.application_id == application_id)
        .order_by(c.created_at, c.prompt_id)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]
