"""The rule engine over the database: refresh employers' pictures (one employer in one region
each), from their case facts and the inspectors' records.

Called inside the consumer's unit of work, so the case facts, the profiles, the alerts and
their events commit together with the inbox row (redelivery changes nothing twice).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from labornet_common.platform.clock import local_date
from labornet_common.platform.context import traceparent_var
from labornet_common.platform.uow import UnitOfWork
from labornet_wage_arrears.adapters import repository
from labornet_wage_arrears.adapters.repository import PictureKey
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.domain.engine import Outcome, picture, reconcile
from labornet_wage_arrears.domain.facts import CaseFacts


async def refresh(*, uow: UnitOfWork, employer_key: str, region: str, now: datetime, book: RuleBook) -> Outcome:
    """One employer's picture in one region (see ``refresh_pictures``)."""
    outcomes = await refresh_pictures(uow=uow, pictures=[(employer_key, region)], now=now, book=book)
    return outcomes[(employer_key, region)]


async def refresh_pictures(
    *,
    uow: UnitOfWork,
    pictures: Sequence[PictureKey],
    now: datetime,
    book: RuleBook,
    traces: Mapping[PictureKey, str | None] | None = None,
    held: Mapping[str, CaseFacts] | None = None,
) -> dict[PictureKey, Outcome]:
    """Several employers' pictures at once, each as on its own: their locks taken, their cases,
    records and latest alerts read, their profiles replaced, one statement each for them all;
    then each picture's alerts raised or updated, their events in the picture's trace (``traces``:
    the trace that asked for each picture; else the current one). ``held``: the cases this
    transaction wrote, as written (``repository.cases_of``)."""
    session = uow.session
    pictures = sorted(set(pictures))
    await repository.hold_pictures(session=session, pictures=pictures)
    cases = await repository.cases_of(session=session, pictures=pictures, held=held)
    records = await repository.records_of(session=session, pictures=pictures)
    found = {p: picture(cases[p], book.for_region(p[1]), now, records=records[p]) for p in pictures}
    await repository.replace_profiles(
        session=session, profiles={p: list(f.profiles.values()) for p, f in found.items()}, now=now
    )
    for employer_key, region in (p for p in pictures if records[p]):
        await repository.mark_lapses_seen(
            session=session, employer_key=employer_key, region=region, today=local_date(now)
        )
    latest = await repository.latest_alerts(session=session, pictures=pictures)
    outcomes = {}
    for p in pictures:
        token = traceparent_var.set(traces[p]) if traces and p in traces else None
        try:
            outcome = reconcile(found[p].findings, latest[p], found[p].profiles, now=now, config=book.for_region(p[1]))
            for alert in (*outcome.raised, *outcome.updated):
                uow.track(alert)
            uow.collect()  # the picture's alert events, in its trace
        finally:
            if token is not None:
                traceparent_var.reset(token)
        outcomes[p] = outcome
    # Every picture's new alerts in one statement, their changed ones in one per set of columns.
    await repository.add_alerts(session=session, alerts=[a for o in outcomes.values() for a in o.raised])
    await repository.save_alerts(session=session, alerts=[a for o in outcomes.values() for a in o.updated])
    return outcomes
