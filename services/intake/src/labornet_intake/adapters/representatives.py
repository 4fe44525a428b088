"""Representatives of collective disputes (keyword-only functions over the unit of work's session).

ID numbers and phones are sealed here like the worker's: encrypted under their own context, with
the worker's blind-index contexts, so a representative is found by the same lookups as a worker.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import utcnow
from labornet_common.security.crypto import PiiCipher
from labornet_common.security.pii import PiiField
from labornet_common.standards import normalise_phone, validate_id_number
from labornet_intake.adapters.orm import representatives
from labornet_intake.domain.representatives import Representative

ID_NUMBER = PiiField(
    name="id_number",
    context="intake.representatives.id_number",
    index_context="worker.id_number",
    normalise=lambda value: validate_id_number(value).number,
)
PHONE = PiiField(
    name="phone", context="intake.representatives.phone", index_context="worker.phone", normalise=normalise_phone
)


async def replace(
    *,
    session: AsyncSession,
    case_id: str,
    chosen: Sequence[Representative],
    cipher: PiiCipher,
    recorded_by: str | None,
) -> None:
    """The case's representatives become ``chosen`` (the caller holds the complaint's row lock)."""
    await session.execute(delete(representatives).where(representatives.c.case_id == case_id))
    now = utcnow()
    for position, person in enumerate(chosen):
        await session.execute(
            insert(representatives).values(
                case_id=case_id,
                position=position,
                name=person.name.strip(),
                recorded_at=now,
                recorded_by=recorded_by,
                **ID_NUMBER.seal(cipher, person.id_number),
                **PHONE.seal(cipher, person.phone),
            )
        )


async def of_cases(
    *, session: AsyncSession, case_ids: Iterable[str], cipher: PiiCipher
) -> dict[str, list[Representative]]:
    """Each case's representatives in their order (a case without any is absent)."""
    wanted = list(dict.fromkeys(case_ids))
    if not wanted:
        return {}
    r = representatives.c
    rows = (
        await session.execute(select(representatives).where(r.case_id.in_(wanted)).order_by(r.case_id, r.position))
    ).all()
    found: dict[str, list[Representative]] = defaultdict(list)
    for row in rows:
        m = row._mapping
        found[m["case_id"]].append(
            Representative(name=m["name"], id_number=ID_NUMBER.open(cipher, m), phone=PHONE.open(cipher, m))
        )
    return dict(found)
