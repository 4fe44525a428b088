"""The arbitration application / case aggregate (pure Python).

One row per application at one commission: a referral (移送) closes it here and opens a new
application at the competent commission, so each docket keeps its own history. Stage rules
live in admission.py, proceedings.py and outcome.py; they change the case and record events.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from labornet_arbitration.domain import clocks
from labornet_common.contracts.arbitration import ApplicantSide, ApplicationReceived, Source
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import EventData, PendingEvent
from labornet_common.platform.problems import DomainRuleError
from labornet_common.reference.calendar import LegalCalendar

# Statuses (domain-rules §5): the award clock runs in ACTIVE ones and pauses in SUSPENDED.
ACTIVE = frozenset({"ACCEPTED", "TRIBUNAL_FORMED", "HEARING_SCHEDULED"})
UNDECIDED = frozenset({"SUBMITTED", "NEEDS_CORRECTION"})
# Ended without an award: withdrawn, or deemed withdrawn (LDA Art. 36); no clock runs.
WITHDRAWN = frozenset({"WITHDRAWN", "DEEMED_WITHDRAWN"})


class CaseRuleError(DomainRuleError):
    """A rule refused the change; ``code`` is a message code, ``field`` the input at fault
    (answered as problem+json by the platform: 409, or ``status``)."""

    def __init__(self, code: str, *, field: str | None = None, status: int = 409, detail: str = "") -> None:
        super().__init__(code, status=status, field=field, detail=detail)


@dataclass
class ArbitrationCase:
    application_id: str
    case_id: str
    source: Source
    source_key: str
    division_code: str
    commission_id: str
    commission_division: str
    received_on: date
    acceptance_due_on: date
    created_at: datetime
    worker_name: str = ""
    worker_count: int = 1
    collective: bool = False
    employer_name: str = ""
    employer_uscc: str | None = None
    employer_division: str | None = None
    facts: str = ""
    claims: list[dict[str, Any]] = field(default_factory=list)
    tribunal_id: str | None = None
    status: str = "SUBMITTED"
    version: int = 1
    correction_items: list[str] = field(default_factory=list)
    correction_requested_on: date | None = None
    decided_on: date | None = None
    reasons: list[str] = field(default_factory=list)
    referred_to: str | None = None
    case_number: str | None = None
    accepted_on: date | None = None
    serve_copy_due_on: date | None = None
    tribunal_notice_due_on: date | None = None
    respondent_received_on: date | None = None
    defence_due_on: date | None = None
    award_clock_start: date | None = None
    extension_days: int = 0
    paused_days: int = 0
    suspended_since: date | None = None
    resume_status: str | None = None
    award_due_on: date | None = None
    tribunal: dict[str, Any] | None = None
    recusals: list[dict[str, Any]] = field(default_factory=list)
    hearing: dict[str, Any] | None = None
    award: dict[str, Any] | None = None
    acceptance_overdue_on: date | None = None
    award_overdue_on: date | None = None
    court: dict[str, Any] = field(default_factory=dict)
    applicant_side: ApplicantSide = "worker"  # LDA Art. 21: either side may apply
    worker_keys: list[str] = field(default_factory=list)  # blind indexes of the workers' ID numbers
    worker_id_masked: str | None = None  # Rules Art. 29: 身份证件号码, shown masked only
    worker_phone_masked: str | None = None  # Rules Art. 29: 联系电话, shown masked only
    employer_key: str = ""  # the employer as matched across commissions (jurisdiction.py)
    merged_into: str | None = None  # the keeper's application, after a same-dispute referral
    joined_filings: list[str] = field(default_factory=list)  # intake filings already absorbed
    history: list[dict[str, Any]] = field(default_factory=list)  # notices to the parties, in order
    # Procedures as practised (procedures.py): simplified or ordinary, postponements, 公告送达,
    # 先予执行 rulings, partial awards, absences and how the application closed.
    procedure: dict[str, Any] = field(default_factory=dict)
    _events: list[PendingEvent] = field(default_factory=list, repr=False)

    @classmethod
    def receive(cls, *, calendar: LegalCalendar, **values: Any) -> ArbitrationCase:
        """A new application; the 5-day acceptance clock (LDA Art. 29) starts at receipt."""
        received_on: date = values["received_on"]
        case = cls(acceptance_due_on=clocks.acceptance_due(calendar, received_on), **values)
        case.record(
            ApplicationReceived(
                case_id=case.case_id,
                application_id=case.application_id,
                division_code=case.division_code,
                commission_id=case.commission_id,
                tribunal_id=case.tribunal_id,
                source=case.source,
                received_on=received_on,
                acceptance_due_on=case.acceptance_due_on,
                worker_count=case.worker_count,
                collective=case.collective,
                employer_name=case.employer_name,
                employer_uscc=case.employer_uscc,
                claims=[ClaimSummary.model_validate(c) for c in case.claims],
                applicant_side=case.applicant_side,
                worker_keys=case.worker_keys,
            )
        )
        return case

    @property
    def applicant(self) -> str:
        """Who applied: the worker, or (LDA Art. 21) the employer, the workers then responding."""
        return self.employer_name if self.applicant_side == "employer" else self.worker_name

    @property
    def respondents(self) -> list[str]:
        return [self.worker_name] if self.applicant_side == "employer" else [self.employer_name]

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(c["category"] for c in self.claims)

    def note(self, on: date, kind: str, text_zh: str, **details: Any) -> None:
        """A dated entry of the case history (notices to the parties, parties joining)."""
        self.history.append({"on": on.isoformat(), "kind": kind, "text_zh": text_zh, **details})

    @property
    def divisions(self) -> list[str]:
        """Where the case is: the dispute's division and the commission's seat."""
        return [self.division_code, self.commission_division]

    def require(self, *statuses: str) -> None:
        if self.status not in statuses:
            raise CaseRuleError("arbitration.wrong_state", detail=f"status is {self.status}")

    def not_before(self, day: date, earliest: date | None, today: date, name: str) -> None:
        """A recorded date may not precede the previous step nor lie in the future."""
        if (earliest is not None and day < earliest) or day > today:
            raise CaseRuleError("arbitration.date_order", field=name, status=422)

    def record(self, data: EventData) -> None:
        self._events.append(PendingEvent(self.case_id, data))

    def pull_events(self) -> list[PendingEvent]:
        events, self._events = self._events, []
        return events

    def row(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ArbitrationCase:
        names = {f.name for f in fields(cls) if not f.name.startswith("_")}
        return cls(**{k: v for k, v in row.items() if k in names})
