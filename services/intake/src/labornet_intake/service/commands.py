"""Filing a complaint: a new case, the same complaint again, or another worker joining a case.
Only the unit of work commits."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError

from labornet_common.api_auth import ANONYMOUS_SUBJECT, unauthorized
from labornet_common.auth import Principal, generate_access_code, hash_access_code
from labornet_common.contracts.intake import ClaimSummary
from labornet_common.crypto import PiiCipher
from labornet_common.errors import Problem
from labornet_common.events import utcnow
from labornet_common.uow import UnitOfWork
from labornet_intake.adapters import records, repository
from labornet_intake.domain import limitation, policy
from labornet_intake.domain.matching import Match, employer_key, match
from labornet_intake.domain.model import Complaint
from labornet_intake.service import outcomes
from labornet_intake.service.routing import decide_for
from labornet_intake.service.rules import IntakeRules


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
    worker_residence: str | None = None
    employer_uscc: str | None = None
    employer_address: str | None = None
    employer_division: str | None = None
    workplace_address: str | None = None
    other_workplaces: tuple[str, ...] = ()
    project: str | None = None
    worker_count: int = 1
    requested_route: str = "help_me_choose"
    oral: bool = False
    police_incident_number: str | None = None
    referred_by: str | None = None
    pending_proceedings: str | None = None
    employment_ended_on: date | None = None
    joint_acceptance: bool = False


@dataclass(frozen=True)
class Filed:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False


def _hash(cmd: FileComplaint) -> str:
    fields = {k: v for k, v in dataclasses.asdict(cmd).items() if v not in (None, (), False, [])}
    fields["claims"] = [c.model_dump(mode="json") for c in cmd.claims]
    raw = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
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
    rules: IntakeRules | None = None,
) -> Filed:
    """Store the filing and its events; a repeated Idempotency-Key replays the first answer.

    A new case's answer carries the worker's access code once; the remembered answer (for
    replays) does not: only the code's scrypt hash is ever stored.
    """
    if not policy.may_file(principal, channel=cmd.channel, workplace_division=cmd.workplace_division,
                           joint_acceptance=cmd.joint_acceptance):
        raise unauthorized() if principal is None else Problem(403, "filing.clerk_required")
    rules = rules or IntakeRules()
    request_hash, scoped = _hash(cmd), _scoped_key(principal, idempotency_key)
    access_code = generate_access_code()
    # scrypt takes tens of milliseconds: off the event loop, and before the write lock.
    access_code_hash = await asyncio.to_thread(hash_access_code, access_code)
    key, worker = _employer_key(cmd), records.worker_key(cipher, cmd.worker_id_number)
    async with uow:
        if worker is not None:
            # First, so that the replay check and the duplicate/grouping decision below see every
            # filing against this employer committed before this one, and none commits meanwhile.
            # (A filing without an ID number never joins nor is joined: nothing to wait for.)
            await repository.hold_employer(session=uow.session, employer_key=key)
        if scoped and (previous := await repository.idempotent_response(session=uow.session, key=scoped)):
            return _replay(previous, request_hash)
        status, body = await _file(uow, cmd, principal, cipher, rules, access_code_hash, key, worker)
        try:
            if scoped:
                await repository.remember_response(
                    session=uow.session, key=scoped, request_hash=request_hash, status_code=status, response=body
                )
            await uow.commit()
        except IntegrityError:
            if not scoped:
                raise
            # A concurrent retry with the same key committed first (on PostgreSQL the insert
            # above reports it): answer as it did.
            await uow.rollback()
            previous = await repository.idempotent_response(session=uow.session, key=scoped)
            if previous is None:
                raise
            return _replay(previous, request_hash)
    return Filed(status, {**body, "access_code": access_code} if status == 201 else body)


def _employer_key(cmd: FileComplaint) -> str:
    county = (cmd.employer_division or cmd.workplace_division)[:6]
    return employer_key(name=cmd.employer_name, uscc=cmd.employer_uscc, county=county)


async def _file(
    uow: UnitOfWork, cmd: FileComplaint, principal: Principal | None, cipher: PiiCipher,
    rules: IntakeRules, access_code_hash: str, key: str, worker: str | None,
) -> tuple[int, dict[str, Any]]:
    """Decide and act, holding the employer's filing key when ``worker`` is known."""
    found = match(
        worker_key=worker,
        categories=frozenset(c.category for c in cmd.claims),
        open_cases=await records.open_cases_of(session=uow.session, employer_key=key),
    )
    filing_id = str(uuid.uuid4())
    if found is not None:
        complaint = await _join(uow, cmd, principal, cipher, found, filing_id)
        return 200, outcomes.joined(complaint, found.kind, filing_id)
    complaint = _new_case(cmd, principal, rules, key, access_code_hash)
    forward = _route_or_forward(complaint, principal, cmd, rules)
    await repository.add(session=uow.session, complaint=complaint, cipher=cipher)
    await _add_filing(uow, cmd, principal, cipher, complaint.case_id, filing_id, "created")
    await _save_notes(uow, complaint)
    uow.track(complaint)
    return 201, outcomes.created(complaint, filing_id, forward)


