"""The rule engine: from a subject's case facts to alerts raised or updated (pure Python).

``reconcile`` decides, per finding, whether its pattern is new (raise), still under watch
(update the active alert) or back after it was resolved or closed with different evidence
(raise the next occurrence). ``MemoryEngine`` runs the whole chain in memory: facts,
profiles, rules, alerts; the service does the same over its database (service/engine.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from labornet_common.events import EventData
from labornet_wage_arrears.domain.alerts import Alert
from labornet_wage_arrears.domain.config import RuleBook, RuleConfig
from labornet_wage_arrears.domain.facts import CaseFacts
from labornet_wage_arrears.domain.profile import RiskProfile, Subject, group
from labornet_wage_arrears.domain.projection import apply
from labornet_wage_arrears.domain.rules import Finding, evaluate


@dataclass
class Outcome:
    raised: list[Alert] = field(default_factory=list)
    updated: list[Alert] = field(default_factory=list)


def reconcile(
    findings: list[Finding], latest: dict[str, Alert], profiles: dict[Subject, RiskProfile], *,
    now: datetime, config: RuleConfig,
) -> Outcome:
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
        outcome.raised.append(Alert.raise_for(
            finding, occurrence=1 if alert is None else alert.occurrence + 1,
            employer_name=profile.employer_name, employer_uscc=profile.employer_uscc,
            project=profile.project, now=now, config=config,
        ))
    return outcome


@dataclass(frozen=True)
class Picture:
    """One employer's picture in one region: its profiles and what the rules found."""

    profiles: dict[Subject, RiskProfile]
    findings: list[Finding]


def picture(cases: list[CaseFacts], config: RuleConfig, now: datetime) -> Picture:
    groups = group(cases)
    profiles = {s: RiskProfile.of(s, cs) for s, cs in groups.items()}
    findings = [f for s, cs in groups.items() for f in evaluate(s, cs, config, now)]
    return Picture(profiles, findings)


class MemoryEngine:
    """Facts, profiles and alerts in memory: the benchmark's pure engine and the tests' oracle."""

    def __init__(self, book: RuleBook | None = None) -> None:
        self.book = book or RuleBook()
        self.cases: dict[str, CaseFacts] = {}
        self.alerts: dict[str, Alert] = {}  # latest occurrence per key
        self._profiles: dict[tuple[str, str], dict[Subject, RiskProfile]] = {}
        self._by_employer: dict[tuple[str, str], dict[str, CaseFacts]] = {}  # what the database indexes

    def handle(self, case_id: str, event: EventData, now: datetime) -> Outcome:
        facts = self.cases.setdefault(case_id, CaseFacts(case_id=case_id))
        before = (facts.employer_key, facts.region)
        if not apply(facts, event):
            return Outcome()
        after = (facts.employer_key, facts.region)
        self._by_employer.get(before, {}).pop(case_id, None)
        self._by_employer.setdefault(after, {})[case_id] = facts
        outcome = Outcome()
        for employer, region in {before, after}:
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
        config = self.book.for_region(region)
        found = picture(cases, config, now)
        self._profiles[(employer, region)] = found.profiles
        outcome = reconcile(found.findings, self.alerts, found.profiles, now=now, config=config)
        for alert in outcome.raised:
            self.alerts[alert.alert_key] = alert
        return outcome
