"""Cross-region joint acceptance (一地投诉、区域联动受理) as a saga over intake's own topic.

1. Region A's clerk files for a workplace in region B: the case is minted at A (one case id,
   one tracking number) and JointAcceptanceRequested is written with it (commands.py).
2. Consuming that event puts the forwarding in B's queue (here, ``on_requested``).
3. A clerk of B accepts or refuses; JointAcceptanceAnswered is written (``answer``).
4. Consuming the answer moves the case: accepted -> B owns it and routes it under its own
   bodies; refused -> it returns to A with the reason (``on_answered``).
Every step is idempotent twice over: the consumer's inbox drops redelivered events, and each
handler checks the state it would change (the forward id is the forwarding's primary key).
"""

from __future__ import annotations

from typing import Any

from labornet_common.contracts.events import Envelope
from labornet_common.contracts.intake import JointAcceptanceAnswered, JointAcceptanceRequested
from labornet_common.platform.bus.consumer import handles
from labornet_common.platform.problems import Conflict, Forbidden, InvalidInput, NotFound
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal, Role
from labornet_common.security.crypto import PiiCipher
from labornet_intake.adapters import records, repository
from labornet_intake.service.context import IntakeContext
from labornet_intake.service.routing import decide_for


async def answer(
    *, uow: UnitOfWork, principal: Principal, forward_id: str, decision: str, reason: str
) -> dict[str, Any]:
    """A clerk of the asked region takes the case or refuses it; the same answer again is a no-op."""
    if decision == "refused" and not reason.strip():
        raise InvalidInput.at("reason", "joint.reason_required")
    async with uow:
        forward = await records.get_forward(session=uow.session, forward_id=forward_id)
        if forward is None or not principal.in_region(forward["target_region"]):
            raise NotFound()
        if not principal.has_role(Role.clerk):
            raise Forbidden()
        if forward["status"] != "pending":
            if forward["status"] != decision:
                raise Conflict("joint.already_answered")
            return forward
        await records.answer_forward(
            session=uow.session, forward_id=forward_id, status=decision, reason=reason, answered_by=principal.subject
        )
        uow.record(
            forward["case_id"],
            JointAcceptanceAnswered(
                case_id=forward["case_id"],
                forward_id=forward_id,
                decision=decision,  # type: ignore[arg-type]
                region_code=forward["target_region"] if decision == "accepted" else forward["accepting_region"],
                accepting_region=forward["accepting_region"],
                reason=reason,
                answered_by=principal.subject,
            ),
        )
        await uow.commit()
    return {**forward, "status": decision, "reason": reason, "answered_by": principal.subject}


async def forwards(*, uow: UnitOfWork, principal: Principal, status: str | None) -> list[dict[str, Any]]:
    if not principal.has_role(Role.clerk, Role.admin):
        return []
    async with uow:
        return await records.forwards_in(session=uow.session, scopes=principal.region_scopes, status=status)


async def on_requested(uow: UnitOfWork, envelope: Envelope, event: JointAcceptanceRequested) -> None:
    if await records.get_forward(session=uow.session, forward_id=event.forward_id) is not None:
        return  # delivered before: B's queue already holds it
    if not await records.case_exists(session=uow.session, case_id=event.case_id):
        return  # not a case of this deployment's intake
    await records.add_forward(
        session=uow.session,
        forward_id=event.forward_id,
        case_id=event.case_id,
        accepting_region=event.accepting_region,
        target_region=event.region_code,
        requested_on=event.requested_on,
        answer_due_on=event.answer_due_on,
    )
    await records.add_note(
        uow=uow,
        case_id=event.case_id,
        entry_id=envelope.id,
        event_type=envelope.type,
        text_zh="管辖地区已收到转办，正在审核是否接收",
    )


def answered_handler(rules: IntakeContext, cipher: PiiCipher):
    async def on_answered(uow: UnitOfWork, envelope: Envelope, event: JointAcceptanceAnswered) -> None:
        complaint = await repository.get(session=uow.session, case_id=event.case_id, cipher=cipher, for_update=True)
        if complaint is None or complaint.joint_status != "requested":
            return  # unknown here, or this answer was applied already
        if event.decision == "accepted":
            complaint.joint_accepted(owner_region=event.region_code, decision=decide_for(complaint, rules))
        else:
            complaint.joint_refused(reason=event.reason)
        await repository.update(session=uow.session, complaint=complaint)
        await records.add_notes(session=uow.session, case_id=complaint.case_id, texts=complaint.pull_notes())

    return on_answered


def event_handlers(rules: IntakeContext, cipher: PiiCipher) -> dict[str, Any]:
    return {
        handles(JointAcceptanceRequested): on_requested,
        handles(JointAcceptanceAnswered): answered_handler(rules, cipher),
    }
