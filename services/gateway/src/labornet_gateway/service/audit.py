"""Audit trail use cases: record one request, verify the whole chain and report what is missing
from it, apply retention."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from labornet_common.contracts.events import utcnow
from labornet_common.platform.uow import UnitOfWork
from labornet_gateway.adapters import audit_store
from labornet_gateway.domain.audit_chain import AuditEntry, ChainVerifier, Verification
from labornet_gateway.service.audit_sequencer import AuditSequencer

log = logging.getLogger(__name__)


async def record(*, uow: UnitOfWork, entry: AuditEntry) -> int:
    async with uow:
        seq = await audit_store.append(session=uow.session, entry=entry, now=utcnow())
        await uow.commit()
    return seq


async def verify(*, uow: UnitOfWork) -> Verification:
    async with uow:
        head = await audit_store.head(session=uow.session)
        if head is None:
            return Verification(False, 0, 0, broken_at=0, reason="chain head missing")
        verifier = ChainVerifier(
            anchor_seq=head.anchor_seq,
            anchor_hash=head.anchor_hash,
            head_seq=head.seq,
            head_hash=head.hash,
        )
        async for item in audit_store.entries(session=uow.session, after_seq=head.anchor_seq, through_seq=head.seq):
            if not verifier.feed(item):
                break
    return verifier.result()


@dataclass(frozen=True)
class TrailReport:
    """The chain's verification, and the answered requests known but not in the trail."""

    chain: Verification
    unrecorded: int  # journaled here but not chained, plus journal lines the trail skipped
    unjournaled: int  # answered 503 because the journal refused them (this process)

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.unrecorded == 0 and self.unjournaled == 0


async def report(
    *, uow_factory: Callable[[], UnitOfWork], sequencer: AuditSequencer | None, unjournaled: int
) -> TrailReport:
    """Drain this gateway's journal first (so only what truly cannot be chained counts), then verify."""
    if sequencer is not None:
        try:
            await sequencer.drain()
        except Exception:
            log.warning("audit journal could not be drained before verification")
    chain = await verify(uow=uow_factory())
    async with uow_factory() as uow:
        lost = sum(row.lost for row in await audit_store.journals(session=uow.session))
    backlog = sequencer.backlog() if sequencer is not None else 0
    return TrailReport(chain, unrecorded=backlog + lost, unjournaled=unjournaled)


async def prune(*, uow: UnitOfWork, retention_days: int) -> int:
    now = utcnow()
    async with uow:
        removed = await audit_store.prune_before(
            session=uow.session, cutoff=now - timedelta(days=retention_days), now=now
        )
        await uow.commit()
    return removed


async def retention_pass(*, uow_factory: Callable[[], UnitOfWork], retention_days: int) -> int:
    """One run of the retention job (main.py declares it; the platform runs it every interval)."""
    removed = await prune(uow=uow_factory(), retention_days=retention_days)
    if removed:
        log.info("audit retention removed %d entries older than %d days", removed, retention_days)
    return removed


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str


async def checkpoint(*, uow: UnitOfWork) -> Checkpoint | None:
    """The chain head as it stands, for a signed receipt kept outside this database."""
    async with uow:
        head = await audit_store.head(session=uow.session)
    return None if head is None or head.seq == 0 else Checkpoint(head.seq, head.hash)


async def check_receipt(*, uow: UnitOfWork, seq: int, hash: str) -> str:
    """Whether the trail still holds the entry a receipt names, with the same hash.

    The chain check alone cannot see a rewrite of the whole trail (every hash recomputed); a
    receipt kept outside the database can. Answers ``consistent``, ``rewritten``,
    ``pruned`` (retention removed the entry; only the anchor is left to compare) or
    ``missing`` (the trail is shorter than the receipt: entries were removed).
    """
    async with uow:
        head = await audit_store.head(session=uow.session)
        if head is None or seq > head.seq:
            return "missing"
        if seq < head.anchor_seq:
            return "pruned"
        if seq == head.anchor_seq:
            return "consistent" if hash == head.anchor_hash else "rewritten"
        stored = await audit_store.hash_at(session=uow.session, seq=seq)
    if stored is None:
        return "missing"
    return "consistent" if stored == hash else "rewritten"
