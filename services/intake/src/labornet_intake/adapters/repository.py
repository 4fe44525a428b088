"""Complaint storage (keyword-only functions over the unit of work's session).

ID numbers and phones are sealed here on the way in and opened on the way out: above this
module they are plaintext in memory, below it they exist only as ciphertext and blind index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy import update as sa_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import utcnow
from labornet_common.contracts.intake import ClaimSummary, RoutingReason
from labornet_common.platform.db import hold_row
from labornet_common.platform.pagination import PageRequest
from labornet_common.platform.uow import commit_state, register
from labornet_common.security.auth import Principal
from labornet_common.security.crypto import PiiCipher
from labornet_common.security.pii import PiiField
from labornet_common.security.visibility import visible_cases
from labornet_common.standards import normalise_phone, redact_pii, validate_id_number
from labornet_intake.adapters.orm import complaints, filing_keys, idempotency_keys
from labornet_intake.domain.model import Complaint
from labornet_intake.domain.policy import READ_ROLES

WORKER_ID_NUMBER = PiiField(
    name="worker_id_number",
    context="intake.complaints.worker_id_number",
    index_context="worker.id_number",
    normalise=lambda value: validate_id_number(value).number,
)
WORKER_PHONE = PiiField(
    name="worker_phone",
    context="intake.complaints.worker_phone",
    index_context="worker.phone",
    normalise=normalise_phone,
)


WORKER_RESIDENCE = PiiField(
    name="worker_residence", context="intake.complaints.worker_residence", index_context="worker.residence"
)
# Free text may name ID numbers and phones (a worker's, a co-worker's): stored masked in
# ``facts``, and as typed only encrypted, when masking changed something.
FACTS_FULL = PiiField(name="facts_full", context="intake.complaints.facts", index_context="complaint.facts")
# Columns that hold a Complaint attribute of the same name, as it is.
_PLAIN = (
    "case_id",
    "tracking_number",
    "channel",
    "status",
    "region_code",
    "workplace_division",
    "worker_name",
    "employer_name",
    "route",
    "received_at",
    "registered_at",
    "filed_by",
    "employer_uscc",
    "employer_address",
    "employer_division",
    "employer_key",
    "workplace_address",
    "other_workplaces",
    "project",
    "worker_count",
    "collective",
    "requested_route",
    "oral",
    "police_incident_number",
    "referred_by",
    "pending_proceedings",
    "employment_ended_on",
    "limitation_warning",
    "limitation_reason",
    "accepted_in_region",
    "joint_status",
    "joint_reason",
    "target_org_id",
    "target_org_name",
    "target_division",
)
# What can change after filing (routing, joint acceptance, joined filings).
_MUTABLE = (
    "status",
    "route",
    "region_code",
    "worker_count",
    "collective",
    "joint_status",
    "joint_reason",
    "target_org_id",
    "target_org_name",
    "target_division",
)


def _values(complaint: Complaint, names: tuple[str, ...]) -> dict[str, Any]:
    values = {name: getattr(complaint, name) for name in names}
    values["routing_reasons"] = [r.model_dump() for r in complaint.routing_reasons]
    return values


_HELD = "intake.cases.held"  # per transaction: case id -> whether intake holds the case, as read or added


def held_cases(session: AsyncSession) -> dict[str, bool]:
    """What this transaction knows of which cases intake holds (``records.case_exists``)."""
    return commit_state(session, _HELD)


async def add(*, session: AsyncSession, complaint: Complaint, cipher: PiiCipher) -> None:
    register(session, complaint)
    held_cases(session)[complaint.case_id] = True
    await session.execute(
        insert(complaints).values(
            **_values(complaint, _PLAIN),
            claims=[c.model_dump(mode="json") for c in complaint.claims],
            access_code_hash=complaint.access_code_hash,
            **WORKER_ID_NUMBER.seal(cipher, complaint.worker_id_number),
            **WORKER_PHONE.seal(cipher, complaint.worker_phone),
            **WORKER_RESIDENCE.seal(cipher, complaint.worker_residence),
            **_facts_columns(cipher, complaint.facts),
        )
    )


def _facts_columns(cipher: PiiCipher, facts: str) -> dict[str, Any]:
    masked = redact_pii(facts)
    return {"facts": masked, **FACTS_FULL.seal(cipher, facts if masked != facts else None)}


async def update(*, session: AsyncSession, complaint: Complaint) -> None:
    register(session, complaint)
    await session.execute(
        sa_update(complaints).where(complaints.c.case_id == complaint.case_id).values(**_values(complaint, _MUTABLE))
    )


def _from_row(row: Any, cipher: PiiCipher) -> Complaint:
    m = row._mapping
    plain = {name: m[name] for name in _PLAIN}
    plain["other_workplaces"] = plain["other_workplaces"] or []  # rows filed before 0003
    plain["employer_key"] = plain["employer_key"] or ""
    return Complaint(
        **plain,
        claims=[ClaimSummary.model_validate(c) for c in m["claims"]],
        routing_reasons=[RoutingReason.model_validate(r) for r in m["routing_reasons"] or ()],
        access_code_hash=m["access_code_hash"] or "",
        worker_id_number=WORKER_ID_NUMBER.open(cipher, m),
        worker_phone=WORKER_PHONE.open(cipher, m),
        worker_residence=WORKER_RESIDENCE.open(cipher, m),
        facts=FACTS_FULL.open(cipher, m) or m["facts"],
    )


async def get(*, session: AsyncSession, case_id: str, cipher: PiiCipher, for_update: bool = False) -> Complaint | None:
    query = select(complaints).where(complaints.c.case_id == case_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None:
        return None
    complaint = _from_row(row, cipher)
    register(session, complaint)
    return complaint


async def list_visible(
    *,
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    cipher: PiiCipher,
    worker_id_number: str | None = None,
    worker_phone: str | None = None,
) -> list[Complaint]:
    """One page more than asked for, newest first, so the caller knows whether more follow.

    ``worker_id_number`` / ``worker_phone`` narrow the page to one worker by blind index:
    the lookup never decrypts, and it stays inside the caller's scope like any list.
    """
    c = complaints.c
    narrowing = []
    if worker_id_number:
        narrowing.append(c.worker_id_number_bidx == WORKER_ID_NUMBER.index_of(cipher, worker_id_number))
    if worker_phone:
        narrowing.append(c.worker_phone_bidx == WORKER_PHONE.index_of(cipher, worker_phone))
    query = (
        select(complaints)
        .where(
            visible_cases(
                principal,
                staff_roles=READ_ROLES,
                case_id=c.case_id,
                divisions=[c.workplace_division, c.accepted_in_region],
            ),
            page.older_than_cursor(c.received_at, c.case_id),
            *narrowing,
        )
        .order_by(c.received_at.desc(), c.case_id.desc())
        .limit(page.limit + 1)
    )
    return [_from_row(row, cipher) for row in (await session.execute(query)).all()]


async def access_code_hash(*, session: AsyncSession, tracking_number: str) -> tuple[str, str] | None:
    """(case id, legacy scrypt access-code hash or "") for a tracking number, or None."""
    row = (
        await session.execute(
            select(complaints.c.case_id, complaints.c.access_code_hash).where(
                complaints.c.tracking_number == tracking_number
            )
        )
    ).first()
    if row is None:
        return None
    return row.case_id, row.access_code_hash or ""


async def hold_employer(*, session: AsyncSession, employer_key: str) -> None:
    """Lock the employer's filing key until the transaction ends (the row is made on first use):
    whoever holds it is the only filing deciding, against this employer, between duplicate,
    grouped and new, and acting on it."""
    await hold_row(session, filing_keys.c.employer_key, employer_key)


async def idempotent_response(*, session: AsyncSession, key: str) -> Any | None:
    return (await session.execute(select(idempotency_keys).where(idempotency_keys.c.key == key))).first()


class KeyTaken(Exception):
    """A concurrent request with the same idempotency key stored its answer first (the
    transaction is spent)."""


async def remember_response(
    *, session: AsyncSession, key: str, request_hash: str, status_code: int, response: Any
) -> None:
    """Store the answer under ``key``; a key stored meanwhile raises KeyTaken."""
    try:
        await session.execute(
            insert(idempotency_keys).values(
                key=key,
                request_hash=request_hash,
                status_code=status_code,
                response=response,
                created_at=utcnow(),
            )
        )
    except IntegrityError:
        raise KeyTaken(key) from None
