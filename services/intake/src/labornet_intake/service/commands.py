"""Filing a complaint: a new case, the same complaint again, or another worker joining a case.
Only the unit of work commits."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from labornet_common.contracts.events import utcnow
from labornet_common.contracts.intake import ClaimSummary
from labornet_common.contracts.passport import Passport
from labornet_common.platform.clock import local_date
from labornet_common.platform.problems import Forbidden, Unauthenticated, Unprocessable
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.api_auth import ANONYMOUS_SUBJECT
from labornet_common.security.auth import Principal, generate_access_code
from labornet_common.security.crypto import PiiCipher
from labornet_intake.adapters import disputes, records, repository
from labornet_intake.domain import limitation, policy, validation
from labornet_intake.domain.matching import Match, employer_key, match
from labornet_intake.domain.model import Complaint
from labornet_intake.domain.representatives import Representative
from labornet_intake.service import documents, filing_notices, representatives
from labornet_intake.service.context import IntakeContext
from labornet_intake.service.routing import decide_for


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
    received_at: datetime | None = None  # when it actually arrived (staff channels); default: now
    representatives: tuple[Representative, ...] = ()  # a collective filing's (LDA Art. 7)


# What a new Complaint is not given from the command as it is.
_NOT_DETAILS = frozenset({"joint_acceptance", "received_at", "representatives"})


def _filing_input(cmd: FileComplaint) -> validation.FilingInput:
    return validation.FilingInput(
        channel=cmd.channel,
        facts=cmd.facts,
        worker_count=cmd.worker_count,
        oral=cmd.oral,
        claims=[validation.ClaimInput(c.category, c.amount_fen, c.period_from, c.period_to) for c in cmd.claims],
        police_incident_number=cmd.police_incident_number,
        referred_by=cmd.referred_by,
        employment_ended_on=cmd.employment_ended_on,
        joint_acceptance=cmd.joint_acceptance,
    )


def _details_of(cmd: FileComplaint) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(cmd).items() if k not in _NOT_DETAILS}


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
    rules: IntakeContext | None = None,
) -> Filed:
    """Store the filing and its events; a repeated Idempotency-Key replays the first answer.

    Every filer but a worker repeating their own complaint is given an access code, shown in
    this answer once; the remembered answer (for replays) does not carry it, and only the
    code's keyed hash is stored (see ``records.access_code_index``).
    """
    now = utcnow()
    validation.check_filing(
        _filing_input(cmd),
        received_at=cmd.received_at,
        now=now,
        today=local_date(now),
        chosen=cmd.representatives,
    )
    if not policy.may_file(
        principal, channel=cmd.channel, workplace_division=cmd.workplace_division, joint_acceptance=cmd.joint_acceptance
    ):
        raise Unauthenticated() if principal is None else Forbidden("filing.clerk_required")
    rules = rules or IntakeContext()
    request_hash, scoped = _hash(cmd), _scoped_key(principal, idempotency_key)
    access_code = generate_access_code()
    code_index = records.access_code_index(cipher, access_code)
    key, worker = _employer_key(cmd), records.worker_key(cipher, cmd.worker_id_number)
    async with uow:
        if worker is not None:
            # First, so that the replay check and the duplicate/grouping decision below see every
            # filing against this employer committed before this one, and none commits meanwhile.
            # (A filing without an ID number never joins nor is joined: nothing to wait for.)
            await repository.hold_employer(session=uow.session, employer_key=key)
        if scoped and (previous := await repository.idempotent_response(session=uow.session, key=scoped)):
            return _replay(previous, request_hash)
        status, body, code_given = await _file(uow, cmd, principal, cipher, rules, code_index, key, worker)
        try:
            if scoped:
                await repository.remember_response(
                    session=uow.session, key=scoped, request_hash=request_hash, status_code=status, response=body
                )
            await uow.commit()
        except repository.KeyTaken:
            # A concurrent retry with the same key committed first: answer as it did.
            await uow.rollback()
            previous = await repository.idempotent_response(session=uow.session, key=scoped) if scoped else None
            if previous is None:
                raise
            return _replay(previous, request_hash)
    # The code is shown this once (the remembered answer for replays does not carry it).
    return Filed(status, {**body, "access_code": access_code} if code_given else body)


def _employer_key(cmd: FileComplaint) -> str:
    county = (cmd.employer_division or cmd.workplace_division)[:6]
    return employer_key(name=cmd.employer_name, uscc=cmd.employer_uscc, county=county)


async def _file(
    uow: UnitOfWork,
    cmd: FileComplaint,
    principal: Principal | None,
    cipher: PiiCipher,
    rules: IntakeContext,
    code_index: str,
    key: str,
    worker: str | None,
) -> tuple[int, dict[str, Any], bool]:
    """Decide and act, holding the employer's filing key when ``worker`` is known. The last
    value says whether the filer was given an access code of their own."""
    categories = frozenset(c.category for c in cmd.claims)
    pending = await disputes.pending_against(session=uow.session, employer_key=key)
    found = match(worker_key=worker, categories=categories, open_cases=[case for _p, case in pending.values()])
    filing_id = str(uuid.uuid4())
    if found is not None:
        dispute = pending[found.case_id][0]
        complaint, code_given = await _join(uow, cmd, principal, cipher, found, dispute, filing_id, code_index)
        await representatives.record_on_filing(
            uow=uow, complaint=complaint, chosen=cmd.representatives, principal=principal, cipher=cipher
        )
        if cmd.received_at:  # the joining filing's own receipt, kept in the case's history
            complaint.note_receipt(received_at=cmd.received_at, registered_at=utcnow())
        await _save_notes(uow, complaint)
        after = await disputes.record_filing(
            session=uow.session,
            complaint=complaint,
            worker_key=worker,
            worker_count=complaint.worker_count,
            categories=categories,
        )
        return 200, filing_notices.joined(complaint, found.kind, filing_id, after, code_given), code_given
    complaint = _new_case(cmd, principal, rules, key, worker)
    forward = _route_or_forward(complaint, principal, cmd, rules)
    await repository.add(session=uow.session, complaint=complaint, cipher=cipher)
    await _add_filing(uow, cmd, principal, cipher, complaint.case_id, filing_id, "created", code_index)
    await representatives.record_on_filing(
        uow=uow, complaint=complaint, chosen=cmd.representatives, principal=principal, cipher=cipher
    )
    dispute = await disputes.record_filing(
        session=uow.session,
        complaint=complaint,
        worker_key=worker,
        worker_count=complaint.worker_count,
        categories=categories,
        new=True,
    )
    await _save_notes(uow, complaint)
    await documents.issue_referral(uow=uow, complaint=complaint, forward=forward)  # 移送函, if it went elsewhere
    return 201, {**filing_notices.created(complaint, filing_id, forward), "dispute": dispute.summary()}, True


def _new_case(
    cmd: FileComplaint, principal: Principal | None, rules: IntakeContext, key: str, worker: str | None
) -> Complaint:
    # LDA Art. 27: limitation is assessed on the day the complaint arrived, not the day it was typed.
    registered_at = utcnow()
    received_at = cmd.received_at or registered_at
    joint = policy.is_joint(principal, workplace_division=cmd.workplace_division, joint_acceptance=cmd.joint_acceptance)
    flag = limitation.assess(
        cmd.claims,
        employment_ended_on=cmd.employment_ended_on,
        received_on=local_date(received_at),
        calendar=rules.calendar,
    )
    details = _details_of(cmd)
    accepted_in = policy.filing_region(principal) if joint else None
    return Complaint.file(
        **{**details, "claims": cmd.claims, "other_workplaces": list(cmd.other_workplaces)},
        received_at=received_at,
        registered_at=registered_at,
        access_code_hash="",
        owner_region=accepted_in,
        worker_key=worker,
        filed_by=policy.filer_of(principal),
        employer_key=key,
        accepted_in_region=accepted_in,
        limitation_warning=flag.warning,
        limitation_reason=flag.reason,
    )


def _route_or_forward(
    complaint: Complaint, principal: Principal | None, cmd: FileComplaint, rules: IntakeContext
) -> dict[str, Any] | None:
    """Route now, or (accepted for another region) ask that region to take it first."""
    if complaint.accepted_in_region is None:
        complaint.apply_routing(decide_for(complaint, rules))
        return None
    requested_on = local_date(complaint.registered_at or complaint.received_at)  # forwarded when typed in
    forward_id, to_region = str(uuid.uuid4()), cmd.workplace_division[:6]
    answer_due_on = rules.answer_due_on(requested_on)
    complaint.forward(
        forward_id=forward_id, to_region=to_region, requested_on=requested_on, answer_due_on=answer_due_on
    )
    return {
        "forward_id": forward_id,
        "to_region": to_region,
        "requested_on": requested_on,
        "answer_due_on": answer_due_on,
    }


async def _join(
    uow: UnitOfWork,
    cmd: FileComplaint,
    principal: Principal | None,
    cipher: PiiCipher,
    found: Match,
    dispute: Passport,
    filing_id: str,
    code_index: str,
) -> tuple[Complaint, bool]:
    """The filing joins a pending dispute; one lodged elsewhere (directly at a centre or a
    commission) gets intake's record of it first, under its own case id, so the filer can follow
    it. A worker who repeats a complaint keeps the code they have; everyone else gets their own."""
    complaint = await repository.get(session=uow.session, case_id=found.case_id, cipher=cipher, for_update=True)
    code_given = found.kind == "grouped" or complaint is None
    if complaint is None:
        details = {
            **_details_of(cmd),
            "claims": cmd.claims,
            "other_workplaces": list(cmd.other_workplaces),
            "filed_by": policy.filer_of(principal),
            "employer_key": dispute.employer_key,
        }
        complaint = Complaint.adopt(dispute, received_at=utcnow(), details=details)
        await repository.add(session=uow.session, complaint=complaint, cipher=cipher)
    worker = records.worker_key(cipher, cmd.worker_id_number)
    complaint.join(
        filing_id=filing_id,
        kind=found.kind,
        worker_count=cmd.worker_count,
        claims=cmd.claims,
        dispute=dispute,
        worker_keys=(worker,) if worker else (),
    )
    await repository.update(session=uow.session, complaint=complaint)
    kind = "linked_duplicate" if found.kind == "duplicate" else "grouped"
    await _add_filing(
        uow, cmd, principal, cipher, complaint.case_id, filing_id, kind, code_index if code_given else None
    )
    await _save_notes(uow, complaint)
    return complaint, code_given


async def _add_filing(
    uow: UnitOfWork,
    cmd: FileComplaint,
    principal: Principal | None,
    cipher: PiiCipher,
    case_id: str,
    filing_id: str,
    kind: str,
    code_index: str | None,
) -> None:
    await records.add_filing(
        session=uow.session,
        cipher=cipher,
        filing=records.FilingRecord(
            filing_id=filing_id,
            case_id=case_id,
            kind=kind,
            channel=cmd.channel,
            filed_at=utcnow(),
            filed_by=policy.filer_of(principal),
            worker_name=cmd.worker_name,
            worker_count=cmd.worker_count,
            claims=cmd.claims,
            worker_id_number=cmd.worker_id_number,
            worker_phone=cmd.worker_phone,
            access_code_index=code_index,
        ),
    )


async def _save_notes(uow: UnitOfWork, complaint: Complaint) -> None:
    await records.add_notes(session=uow.session, case_id=complaint.case_id, texts=complaint.pull_notes())


def _replay(previous: Any, request_hash: str) -> Filed:
    if previous.request_hash != request_hash:
        raise Unprocessable("idempotency_mismatch")
    return Filed(previous.status_code, previous.response, replayed=True)