def _new_case(
    cmd: FileComplaint, principal: Principal | None, rules: IntakeRules, key: str, access_code_hash: str
) -> Complaint:
    received_at = utcnow()
    joint = policy.is_joint(principal, workplace_division=cmd.workplace_division,
                            joint_acceptance=cmd.joint_acceptance)
    flag = limitation.assess(cmd.claims, employment_ended_on=cmd.employment_ended_on,
                             received_on=rules.local_date(received_at), calendar=rules.calendar)
    details = {k: v for k, v in dataclasses.asdict(cmd).items() if k != "joint_acceptance"}
    accepted_in = policy.filing_region(principal) if joint else None
    return Complaint.file(
        **{**details, "claims": cmd.claims, "other_workplaces": list(cmd.other_workplaces)},
        received_at=received_at, access_code_hash=access_code_hash, owner_region=accepted_in,
        filed_by=policy.filer_of(principal), employer_key=key, accepted_in_region=accepted_in,
        limitation_warning=flag.warning, limitation_reason=flag.reason,
    )


def _route_or_forward(
    complaint: Complaint, principal: Principal | None, cmd: FileComplaint, rules: IntakeRules
) -> dict[str, Any] | None:
    """Route now, or (accepted for another region) ask that region to take it first."""
    if complaint.accepted_in_region is None:
        complaint.apply_routing(decide_for(complaint, rules))
        return None
    requested_on = rules.local_date(complaint.received_at)
    forward = {
        "forward_id": str(uuid.uuid4()), "to_region": cmd.workplace_division[:6],
        "requested_on": requested_on, "answer_due_on": rules.answer_due_on(requested_on),
    }
    complaint.forward(**forward)
    return forward


async def _join(
    uow: UnitOfWork, cmd: FileComplaint, principal: Principal | None, cipher: PiiCipher, found: Match,
    filing_id: str,
) -> Complaint:
    complaint = await repository.get(session=uow.session, case_id=found.case_id, cipher=cipher, for_update=True)
    assert complaint is not None  # found among open cases in this transaction
    complaint.join(filing_id=filing_id, kind=found.kind, worker_count=cmd.worker_count, claims=cmd.claims)
    await repository.update(session=uow.session, complaint=complaint)
    kind = "linked_duplicate" if found.kind == "duplicate" else "grouped"
    await _add_filing(uow, cmd, principal, cipher, complaint.case_id, filing_id, kind)
    await _save_notes(uow, complaint)
    uow.track(complaint)
    return complaint


async def _add_filing(
    uow: UnitOfWork, cmd: FileComplaint, principal: Principal | None, cipher: PiiCipher,
    case_id: str, filing_id: str, kind: str,
) -> None:
    await records.add_filing(session=uow.session, cipher=cipher, filing=records.FilingRecord(
        filing_id=filing_id, case_id=case_id, kind=kind, channel=cmd.channel, filed_at=utcnow(),
        filed_by=policy.filer_of(principal), worker_name=cmd.worker_name, worker_count=cmd.worker_count,
        claims=cmd.claims, worker_id_number=cmd.worker_id_number, worker_phone=cmd.worker_phone,
    ))


async def _save_notes(uow: UnitOfWork, complaint: Complaint) -> None:
    for note in complaint.pull_notes():
        await records.add_note(session=uow.session, case_id=complaint.case_id, text_zh=note)


def _replay(previous: Any, request_hash: str) -> Filed:
    if previous.request_hash != request_hash:
        raise Problem(422, "idempotency_mismatch")
    return Filed(previous.status_code, previous.response, replayed=True)
