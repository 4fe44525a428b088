"""The rule engine over the database: refresh one employer's picture in one region, from its
case facts and the inspectors' records.

Called inside the consumer's unit of work, so the case facts, the profiles, the alerts and
their events commit together with the inbox row (redelivery changes nothing twice).
"""

from __future__ import annotations

from datetime import datetime

from labornet_common.platform.clock import local_date
from labornet_common.platform.uow import UnitOfWork
from labornet_wage_arrears.adapters import repository
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.domain.engine import Outcome, picture, reconcile


async def refresh(*, uow: UnitOfWork, employer_key: str, region: str, now: datetime, book: RuleBook) -> Outcome:
    session = uow.session
    await repository.hold_picture(session=session, employer_key=employer_key, region=region)
    cases = await repository.cases_of(session=session, employer_key=employer_key, region=region)
    records = await repository.records_of(session=session, employer_key=employer_key, region=region)
    config = book.for_region(region)
    found = picture(cases, config, now, records=records)
    await repository.replace_profiles(
        session=session, employer_key=employer_key, region=region, profiles=list(found.profiles.values()), now=now
    )
    if records:
        await repository.mark_lapses_seen(
            session=session, employer_key=employer_key, region=region, today=local_date(now)
        )
    latest = await repository.latest_alerts(session=session, employer_key=employer_key, region=region)
    outcome = reconcile(found.findings, latest, found.profiles, now=now, config=config)
    for alert in outcome.raised:
        await repository.add_alert(session=session, alert=alert)
    for alert in outcome.updated:
        await repository.save_alert(session=session, alert=alert)
    return outcome
