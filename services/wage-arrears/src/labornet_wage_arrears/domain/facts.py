"""What the desk knows about one case, folded from every case topic (pure Python).

Each case event updates the facts of its case; the risk picture and the alert rules read only
these facts, so rebuilding them from the topics gives the same picture as building them live.
Events of a case may come from any service first (a clerk may open a mediation case directly),
so every event fills in the employer when it names one and nothing else has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from labornet_common.contracts.claims import ClaimCategory
from labornet_common.contracts.passport import Passport
from labornet_wage_arrears.domain.keys import county_of, employer_key, project_key

WAGES = ClaimCategory.labor_remuneration.value
OPEN, CLOSED = "open", "closed"


@dataclass
class Agreement:
    """A mediation agreement (调解协议书) and what became of it (LDA Arts. 14-16)."""

    agreement_id: str
    total_fen: int = 0
    effective_on: str | None = None
    unpaid_fen: int = 0
    breached_on: str | None = None
    performed_on: str | None = None

    @property
    def unpaid(self) -> int:
        return self.unpaid_fen if self.breached_on and not self.performed_on else 0


@dataclass
class Award:
    """An arbitration award or 调解书 (LDA Arts. 42, 47, 50)."""

    case_number: str
    issued_on: str | None = None
    kind: str = "award"
    granted_fen: int = 0
    effective_on: str | None = None


@dataclass
class CaseFacts:
    case_id: str
    region_code: str = ""
    employer_name: str = ""
    employer_uscc: str | None = None
    project: str | None = None
    tracking_number: str = ""
    channel: str = ""
    received_at: str | None = None  # ISO time the complaint was received at intake
    worker_count: int = 1
    collective: bool = False
    police_linked: bool = False
    status: str = OPEN
    claims: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    court: list[dict[str, Any]] = field(default_factory=list)  # court events: kind, date, court, number
    # Where the dispute stands across the network (labornet_common.contracts.passport), as stored.
    passport: dict[str, Any] | None = None

    # -- identity --------------------------------------------------------------------------

    @property
    def region(self) -> str:
        return county_of(self.region_code)

    @property
    def employer_key(self) -> str:
        return employer_key(uscc=self.employer_uscc, name=self.employer_name, region_code=self.region_code)

    @property
    def project_key(self) -> str:
        return project_key(self.project)

    @property
    def where(self) -> Passport | None:
        return Passport.from_dict(self.passport) if self.passport else None

    # -- amounts ---------------------------------------------------------------------------

    @property
    def is_complaint(self) -> bool:
        return self.received_at is not None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def claimed_fen(self) -> int:
        return sum(c.get("amount_fen") or 0 for c in self.claims)

    @property
    def wage_claims(self) -> list[dict[str, Any]]:
        return [c for c in self.claims if c.get("category") == WAGES]

    @property
    def wages_fen(self) -> int:
        return sum(c.get("amount_fen") or 0 for c in self.wage_claims)

    @property
    def agreed_fen(self) -> int:
        return sum(a.total_fen for a in self.agreements)

    @property
    def unpaid_agreements_fen(self) -> int:
        return sum(a.unpaid for a in self.agreements)

    @property
    def awarded_fen(self) -> int:
        return sum(a.granted_fen for a in self.awards)

    @property
    def enforcement_applied(self) -> bool:
        return any(c["kind"] == "enforcement_applied" for c in self.court)

    @property
    def unpaid_awards_fen(self) -> int:
        """An effective award the worker had to take to court for enforcement (LDA Art. 51):
        the clearest evidence the employer did not pay it."""
        if not self.enforcement_applied:
            return 0
        return sum(a.granted_fen for a in self.awards if a.effective_on)

    # -- storage ---------------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """What ``dataclasses.asdict`` gives, without its copy of every nested value: the
        agreements and awards (changed in place) become dicts of their own; the lists of claims
        and court entries are new lists of the same entries, and the passport is the same dict:
        the projection replaces those and never changes them in place. A consumer batch takes
        this several times per event, and a collective case carries a claim per worker: copying
        each claim made every event of a large case cost as much as its workers."""
        row = {name: getattr(self, name) for name in _SCALARS}
        row["claims"] = list(self.claims)
        row["agreements"] = [dict(vars(a)) for a in self.agreements]
        row["awards"] = [dict(vars(a)) for a in self.awards]
        row["court"] = list(self.court)
        row["passport"] = self.passport
        return row

    def to_row(self) -> dict[str, Any]:
        row = self.as_dict()
        row.update(employer_key=self.employer_key, project_key=self.project_key, region=self.region)
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CaseFacts:
        names = cls.__dataclass_fields__
        values = {k: v for k, v in row.items() if k in names}
        values["agreements"] = [Agreement(**a) for a in values.get("agreements") or []]
        values["awards"] = [Award(**a) for a in values.get("awards") or []]
        values["claims"] = list(values.get("claims") or [])
        values["court"] = list(values.get("court") or [])
        return cls(**values)


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_NESTED = ("claims", "agreements", "awards", "court", "passport")
_SCALARS = tuple(name for name in CaseFacts.__dataclass_fields__ if name not in _NESTED)
