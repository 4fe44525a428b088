"""The risk picture: what the cases against one employer (or one of its projects) add up to,
per region. Pure Python: a profile is a function of the case facts alone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from labornet_wage_arrears.domain.facts import CaseFacts
from labornet_wage_arrears.domain.keys import NO_PROJECT, short_id

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

    @classmethod
    def of(cls, subject: Subject, cases: list[CaseFacts]) -> RiskProfile:
        live = [c for c in cases if c.is_open]
        named = next((c for c in cases if c.employer_uscc), cases[0])
        return cls(
            subject=subject,
            employer_name=cases[0].employer_name,
            employer_uscc=named.employer_uscc,
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
