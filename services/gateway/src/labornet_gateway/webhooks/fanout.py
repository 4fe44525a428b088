"""Every case event becomes one delivery per subscribed endpoint, inside the inbox transaction
(so an event is fanned out exactly once, and a crash loses none)."""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import Envelope, utcnow
from labornet_common.platform.db import insert_new
from labornet_common.platform.uow import UnitOfWork, after_commit, transaction_state
from labornet_gateway.webhooks.dispatcher import DELIVERIES_QUEUED
from labornet_gateway.webhooks.matching import region_matches, region_of, type_matches
from labornet_gateway.webhooks.tables import case_regions, deliveries, endpoints

_ENDPOINTS_KEY = "labornet.webhook_endpoints"
_WRITTEN = "webhooks.case_regions"  # per transaction: case id -> its region as stored (None: not known)

# Per database, the cases whose region is stored: case id -> that region (None when it is stored
# but this process did not learn which). A case's first region stays (the row is only ever
# inserted), so what a committed transaction learnt stays true: a case's later events skip the
# insert, and a region-less event finds the region without a read. Bounded, least recently used
# out first; a case pushed out costs one statement again.
KNOWN_REGIONS_MAX = 20_000
_known_regions: weakref.WeakKeyDictionary[Any, OrderedDict[str, str | None]] = weakref.WeakKeyDictionary()


def _known(session: AsyncSession) -> OrderedDict[str, str | None]:
    engine = session.get_bind()  # the database's engine: another database knows nothing of these
    known = _known_regions.get(engine)
    if known is None:
        known = _known_regions[engine] = OrderedDict()
    return known


def _learn(session: AsyncSession, case_id: str, region: str | None) -> None:
    """``case_id``'s region is stored (``region``, when known): kept in the transaction, and for
    the process once the transaction has committed."""
    transaction_state(session, _WRITTEN)[case_id] = region
    known = _known(session)

    def keep() -> None:
        if region is not None or case_id not in known:
            known[case_id] = region
        known.move_to_end(case_id)
        while len(known) > KNOWN_REGIONS_MAX:
            known.popitem(last=False)

    after_commit(session, keep)


def structured_body(envelope: Envelope) -> dict[str, Any]:
    """The CloudEvent in structured JSON mode, as receivers get it."""
    attrs = envelope.attributes()
    attrs["time"] = envelope.time.isoformat().replace("+00:00", "Z")
    return {**attrs, "data": envelope.data}


async def _case_region(session: AsyncSession, envelope: Envelope, *, wanted: bool) -> str | None:
    """The event's region, kept for the case's later events that carry none (its first region
    stays); for an event without one, the case's kept region, when ``wanted``."""
    case_id = envelope.subject
    written, known = transaction_state(session, _WRITTEN), _known(session)
    region = region_of(envelope.data)
    if region:
        if case_id not in written and case_id not in known:
            values = {"case_id": case_id, "region": region}
            inserted = await insert_new(session, case_regions, values, key=[case_regions.c.case_id])
            _learn(session, case_id, region if inserted else None)
        return region
    if not wanted:  # no endpoint to match it against: no read
        return None
    stored = written.get(case_id) or known.get(case_id)
    if case_id in known:
        known.move_to_end(case_id)
    if stored is None:
        stored = await session.scalar(select(case_regions.c.region).where(case_regions.c.case_id == case_id))
        if stored is not None:
            _learn(session, case_id, stored)
    return stored


async def _active_endpoints(session: AsyncSession) -> Sequence[Any]:
    """The active endpoints, read once per transaction: a consumer batch fans out all its events
    to the endpoints that were active when it began (one added meanwhile gets the next batch's)."""
    cached: Sequence[Any] | None = session.info.get(_ENDPOINTS_KEY)
    if cached is None:
        query = select(endpoints.c.id, endpoints.c.event_types, endpoints.c.region_scopes)
        cached = (await session.execute(query.where(endpoints.c.status == "active"))).all()
        session.info[_ENDPOINTS_KEY] = cached
    return cached


async def fan_out(uow: UnitOfWork, envelope: Envelope, _data: Any) -> None:
    session = uow.session
    typed = [row for row in await _active_endpoints(session) if type_matches(envelope.type, row.event_types)]
    region = await _case_region(session, envelope, wanted=bool(typed))
    matching = [row for row in typed if region_matches(region, row.region_scopes)]
    if not matching:
        return
    now = utcnow()
    body = structured_body(envelope)
    wanted = [
        {
            "endpoint_id": row.id,
            "event_id": envelope.id,
            "event_type": envelope.type,
            "case_id": envelope.subject,
            "body": body,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for row in matching
    ]
    await session.execute(insert(deliveries), wanted)
    uow.after_commit(DELIVERIES_QUEUED.notify)
