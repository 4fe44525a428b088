"""The risk picture: what the cases against one employer (or one of its projects) add up to,
per region. Pure Python: a profile is a function of the case facts alone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from labornet_wage_arrears.domain.facts import CaseFacts
from labornet_wage_arrears.domain.keys import NO_PROJECT, short_id
from labornet_wage_arrears.domain.records import EMPTY, Incident, Order, Records

EMPLOYER, PROJECT = "employer", "project"


@dataclass(frozen=True)
class Subject:
    """Whom a profile or alert is about: an employer in a region, or one of its projects."""

    employer_key: str
    region_code: str
    project_key: str = NO_PROJECT

    @property
    def kind(self) -> str:
        return PROJECT if self.project_key else EMPLOYER

    @property
    def key(self) -> str:
        return f"{self.employer_key}|{self.project_key}|{self.region_code}"

    @property
    def id(self) -> str:
        return short_id(self.key)


@dataclass(frozen=True)
class RiskProfile:
    subject: Subject
    employer_name: str
    employer_uscc: str | None
    project: str | None
    cases: int
    complaints: int
    open_complaints: int
    workers_involved: int
    claimed_fen: int
    wages_claimed_fen: int
    agreed_fen: int
    awarded_fen: int
    unpaid_agreements_fen: int
    unpaid_awards_fen: int
    police_linked: int
    collective_cases: int
    orders_unpaid_fen: int = 0
    incidents: int = 0

    @classmethod
    def of(cls, subject: Subject, cases: list[CaseFacts], records: Records = EMPTY) -> RiskProfile:
        """The profile of the cases and, on the employer subject, of the inspectors' records (a
        subject may have records and no case yet: an order issued on an inspector's own finding)."""
        live = [c for c in cases if c.is_open]
        named: list[CaseFacts | Order | Incident] = [*cases, *records.orders, *records.incidents]
        on_employer = not subject.project_key
        return cls(
            subject=subject,
            employer_name=named[0].employer_name,
            employer_uscc=next((n.employer_uscc for n in named if n.employer_uscc), None),
            project=next((c.project for c in cases if c.project), None) if subject.project_key else None,
            cases=len(cases),
            complaints=sum(c.is_complaint for c in cases),
            open_complaints=sum(c.is_complaint for c in live),
            workers_involved=sum(c.worker_count for c in live),
            claimed_fen=sum(c.claimed_fen for c in live),
            wages_claimed_fen=sum(c.wages_fen for c in live),
            agreed_fen=sum(c.agreed_fen for c in cases),
            awarded_fen=sum(c.awarded_fen for c in cases),
            unpaid_agreements_fen=sum(c.unpaid_agreements_fen for c in cases),
            unpaid_awards_fen=sum(c.unpaid_awards_fen for c in cases),
            police_linked=sum(c.police_linked for c in live),
            collective_cases=sum(c.collective for c in live),
            orders_unpaid_fen=sum(o.unpaid_fen for o in records.orders if o.served_on) if on_employer else 0,
            incidents=len(records.incidents) if on_employer else 0,
        )


def subjects_of(case: CaseFacts) -> list[Subject]:
    """The employer subject of a case and, when it names a project, the project subject."""
    if not case.employer_key or not case.region:
        return []
    employer = Subject(case.employer_key, case.region)
    if not case.project_key:
        return [employer]
    return [employer, Subject(case.employer_key, case.region, case.project_key)]


def group(cases: Iterable[CaseFacts]) -> dict[Subject, list[CaseFacts]]:
    """Cases by subject, each list in case-id order (so the picture never depends on arrival)."""
    groups: dict[Subject, list[CaseFacts]] = defaultdict(list)
    for case in sorted(cases, key=lambda c: c.case_id):
        for subject in subjects_of(case):
            groups[subject].append(case)
    return dict(groups)
