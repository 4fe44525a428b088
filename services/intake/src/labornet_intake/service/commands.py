"""Filing a complaint. Only the unit of work commits."""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from labornet_common.api_auth import ANONYMOUS_SUBJECT, unauthorized
from labornet_common.auth import Principal, generate_access_code, hash_access_code
from labornet_common.contracts.intake import ClaimSummary, RoutingReason
from labornet_common.crypto import PiiCipher
from labornet_common.errors import Problem
from labornet_common.events import utcnow
from labornet_common.uow import UnitOfWork
from labornet_intake.adapters import repository
from labornet_intake.domain import policy
from labornet_intake.domain.model import Complaint


@dataclass(frozen=True)
class FileComplaint:
    channel: str
    workplace_division: str
    worker_name: str
    employer_name: str
    facts: str
    claims: list[ClaimSummary]
    worker_id_number: str | None = None
    worker_phone: str | None = None


@dataclass(frozen=True)
class Filed:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False


def _hash(cmd: FileComplaint) -> str:
    raw = json.dumps(
        {**cmd.__dict__, "claims": [c.model_dump() for c in cmd.claims]},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def _scoped_key(principal: Principal | None, key: str | None) -> str | None:
    """Idempotency keys are per caller: nobody replays (and so reads) another's answer."""
    if not key:
        return None
    owner = principal.subject if principal is not None else ANONYMOUS_SUBJECT
    return hashlib.sha256(f"{owner}\x00{key}".encode()).hexdigest()


async def file_complaint(
    *,
    uow: UnitOfWork,
    cmd: FileComplaint,
    principal: Principal | None,
    cipher: PiiCipher,
    idempotency_key: str | None = None,
) -> Filed:
    """Store a complaint and its events; a repeated Idempotency-Key replays the first answer.

    The answer carries the worker's access code once. The remembered answer (for replays)
    does not: only the code's scrypt hash is ever stored.
    """
    if not policy.may_file(principal, channel=cmd.channel, workplace_division=cmd.workplace_division):
        raise unauthorized() if principal is None else Problem(403, "filing.clerk_required")
    request_hash = _hash(cmd)
    idempotency_key = _scoped_key(principal, idempotency_key)
    access_code = generate_access_code()
    # scrypt takes tens of milliseconds: off the event loop, and before the write lock.
    access_code_hash = await asyncio.to_thread(hash_access_code, access_code)
    async with uow:
        if idempotency_key:
            previous = await repository.idempotent_response(session=uow.session, key=idempotency_key)
            if previous is not None:
                return _replay(previous, request_hash)
        complaint = Complaint.file(
            channel=cmd.channel,
            workplace_division=cmd.workplace_division,
            worker_name=cmd.worker_name,
            employer_name=cmd.employer_name,
            facts=cmd.facts,
            claims=cmd.claims,
            received_at=utcnow(),
            access_code_hash=access_code_hash,
            filed_by=policy.filer_of(principal),
            worker_id_number=cmd.worker_id_number,
            worker_phone=cmd.worker_phone,
        )
        # Backbone slice: every complaint goes to the mediation centre of its workplace.
        # Full routing (LDA Art. 21, 办案规则 Art. 8, Ordinance 13) comes with intake proper.
        complaint.route_to_mediation(
            [
                RoutingReason(
                    rule="mediation.workplace",
                    article="LDA Art. 10",
                    explanation_zh="按用工所在地分配至街道（乡镇）劳动争议调解组织",
                )
            ]
        )
        uow.track(complaint)
        await repository.add(session=uow.session, complaint=complaint, cipher=cipher)
        body = {
            "case_id": complaint.case_id,
            "tracking_number": complaint.tracking_number,
            "status": complaint.status,
            "route": complaint.route,
        }
        if idempotency_key:
            await repository.remember_response(
                session=uow.session,
                key=idempotency_key,
                request_hash=request_hash,
                status_code=201,
                response=body,
            )
        try:
            await uow.commit()
        except IntegrityError:
            if not idempotency_key:
                raise
            # A concurrent retry with the same key won the race: answer as it did.
            await uow.rollback()
            previous = await repository.idempotent_response(
                session=uow.session, key=idempotency_key
            )
            if previous is None:
                raise
            return _replay(previous, request_hash)
    return Filed(201, {**body, "access_code": access_code})


def _replay(previous: Any, request_hash: str) -> Filed:
    if previous.request_hash != request_hash:
        raise Problem(422, "idempotency_mismatch")
    return Filed(previous.status_code, previous.response, replayed=True)
