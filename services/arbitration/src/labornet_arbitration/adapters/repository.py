"""Storing applications, and the docket counter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_arbitration.adapters.orm import applications, dispute_locks, docket_counters, worker_keys
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.domain.policy import READ_ROLES
from labornet_common.platform.db import dialect_name, hold_row
from labornet_common.platform.stored import remember, save_versioned
from labornet_common.platform.uow import commit_state, register, transaction_state
from labornet_common.security.auth import Principal
from labornet_common.security.visibility import visible_cases


class StaleCase(Exception):
    """Another transaction changed the case first (optimistic lock on ``version``)."""


_KEYS_AS_LOADED = "arbitration.worker_keys_as_loaded"
_BATCH = "arbitration.batch"  # per transaction: its consumer batch's cases without an application ("absent")


def _loaded(session: AsyncSession, row: Any) -> ArbitrationCase:
    """The application of a row, registered with the unit of work that owns the session."""
    case = ArbitrationCase.from_row(dict(row._mapping))
    register(session, case)
    remember(session, applications, case.application_id, case.row())
    transaction_state(session, _KEYS_AS_LOADED)[case.application_id] = frozenset(case.worker_keys)
    return case


async def _index_workers(session: AsyncSession, case: ArbitrationCase, *, known: frozenset[str]) -> None:
    """One ``worker_keys`` row per blind index the application gained (keys are only ever added:
    a worker joining, a merged application's workers)."""
    new = sorted(set(case.worker_keys) - known)
    if new:
        await session.execute(
            insert(worker_keys), [{"worker_key": k, "application_id": case.application_id} for k in new]
        )
    transaction_state(session, _KEYS_AS_LOADED)[case.application_id] = frozenset(case.worker_keys)


async def add(*, session: AsyncSession, case: ArbitrationCase, sealed: dict[str, Any] | None = None) -> None:
    """``sealed``: the PII columns (``<name>_enc``/``<name>_bidx``) the caller sealed."""
    transaction_state(session, _BATCH).get("absent", set()).discard(case.case_id)
    register(session, case)
    row = case.row()
    await session.execute(insert(applications).values(**row, **(sealed or {})))
    remember(session, applications, case.application_id, row)
    await _index_workers(session, case, known=frozenset())


async def hold_employer(*, session: AsyncSession, employer_key: str) -> None:
    """Take the employer's lock row until the transaction ends (see ``orm.dispute_locks``)."""
    await hold_row(session, dispute_locks.c.employer_key, employer_key)


async def pending_against(
    *, session: AsyncSession, employer_key: str, statuses: frozenset[str]
) -> list[ArbitrationCase]:
    """Applications against one employer in ``statuses``, oldest first."""
    c = applications.c
    query = (
        select(applications)
        .where(c.employer_key == employer_key, c.status.in_(sorted(statuses)))
        .order_by(c.created_at, c.application_id)
    )
    return [_loaded(session, r) for r in (await session.execute(query)).all()]


async def save(*, session: AsyncSession, case: ArbitrationCase) -> None:
    """Write what changed since the case was loaded (``stored``) if nobody changed it meanwhile;
    bumps ``version``."""
    register(session, case)
    loaded = case.version
    if not await save_versioned(session, applications, key_column="application_id", row=case.row(), version=loaded):
        raise StaleCase(case.application_id)
    case.version = loaded + 1
    as_loaded = transaction_state(session, _KEYS_AS_LOADED).get(case.application_id)
    if as_loaded is None:  # not loaded through this session: read what is indexed
        query = select(worker_keys.c.worker_key).where(worker_keys.c.application_id == case.application_id)
        as_loaded = frozenset((await session.execute(query)).scalars().all())
    await _index_workers(session, case, known=as_loaded)


async def in_states(*, session: AsyncSession, states: set[str] | frozenset[str]) -> list[ArbitrationCase]:
    """Every case in one of ``states`` (not held: a caller saving one saves it with its version)."""
    query = select(applications).where(applications.c.status.in_(states))
    return [ArbitrationCase.from_row(dict(row)) for row in (await session.execute(query)).mappings()]


async def get(*, session: AsyncSession, application_id: str) -> ArbitrationCase | None:
    row = (await session.execute(select(applications).where(applications.c.application_id == application_id))).first()
    return None if row is None else _loaded(session, row)


async def by_source(*, session: AsyncSession, source_key: str) -> ArbitrationCase | None:
    row = (await session.execute(select(applications).where(applications.c.source_key == source_key))).first()
    return None if row is None else _loaded(session, row)


async def note_batch(*, session: AsyncSession, case_ids: Sequence[str]) -> None:
    """Which cases of a consumer batch (``consumer.batch_subjects``) have no application at all,
    in one statement, once per transaction: ``latest_for_case`` and ``keeper_for_case`` answer
    None for them without a statement of their own (most events of a batch are about disputes
    mediation or intake hold) until ``add`` makes one of them an application."""
    state = commit_state(session, _BATCH)
    if "absent" in state:
        return
    wanted = sorted(set(case_ids))
    found: set[str] = set()
    if wanted:
        query = select(applications.c.case_id).where(applications.c.case_id.in_(wanted)).distinct()
        found = set((await session.scalars(query)).all())
    state["absent"] = set(wanted) - found


def _absent(session: AsyncSession, case_id: str) -> bool:
    return case_id in transaction_state(session, _BATCH).get("absent", ())


async def latest_for_case(*, session: AsyncSession, case_id: str) -> ArbitrationCase | None:
    if _absent(session, case_id):
        return None
    row = (
        await session.execute(
            select(applications)
            .where(applications.c.case_id == case_id, applications.c.status != "REFERRED")
            .order_by(applications.c.created_at.desc())
            .limit(1)
        )
    ).first()
    return None if row is None else _loaded(session, row)


async def keeper_for_case(*, session: AsyncSession, case_id: str) -> ArbitrationCase | None:
    """The application that took over this case's referred one (the same dispute at two
    commissions), when the case has no application of its own left."""
    if _absent(session, case_id):
        return None
    c = applications.c
    merged = (
        await session.execute(
            select(c.merged_into).where(c.case_id == case_id, c.merged_into.is_not(None)).order_by(c.created_at.desc())
        )
    ).first()
    return None if merged is None else await get(session=session, application_id=merged.merged_into)


async def next_docket_number(*, session: AsyncSession, commission_id: str, year: int) -> int:
    """Take the next number of the commission's year, inside the caller's transaction."""
    dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
    c = docket_counters.c
    stmt = (
        dialect.insert(docket_counters)
        .values(commission_id=commission_id, year=year, last_seq=1)
        .on_conflict_do_update(index_elements=[c.commission_id, c.year], set_={"last_seq": c.last_seq + 1})
        .returning(c.last_seq)
    )
    return int((await session.execute(stmt)).scalar_one())


def _visible(principal: Principal) -> Any:
    c = applications.c
    return visible_cases(
        principal, staff_roles=READ_ROLES, case_id=c.case_id, divisions=[c.division_code, c.commission_division]
    )


async def queue(*, session: AsyncSession, principal: Principal, limit: int) -> list[dict[str, Any]]:
    """Open matters in work order: collective disputes first (优先立案，优先审理), then by due date."""
    c = applications.c
    open_ = c.status.in_(["SUBMITTED", "NEEDS_CORRECTION", "ACCEPTED", "TRIBUNAL_FORMED", "HEARING_SCHEDULED"])
    due = case((c.status.in_(["SUBMITTED", "NEEDS_CORRECTION"]), c.acceptance_due_on), else_=c.award_due_on)
    query = (
        select(applications)
        .where(_visible(principal), open_)
        .order_by(c.collective.desc(), due.asc(), c.received_on.asc(), c.application_id.asc())
        .limit(limit)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def due_for_scan(*, session: AsyncSession, today: Any) -> list[str]:
    """Applications whose clocks may have run out or whose award may take effect by ``today``."""
    c = applications.c
    query = select(c.application_id).where(
        or_(
            and_(c.status == "SUBMITTED", c.acceptance_overdue_on.is_(None), c.acceptance_due_on < today),
            and_(
                c.status.in_(["ACCEPTED", "TRIBUNAL_FORMED", "HEARING_SCHEDULED"]),
                c.award_overdue_on.is_(None),
                c.award_due_on < today,
            ),
            c.status == "AWARDED",
        )
    )
    return list((await session.execute(query.order_by(c.application_id))).scalars().all())
