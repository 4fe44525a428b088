"""Intake use cases. Only the unit of work commits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from labornet_common.contracts.intake import ClaimSummary, RoutingReason
from labornet_common.errors import Problem
from labornet_common.events import utcnow
from labornet_common.uow import UnitOfWork
from labornet_intake.adapters import repository
from labornet_intake.domain.model import Complaint


@dataclass(frozen=True)
class FileComplaint:
    channel: str
    workplace_division: str
    worker_name: str
    employer_name: str
    facts: str
    claims: list[ClaimSummary]


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


async def file_complaint(
    *, uow: UnitOfWork, cmd: FileComplaint, idempotency_key: str | None = None
) -> Filed:
    """Store a complaint and its events; a repeated Idempotency-Key replays the first answer."""
    request_hash = _hash(cmd)
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
        await repository.add(session=uow.session, complaint=complaint)
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
    return Filed(201, body)


def _replay(previous: Any, request_hash: str) -> Filed:
    if previous.request_hash != request_hash:
        raise Problem(422, "idempotency_mismatch")
    return Filed(previous.status_code, previous.response, replayed=True)


async def get_complaint(*, uow: UnitOfWork, case_id: str) -> Complaint | None:
    async with uow:
        return await repository.get(session=uow.session, case_id=case_id)
