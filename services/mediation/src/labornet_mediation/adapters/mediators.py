"""The mediators of each centre, and the demo roster seeded for the seed regions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import false, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from labornet_common.reference import OrganisationDirectory
from labornet_common.security.visibility import division_prefix
from labornet_mediation.adapters.orm import mediators
from labornet_mediation.domain.model import MediatorRef

SEED_FILE = Path(__file__).resolve().parent.parent / "data" / "mediators.json"


def _ref(row: Any) -> MediatorRef:
    return MediatorRef(mediator_id=row.mediator_id, subject=row.subject, name=row.name)


async def at_centre(*, session: AsyncSession, centre_id: str, active_only: bool = True) -> list[Any]:
    query = select(mediators).where(mediators.c.centre_id == centre_id).order_by(mediators.c.mediator_id)
    if active_only:
        query = query.where(mediators.c.active.is_(True))
    return list((await session.execute(query)).all())


async def refs_at_centre(*, session: AsyncSession, centre_id: str) -> list[MediatorRef]:
    return [_ref(row) for row in await at_centre(session=session, centre_id=centre_id)]


async def get(*, session: AsyncSession, mediator_id: str) -> Any | None:
    return (await session.execute(select(mediators).where(mediators.c.mediator_id == mediator_id))).first()


async def of_subject(*, session: AsyncSession, subject: str, centre_id: str | None) -> MediatorRef | None:
    """The signed-in mediator's own roster entry at ``centre_id``, if they serve there."""
    if centre_id is None:
        return None
    query = select(mediators).where(
        mediators.c.subject == subject, mediators.c.centre_id == centre_id, mediators.c.active.is_(True)
    )
    row = (await session.execute(query)).first()
    return _ref(row) if row else None


async def in_divisions(*, session: AsyncSession, prefixes: list[str] | None, centre_id: str | None) -> list[Any]:
    query = select(mediators).order_by(mediators.c.centre_id, mediators.c.mediator_id)
    if centre_id:
        query = query.where(mediators.c.centre_id == centre_id)
    if prefixes is not None:
        query = query.where(or_(false(), *(division_prefix(mediators.c.division_code, p) for p in prefixes)))
    return list((await session.execute(query)).all())


async def at_centre_by_subject(*, session: AsyncSession, subject: str, centre_id: str) -> Any | None:
    query = select(mediators).where(mediators.c.subject == subject, mediators.c.centre_id == centre_id)
    return (await session.execute(query)).first()


class AlreadyEnrolled(Exception):
    """Another transaction enrolled the same mediator id (or subject at the centre) first; the
    transaction is spent."""


async def enrol(
    *, session: AsyncSession, mediator_id: str, subject: str, name: str, centre_id: str, division_code: str
) -> None:
    try:
        await session.execute(
            insert(mediators).values(
                mediator_id=mediator_id,
                subject=subject,
                name=name,
                centre_id=centre_id,
                division_code=division_code,
                active=True,
            )
        )
    except IntegrityError:
        raise AlreadyEnrolled(mediator_id) from None


async def move(*, session: AsyncSession, mediator_id: str, centre_id: str, division_code: str) -> None:
    await session.execute(
        update(mediators)
        .where(mediators.c.mediator_id == mediator_id)
        .values(centre_id=centre_id, division_code=division_code)
    )


async def retire(*, session: AsyncSession, mediator_id: str, on: Any) -> None:
    await session.execute(
        update(mediators).where(mediators.c.mediator_id == mediator_id).values(active=False, retired_on=on)
    )


def seed_rows(directory: OrganisationDirectory, path: Path = SEED_FILE) -> list[dict[str, Any]]:
    """The roster file's entries whose centre is in the register (a deployment's own register
    may not hold every seed centre)."""
    with open(path, encoding="utf-8") as fh:
        entries = json.load(fh)["mediators"]
    rows = []
    for entry in entries:
        centre = directory.centre(entry["centre_id"])
        if centre is not None:
            rows.append({**entry, "division_code": centre.division_code, "active": True})
    return rows


async def seed(engine: AsyncEngine, directory: OrganisationDirectory) -> int:
    """Insert the roster entries not yet present. Replicas starting together may race: the
    primary key refuses the loser's batch, and the winner's rows are the same rows."""
    async with engine.connect() as conn:
        known = set(await conn.scalars(select(mediators.c.mediator_id)))
    missing = [row for row in seed_rows(directory) if row["mediator_id"] not in known]
    if not missing:
        return 0
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(mediators), missing)
    except IntegrityError:
        return 0
    return len(missing)
