"""The worker's stage prompts: queued with the change that calls for them (accepted, hearing,
award served), sent by SMS to the phone on file by the e-service sender, rate limited per
application, never to a worker who opted out, never with an ID number (domain.worker_prompts)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from labornet_arbitration.adapters import prompt_store as store
from labornet_arbitration.adapters import repository
from labornet_arbitration.adapters.channels import ChannelFailed, Message
from labornet_arbitration.adapters.pii import WORKER_PHONE
from labornet_arbitration.domain import e_service as rules
from labornet_arbitration.domain import worker_prompts as prompts
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.domain.policy import DOCKET_ROLES
from labornet_arbitration.service import action
from labornet_arbitration.service.context import SENDER_JOB
from labornet_common.platform.outbox.signal import job_signal
from labornet_common.platform.problems import Forbidden, NotFound
from labornet_common.platform.uow import UnitOfWork, after_commit
from labornet_common.security.auth import Principal, Role
from labornet_common.security.crypto import PiiCipher

DAILY_LIMIT = 3  # prompts to one application's worker in 24 hours


async def queue(*, session: store.Session, before: dict[str, Any], case: ArbitrationCase, now: datetime) -> int:
    """Write the prompts the change calls for (pending, or why they will not go)."""
    found = prompts.prompts_for(before, case)
    if not found:
        return 0
    opted_out = await store.opted_out(session=session, application_id=case.application_id)
    recent = await store.counted_since(
        session=session, application_id=case.application_id, since=now - timedelta(hours=24)
    )
    for prompt in found:
        if opted_out:
            status = "opted_out"
        elif prompts.within_limit(recent, now, daily_limit=DAILY_LIMIT):
            status = "pending"
            recent.append(now)
            after_commit(session, job_signal(SENDER_JOB).notify)  # the sender sends it at once
        else:
            status = "limited"
        await store.add(
            session=session,
            prompt_id=str(uuid.uuid4()),
            application_id=case.application_id,
            stage=prompt.stage,
            text=prompt.text,
            status=status,
            now=now,
        )
    return len(found)


async def send_due(*, uow_factory: Callable[[], UnitOfWork], cipher: PiiCipher, sender: Any, now: datetime) -> int:
    """Send the due prompts by SMS to the phone on file (a worker without one gets none)."""
    async with uow_factory() as uow:
        due = await store.due(session=uow.session, now=now, limit=20)
    sent = 0
    for row in due:
        phone = WORKER_PHONE.open(cipher, row._mapping)
        channel = sender.channels.get("sms")
        error: str | None = None
        if channel is None or not phone:
            error = "no SMS channel or no phone on file"
        else:
            try:
                await channel.send(Message(row.prompt_id, phone, "", row.text))
            except ChannelFailed as failed:
                error = str(failed)
        attempts = row.attempts + 1
        if error is None:
            values: dict[str, Any] = {"status": "sent", "attempts": attempts, "sent_at": now, "next_attempt_at": None}
            sent += 1
        else:
            retry = rules.next_attempt_at(attempts, now, max_attempts=sender.max_attempts, backoff_s=sender.backoff_s)
            values = {
                "status": "pending" if retry else "failed",
                "attempts": attempts,
                "next_attempt_at": retry,
                "last_error": error[:300],
            }
        async with uow_factory() as uow:
            await store.mark(session=uow.session, prompt_id=row.prompt_id, attempts=row.attempts, values=values)
            await uow.commit()
    return sent


async def set_opt_out(*, uow: UnitOfWork, principal: Principal, application_id: str, opted_out: bool) -> None:
    """退订 / 恢复: the worker with the worker token, or staff at the worker's request."""
    async with uow:
        case = await repository.get(session=uow.session, application_id=application_id)
        if case is None or not action.readable(principal, case):
            raise NotFound()
        is_worker = Role.worker in principal.roles and case.case_id in principal.case_ids
        if not is_worker and not action.actionable(principal, DOCKET_ROLES, case):
            raise Forbidden()
        await store.set_opt_out(
            session=uow.session, application_id=application_id, opted_out=opted_out, by=principal.subject
        )
        await uow.commit()


async def prompts_of(*, uow: UnitOfWork, principal: Principal, application_id: str) -> dict[str, Any]:
    async with uow:
        case = await repository.get(session=uow.session, application_id=application_id)
        if case is None or not action.readable(principal, case):
            raise NotFound()
        rows = await store.prompts_of(session=uow.session, application_id=application_id)
        opted = await store.opted_out(session=uow.session, application_id=application_id)
    return {"opted_out": opted, "prompts": rows}
