"""The rule engine: from a subject's case facts to alerts raised or updated (pure Python).

``reconcile`` decides, per finding, whether its pattern is new (raise), still under watch
(update the active alert) or back after it was resolved or closed with different evidence
(raise the next occurrence). ``MemoryEngine`` runs the whole chain in memory: facts,
records, profiles, rules, alerts; the service does the same over its database (service/engine.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from labornet_common.contracts.events import EventData
from labornet_wage_arrears.domain.alerts import Alert
from labornet_wage_arrears.domain.config import RuleBook, RuleConfig
from labornet_wage_arrears.domain.facts import CaseFacts
from labornet_wage_arrears.domain.profile import RiskProfile, Subject, group
from labornet_wage_arrears.domain.projection import apply
from labornet_wage_arrears.domain.records import EMPTY, RECORD_EVENTS, Record, Records, apply_record, id_of, keys_of
from labornet_wage_arrears.domain.rules import Finding, evaluate


@dataclass
class Outcome:
    raised: list[Alert] = field(default_factory=list)
    updated: list[Alert] = field(default_factory=list)


def reconcile(
    findings: list[Finding],
    latest: dict[str, Alert],
    profiles: dict[Subject, RiskProfile],
    *,
    now: datetime,
    config: RuleConfig,
) -> Outcome:
    """``latest`` holds the latest occurrence of every alert key of the refreshed picture, so an
    active alert whose pattern is gone is told so (it lapses) rather than left looking current."""
    outcome = Outcome()
    for finding in findings:
        alert = latest.get(finding.key)
        if alert is not None and alert.active:
            if alert.update(finding, now=now):
                outcome.updated.append(alert)
            continue
        if alert is not None and alert.matches(finding):
            continue  # resolved or closed, and nothing new has come in since
        profile = profiles[finding.subject]
        outcome.raised.append(
            Alert.raise_for(
                finding,
                occurrence=1 if alert is None else alert.occurrence + 1,
                employer_name=profile.employer_name,
                employer_uscc=profile.employer_uscc,
                project=profile.project,
                now=now,
                config=config,
            )
        )
    found = {f.key for f in findings}
    for key in sorted(latest.keys() - found):
        if latest[key].lapse(now=now):
            outcome.updated.append(latest[key])
    return outcome


@dataclass(frozen=True)
class Picture:
    """One employer's picture in one region: its profiles and what the rules found."""

    profiles: dict[Subject, RiskProfile]
    findings: list[Finding]


def picture(
    cases: list[CaseFacts], config: RuleConfig, now: datetime, *, records: list[Record] | None = None
) -> Picture:
    """One employer's cases and records in one region; an employer with records and no case yet
    (an order on an inspector's own finding) still has its employer subject."""
    groups = group(cases)
    held = Records.of(records or [])
    for record in records or []:
        groups.setdefault(Subject(*keys_of(record)[:2]), [])
    profiles, findings = {}, []
    for subject, subject_cases in groups.items():
        own = EMPTY if subject.project_key else held
        profiles[subject] = RiskProfile.of(subject, subject_cases, own)
        findings += evaluate(subject, subject_cases, config, now, own)
    return Picture(profiles, findings)


class MemoryEngine:
    """Facts, records, profiles and alerts in memory: the benchmark's pure engine and the tests'
    oracle."""

    def __init__(self, book: RuleBook | None = None) -> None:
        self.book = book or RuleBook()
        self.cases: dict[str, CaseFacts] = {}
        self.records: dict[str, Record] = {}
        self.alerts: dict[str, Alert] = {}  # latest occurrence per key
        self._profiles: dict[tuple[str, str], dict[Subject, RiskProfile]] = {}
        self._by_employer: dict[tuple[str, str], dict[str, CaseFacts]] = {}  # what the database indexes
        self._records_of: dict[tuple[str, str], dict[str, Record]] = {}
        self._alerts_of: dict[tuple[str, str], dict[str, Alert]] = {}

    def handle(self, case_id: str, event: EventData, now: datetime) -> Outcome:
        if isinstance(event, RECORD_EVENTS):
            return self._record(event, now)
        facts = self.cases.setdefault(case_id, CaseFacts(case_id=case_id))
        before = (facts.employer_key, facts.region)
        if not apply(facts, event):
            return Outcome()
        after = (facts.employer_key, facts.region)
        self._by_employer.get(before, {}).pop(case_id, None)
        self._by_employer.setdefault(after, {})[case_id] = facts
        return self._refresh_all({before, after}, now)

    def tick(self, now: datetime) -> Outcome:
        """What the scanner does as days pass: refresh every employer with records (an order's
        limit may have run out)."""
        return self._refresh_all({keys_of(r)[:2] for r in self.records.values()}, now)

    def _record(self, event: EventData, now: datetime) -> Outcome:
        record_key = id_of(event)
        old = self.records.get(record_key)
        before = keys_of(old)[:2] if old is not None else ("", "")
        record = self.records[record_key] = apply_record(old, event)
        after = keys_of(record)[:2]
        self._records_of.get(before, {}).pop(record_key, None)
        self._records_of.setdefault(after, {})[record_key] = record
        return self._refresh_all({before, after}, now)

    def _refresh_all(self, employers: set[tuple[str, str]], now: datetime) -> Outcome:
        outcome = Outcome()
        for employer, region in sorted(employers):
            if employer and region:
                step = self._refresh(employer, region, now)
                outcome.raised += step.raised
                outcome.updated += step.updated
        return outcome

    @property
    def profiles(self) -> dict[Subject, RiskProfile]:
        return {s: p for group in self._profiles.values() for s, p in group.items()}

    def _refresh(self, employer: str, region: str, now: datetime) -> Outcome:
        cases = list(self._by_employer.get((employer, region), {}).values())
        records = list(self._records_of.get((employer, region), {}).values())
        config = self.book.for_region(region)
        found = picture(cases, config, now, records=records)
        self._profiles[(employer, region)] = found.profiles
        latest = self._alerts_of.setdefault((employer, region), {})
        outcome = reconcile(found.findings, dict(latest), found.profiles, now=now, config=config)
        for alert in outcome.raised:
            self.alerts[alert.alert_key] = latest[alert.alert_key] = alert
        return outcome
