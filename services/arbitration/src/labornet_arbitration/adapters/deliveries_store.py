"""The e-service tables: the parties' consents and the deliveries of each document (their sends,
receipts and manual service). Each guarded update answers whether it changed the row, so a
receipt or a record of service that another transaction committed first is seen by the caller."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_arbitration.adapters.orm import applications, deliveries, documents, e_service_consents

Session = AsyncSession  # what callers outside adapters/ name the session they pass in
SERVED = ("received", "manual")


async def application_row(session: AsyncSession, application_id: str) -> dict[str, Any] | None:
    """The application's stored row (its sealed PII with it)."""
    row = (await session.execute(select(applications).where(applications.c.application_id == application_id))).first()
    return None if row is None else dict(row._mapping)


async def delete_consent(session: AsyncSession, application_id: str, party: str) -> None:
    c = e_service_consents.c
    await session.execute(delete(e_service_consents).where(c.application_id == application_id, c.party == party))


async def replace_consent(session: AsyncSession, values: Mapping[str, Any]) -> None:
    await delete_consent(session, values["application_id"], values["party"])
    await session.execute(insert(e_service_consents).values(**values))


async def consents_of(session: AsyncSession, application_id: str) -> Sequence[Any]:
    c = e_service_consents.c
    return (await session.execute(select(e_service_consents).where(c.application_id == application_id))).all()


async def consents_listed(session: AsyncSession, application_id: str) -> list[dict[str, Any]]:
    c = e_service_consents.c
    query = select(c.party, c.channel, c.address_masked).where(c.application_id == application_id)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def add(session: AsyncSession, values: Mapping[str, Any]) -> None:
    await session.execute(insert(deliveries).values(**values))


async def due(session: AsyncSession, now: datetime, limit: int = 20) -> Sequence[Any]:
    """Pending deliveries whose time has come, with the document's title and the case number."""
    c = deliveries.c
    query = (
        select(deliveries, documents.c.title, applications.c.case_number)
        .join(documents, documents.c.document_id == c.document_id)
        .join(applications, applications.c.application_id == c.application_id)
        .where(c.status == "pending", c.next_attempt_at <= now)
        .order_by(c.next_attempt_at)
        .limit(limit)
    )
    return (await session.execute(query)).all()


async def record_attempt(session: AsyncSession, delivery_id: str, attempts: int, values: Mapping[str, Any]) -> None:
    """A send's outcome, written only if no other sender recorded this attempt meanwhile."""
    c = deliveries.c
    await session.execute(
        update(deliveries)
        .where(c.delivery_id == delivery_id, c.status == "pending", c.attempts == attempts)
        .values(**values)
    )


async def get(session: AsyncSession, delivery_id: str, application_id: str | None = None) -> Any | None:
    c = deliveries.c
    query = select(deliveries).where(c.delivery_id == delivery_id)
    if application_id is not None:
        query = query.where(c.application_id == application_id)
    return (await session.execute(query)).first()


async def of_party(session: AsyncSession, document_id: str, party: str) -> list[dict[str, Any]]:
    c = deliveries.c
    query = select(deliveries).where(c.document_id == document_id, c.party == party)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def document_header(session: AsyncSession, document_id: str) -> Any:
    c = documents.c
    return (await session.execute(select(c.title, c.number, c.version).where(c.document_id == document_id))).one()


async def document_issued_on(session: AsyncSession, document_id: str) -> date:
    c = documents.c
    issued: date = (await session.execute(select(c.issued_on).where(c.document_id == document_id))).scalar_one()
    return issued


async def mark_received(session: AsyncSession, delivery_id: str, *, at: datetime, receipt: str) -> bool:
    """The first receipt; False when the delivery was already served."""
    c = deliveries.c
    done = await session.execute(
        update(deliveries)
        .where(c.delivery_id == delivery_id, c.status.not_in(SERVED))
        .values(status="received", received_at=at, receipt=receipt, next_attempt_at=None)
        .returning(c.delivery_id)
    )
    return done.first() is not None


async def mark_manual(session: AsyncSession, delivery_id: str, *, served_on: date, served_by: str) -> bool:
    """Manual service recorded; False when the delivery was already served."""
    c = deliveries.c
    done = await session.execute(
        update(deliveries)
        .where(c.delivery_id == delivery_id, c.status.not_in(SERVED))
        .values(status="manual", served_on=served_on, served_by=served_by, receipt="manual", next_attempt_at=None)
        .returning(c.delivery_id)
    )
    return done.first() is not None


async def sms_undelivered(session: AsyncSession, delivery_id: str, values: Mapping[str, Any]) -> None:
    c = deliveries.c
    await session.execute(update(deliveries).where(c.delivery_id == delivery_id, c.status == "sent").values(**values))


async def reset(session: AsyncSession, delivery_id: str, now: datetime) -> None:
    c = deliveries.c
    await session.execute(
        update(deliveries)
        .where(c.delivery_id == delivery_id)
        .values(status="pending", attempts=0, next_attempt_at=now, last_error=None)
    )


async def listed(session: AsyncSession, application_id: str) -> list[dict[str, Any]]:
    """The application's deliveries, addresses masked only."""
    c = deliveries.c
    columns = [col for col in deliveries.c if col.name not in ("address_enc", "address_bidx")]
    query = select(*columns).where(c.application_id == application_id).order_by(c.created_at, c.delivery_id)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def proofs_of(session: AsyncSession, application_id: str, prefix: str) -> list[tuple[str, str]]:
    """(kind, document id) of the application's 送达回证 (stored kinds starting with ``prefix``)."""
    c = documents.c
    query = select(c.kind, c.document_id).where(c.application_id == application_id, c.kind.startswith(prefix))
    return [(r.kind, r.document_id) for r in (await session.execute(query)).all()]
