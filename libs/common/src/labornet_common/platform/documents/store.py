"""A service's documents stored: numbered per issuing body and year, versioned, hashed.

Each service has its own two tables (``document_tables``): the documents, keyed by the record
they belong to (``subject_id``: a mediation case, a complaint), and a counter per issuing body
(centre, intake office) and year. ``issue`` runs inside the transaction of the change that calls
for the document, so the change and its document commit or roll back together. The same draft
again is no new version; a changed draft of the same kind for the same record is a new version
under the same number. The PDF is rendered outside that transaction (``render_missing``: a CJK
font takes about a second to load, too long to hold a lock); rendering is reproducible, so it does
not matter who renders first.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.platform.db import dialect_name
from labornet_common.platform.documents import pdf
from labornet_common.platform.documents.draft import DocumentDraft

Numbering = Callable[[str, int, int], str]  # (issuer id, year, sequence) -> 文书编号


@dataclass(frozen=True)
class DocumentTables:
    documents: Table
    counters: Table

    @property
    def listed(self) -> list[Column[Any]]:
        return [c for c in self.documents.c if c.name not in ("content", "text", "paragraphs")]


def document_tables(metadata: MetaData, prefix: str) -> DocumentTables:
    """``{prefix}_documents`` and ``{prefix}_document_counters`` (e.g. ``mediation_documents``)."""
    documents = Table(
        f"{prefix}_documents",
        metadata,
        Column("document_id", String(36), primary_key=True),
        Column("subject_id", String(36), nullable=False, index=True),
        Column("case_id", String(36), nullable=False, index=True),
        Column("issuer_id", String(40), nullable=False),
        Column("kind", String(40), nullable=False),
        Column("number", String(80), nullable=False),
        Column("version", Integer, nullable=False),
        Column("title", String(40), nullable=False),
        Column("issued_on", Date, nullable=False),
        Column("text", Text, nullable=False),
        Column("paragraphs", JSON, nullable=False),
        Column("sha256", String(64)),
        Column("size_bytes", Integer),
        Column("content", LargeBinary),
        Column("created_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("subject_id", "kind", "version", name=f"uq_{prefix}_documents_kind_version"),
        UniqueConstraint("number", "version", name=f"uq_{prefix}_documents_number_version"),
    )
    counters = Table(
        f"{prefix}_document_counters",
        metadata,
        Column("issuer_id", String(40), primary_key=True),
        Column("year", Integer, primary_key=True, autoincrement=False),
        Column("last_seq", Integer, nullable=False),
    )
    return DocumentTables(documents, counters)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


async def _next_seq(session: AsyncSession, tables: DocumentTables, issuer_id: str, year: int) -> int:
    dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
    c = tables.counters.c
    stmt = (
        dialect.insert(tables.counters)
        .values(issuer_id=issuer_id, year=year, last_seq=1)
        .on_conflict_do_update(index_elements=[c.issuer_id, c.year], set_={"last_seq": c.last_seq + 1})
        .returning(c.last_seq)
    )
    return int((await session.execute(stmt)).scalar_one())


async def issue(
    *,
    session: AsyncSession,
    tables: DocumentTables,
    subject_id: str,
    case_id: str,
    issuer_id: str,
    draft: DocumentDraft,
    numbering: Numbering,
) -> dict[str, Any] | None:
    """Store the draft, numbered; None when the latest version of its kind already says the same."""
    c = tables.documents.c
    latest = (
        await session.execute(
            select(c.number, c.version, c.text)
            .where(c.subject_id == subject_id, c.kind == draft.kind)
            .order_by(c.version.desc())
            .limit(1)
        )
    ).first()
    if latest is not None and latest.text == draft.text:
        return None
    if latest is None:
        year = draft.issued_on.year
        number, version = numbering(issuer_id, year, await _next_seq(session, tables, issuer_id, year)), 1
    else:
        number, version = latest.number, latest.version + 1
    row = {
        "document_id": str(uuid.uuid4()),
        "subject_id": subject_id,
        "case_id": case_id,
        "issuer_id": issuer_id,
        "kind": draft.kind,
        "number": number,
        "version": version,
        "title": draft.title,
        "issued_on": draft.issued_on,
        "text": draft.text,
        "paragraphs": list(draft.paragraphs),
        "sha256": None,  # the PDF is rendered when first read
        "size_bytes": None,
        "created_at": datetime.now(UTC),
    }
    await session.execute(tables.documents.insert().values(**row))
    return row


async def listed(*, session: AsyncSession, tables: DocumentTables, subject_id: str) -> list[dict[str, Any]]:
    c = tables.documents.c
    query = select(*tables.listed).where(c.subject_id == subject_id).order_by(c.issued_on, c.kind, c.version)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def one(
    *, session: AsyncSession, tables: DocumentTables, subject_id: str, document_id: str
) -> dict[str, Any] | None:
    c = tables.documents.c
    query = select(tables.documents).where(c.subject_id == subject_id, c.document_id == document_id)
    row = (await session.execute(query)).first()
    return None if row is None else dict(row._mapping)


def draft_of(row: dict[str, Any]) -> DocumentDraft:
    return DocumentDraft(row["kind"], row["title"], row["issued_on"], tuple(row["paragraphs"]))


async def render_missing(
    *, session: AsyncSession, tables: DocumentTables, row: dict[str, Any], font: Path
) -> dict[str, Any]:
    """The row with its PDF: rendered (in a thread) and stored when it has none yet."""
    if row.get("content") is not None:
        return row
    content = await asyncio.to_thread(
        pdf.render, draft_of(row), number=row["number"], version=row["version"], font=font
    )
    values = {"content": content, "sha256": pdf.sha256(content), "size_bytes": len(content)}
    c = tables.documents.c
    await session.execute(
        update(tables.documents).where(c.document_id == row["document_id"], c.content.is_(None)).values(**values)
    )
    return {**row, **values}
