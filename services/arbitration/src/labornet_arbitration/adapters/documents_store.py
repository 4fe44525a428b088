"""Storing the commission's documents: numbered per commission and year, versioned, hashed.

``issue`` runs inside the transaction of the change that calls for the document, so the case
and its documents (number, version, text) commit or roll back together. The same draft again is
no new version; a changed draft of the same kind for the same application is a new version under
the same number. The PDF is rendered outside that transaction (``render_missing``: a CJK font
takes about a second to load, too long to hold the case's lock): rendering is reproducible, so
it does not matter who renders first.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_arbitration.adapters import pdf
from labornet_arbitration.adapters.orm import deliveries, document_counters, documents
from labornet_arbitration.domain import documents as drafts
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_common.platform.db import dialect_name
from labornet_common.platform.documents.draft import DocumentDraft

Session = AsyncSession  # what callers outside adapters/ name the session they pass in
LISTED = [c for c in documents.c if c.name not in ("content", "text", "paragraphs")]


async def _next_number(session: AsyncSession, commission_id: str, year: int) -> int:
    dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
    c = document_counters.c
    stmt = (
        dialect.insert(document_counters)
        .values(commission_id=commission_id, year=year, last_seq=1)
        .on_conflict_do_update(index_elements=[c.commission_id, c.year], set_={"last_seq": c.last_seq + 1})
        .returning(c.last_seq)
    )
    return int((await session.execute(stmt)).scalar_one())


def number_of(commission_id: str, year: int, seq: int) -> str:
    return f"{commission_id}文〔{year}〕{seq}号"


async def issue(*, session: AsyncSession, case: ArbitrationCase, draft: DocumentDraft) -> dict[str, Any] | None:
    """Store the draft, numbered; None when the latest version already says the same."""
    c = documents.c
    latest = (
        await session.execute(
            select(c.number, c.version, c.text)
            .where(c.application_id == case.application_id, c.kind == draft.kind)
            .order_by(c.version.desc())
            .limit(1)
        )
    ).first()
    if latest is not None and latest.text == draft.text:
        return None
    if latest is None:
        number = number_of(
            case.commission_id,
            draft.issued_on.year,
            await _next_number(session, case.commission_id, draft.issued_on.year),
        )
        version = 1
    else:
        number, version = latest.number, latest.version + 1
    row = {
        "document_id": str(uuid.uuid4()),
        "application_id": case.application_id,
        "case_id": case.case_id,
        "commission_id": case.commission_id,
        "kind": draft.kind,
        "number": number,
        "version": version,
        "title": draft.title,
        "issued_on": draft.issued_on,
        "text": draft.text,
        "paragraphs": list(draft.paragraphs),
        "created_at": datetime.now(UTC),
    }
    await session.execute(documents.insert().values(**row))
    return row


async def listed(*, session: AsyncSession, application_id: str) -> list[dict[str, Any]]:
    c = documents.c
    query = select(*LISTED).where(c.application_id == application_id).order_by(c.issued_on, c.kind, c.version)
    rows = (await session.execute(query)).all()
    known = set(
        (
            await session.execute(select(deliveries.c.delivery_id).where(deliveries.c.application_id == application_id))
        ).scalars()
    )
    return [_listed(dict(r._mapping), known) for r in rows]


def _listed(row: dict[str, Any], deliveries_known: set[str]) -> dict[str, Any]:
    """A 送达回证 is listed as ``proof_of_service``, with the delivery it records when it records
    one (an award served by staff on a party without electronic service has none)."""
    delivery_id = drafts.delivery_of(row["kind"])
    if delivery_id is None:
        return {**row, "delivery_id": None}
    known = delivery_id if delivery_id in deliveries_known else None
    return {**row, "kind": drafts.PROOF_OF_SERVICE, "delivery_id": known}


async def latest_of(*, session: AsyncSession, application_id: str, kinds: frozenset[str]) -> dict[str, Any] | None:
    """The latest version of the application's document of one of ``kinds`` (e.g. its award)."""
    c = documents.c
    query = (
        select(*LISTED)
        .where(c.application_id == application_id, c.kind.in_(sorted(kinds)))
        .order_by(c.created_at.desc(), c.version.desc())
        .limit(1)
    )
    row = (await session.execute(query)).first()
    return None if row is None else dict(row._mapping)


async def one(*, session: AsyncSession, application_id: str, document_id: str) -> dict[str, Any] | None:
    c = documents.c
    query = select(documents).where(c.application_id == application_id, c.document_id == document_id)
    row = (await session.execute(query)).first()
    return None if row is None else dict(row._mapping)


def draft_of(row: dict[str, Any]) -> DocumentDraft:
    return DocumentDraft(row["kind"], row["title"], row["issued_on"], tuple(row["paragraphs"]))


async def render_missing(*, session: AsyncSession, row: dict[str, Any], font: Path) -> dict[str, Any]:
    """The row with its PDF: rendered (in a thread) and stored when it has none yet."""
    if row.get("content") is not None:
        return row
    content = await asyncio.to_thread(
        pdf.render, draft_of(row), number=row["number"], version=row["version"], font=font
    )
    values = {"content": content, "sha256": pdf.sha256(content), "size_bytes": len(content)}
    c = documents.c
    await session.execute(
        update(documents).where(c.document_id == row["document_id"], c.content.is_(None)).values(**values)
    )
    return {**row, **values}
