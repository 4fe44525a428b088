"""Mediation case aggregate (pure Python): its states, and the event each transition records.

RECEIVED → ACCEPTED | DECLINED → MEDIATING → AGREED | FAILED → PERFORMED | BREACHED → court or
arbitration (domain-rules §5). Outcome transitions (agreement, performance, court) live in
``outcomes.py``; this module holds the case and its mediation phase.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NoReturn, SupportsIndex, TypeVar

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import EventData, PendingEvent
from labornet_common.contracts.mediation import (
    MediationCaseAccepted,
    MediationCaseClosed,
    MediationCaseDeclined,
    MediationCaseOpened,
    MediationFailed,
    MediationPeriodExtended,
    MediationWorkersJoined,
    MediatorAssigned,
    SessionScheduled,
)
from labornet_common.platform.clock import local_date
from labornet_common.reference.calendar import LegalCalendar
from labornet_mediation.domain.agreement import Agreement, RuleBroken
from labornet_mediation.domain.clocks import mediation_due_on
from labornet_mediation.domain.outcomes import CaseOutcome, OutcomeTransitions

COLLECTIVE_WORKERS = 10  # LDA Art. 7: 劳动者一方在十人以上，并有共同请求的，可以推举代表
MEDIATION_PERIOD_DAYS = 15  # LDA Art. 14: no agreement within 15 days of receipt → arbitration
ACTIVE = frozenset({"RECEIVED", "ACCEPTED", "MEDIATING"})  # the 15-day clock runs
TRANSFERABLE = frozenset({"FAILED", "BREACHED", "DECLINED"})


def is_collective(worker_count: int, *, common_claim: bool) -> bool:
    """LDA Art. 7: a collective dispute has ten or more workers with a common claim."""
    return worker_count >= COLLECTIVE_WORKERS and common_claim


T = TypeVar("T")


class UnreadList(list[T]):
    """A case's claims or history read only to be added to (a consumer batch adding the workers
    who join): it holds what was added since the case was read, after the ``base`` entries before
    it, which were not read. Reading it as the whole list raises ``UnreadList.NotRead``; the case
    read whole (``repository.load`` outside a batch) has a plain list."""

    class NotRead(RuntimeError):
        """The list's stored entries were not read."""

    def __init__(self, base: int, added: Iterable[T] = ()) -> None:
        super().__init__(added)
        self.base = base

    def added(self) -> list[T]:
        return list(super().__iter__())

    def _whole(self, *_: object, **__: object) -> NoReturn:
        raise UnreadList.NotRead(f"only the {super().__len__()} entries added after the first {self.base} were read")

    __iter__ = __len__ = __bool__ = __contains__ = __reversed__ = _whole
    __eq__ = __ne__ = __add__ = __mul__ = __rmul__ = copy = index = count = _whole

    def __getitem__(self, index: SupportsIndex | slice) -> NoReturn:
        self._whole()


def entries_from(items: list[T], start: int) -> list[T]:
    """The entries of a case's list from number ``start`` (numbered from 0 in the whole list)."""
    if isinstance(items, UnreadList):
        if start < items.base:
            raise UnreadList.NotRead(f"entries before {items.base} were not read")
        return items.added()[start - items.base :]
    return items[start:]


def length_of(items: list[Any]) -> int:
    """How many entries a case's list has, read whole or not."""
    return items.base + len(items.added()) if isinstance(items, UnreadList) else len(items)


@dataclass(frozen=True)
class MediatorRef:
    mediator_id: str
    subject: str  # the principal subject the mediator signs in with
    name: str


@dataclass(frozen=True)
class Session:
    session_id: str
    starts_at: datetime
    place: str = ""
    video_link: str = ""
    attendees: tuple[str, ...] = ()


@dataclass
class MediationCase(OutcomeTransitions):
    case_id: str
    division_code: str
    worker_name: str
    employer_name: str
    facts: str
    claims: list[dict[str, Any]]
    received_on: date
    due_on: date
    opened_at: datetime
    status: str = "RECEIVED"
    assigned_to: str | None = None  # a mediator's subject, possibly of another region
    centre_id: str | None = None
    centre_name: str = ""
    workplace_division: str = ""
    employer_uscc: str | None = None
    employer_division: str | None = None
    worker_count: int = 1
    collective: bool = False  # 10+ workers with a common claim (LDA Art. 7)
    joined_filings: list[str] = field(default_factory=list)  # intake filings whose workers joined
    tracking_number: str = ""
    origin: str = "intake"
    mediator_id: str | None = None
    mediator_name: str | None = None
    recused: list[str] = field(default_factory=list)  # mediator ids who stepped aside
    decline_reason: str | None = None
    failure_reason: str | None = None
    outcome: str | None = None
    closed_on: date | None = None
    warned_on: date | None = None
    history_zh: list[str] = field(default_factory=list)
    agreement: Agreement | None = None
    version: int = 0
    _events: list[PendingEvent] = field(default_factory=list, repr=False)

    @classmethod
    def open(
        cls,
        *,
        case_id: str,
        division_code: str,
        worker_name: str,
        employer_name: str,
        facts: str,
        claims: list[dict[str, Any]],
        opened_at: datetime,
        calendar: LegalCalendar,
        received_on: date | None = None,
        **details: object,
    ) -> MediationCase:
        received_on = received_on or local_date(opened_at)
        case = cls(
            case_id=case_id,
            division_code=division_code,
            worker_name=worker_name,
            employer_name=employer_name,
            facts=facts,
            claims=claims,
            received_on=received_on,
            due_on=mediation_due_on(received_on, calendar),
            opened_at=opened_at,
            **details,  # type: ignore[arg-type]
        )
        case._note(received_on, f"{case.centre_name or '调解组织'}收到调解申请，调解期限至{case.due_on.isoformat()}")
        case._record(
            MediationCaseOpened(
                case_id=case_id,
                centre_id=case.centre_id,
                centre_name=case.centre_name or None,
                division_code=division_code,
                received_on=received_on,
                due_on=case.due_on,
                employer_name=employer_name,
                employer_uscc=case.employer_uscc,
                worker_count=case.worker_count,
                collective=case.collective,
                claims=[ClaimSummary.model_validate(c) for c in claims],
                workplace_division=case.workplace_division,
                origin=case.origin,  # type: ignore[arg-type]
            )
        )
        return case

    # -- mediation phase --------------------------------------------------------------------

    def accept(self, *, on: date) -> None:
        self._require({"RECEIVED"}, "accept")
        self.status = "ACCEPTED"
        self._note(on, "调解组织受理")
        self._record(
            MediationCaseAccepted(
                case_id=self.case_id,
                division_code=self.division_code,
                accepted_on=on,
                mediator_id=self.mediator_id,
            )
        )

    def decline(self, *, on: date, reason: str) -> None:
        # The worker may then apply for arbitration directly (LDA Art. 5).
        self._require({"RECEIVED"}, "decline")
        self.status, self.decline_reason = "DECLINED", reason
        self._note(on, f"调解组织不予受理：{reason}")
        self._record(
            MediationCaseDeclined(
                case_id=self.case_id,
                division_code=self.division_code,
                reason=reason,
                declined_on=on,
            )
        )

    def assign(self, mediator: MediatorRef, *, on: date, recusal_ground: str | None = None) -> None:
        self._require(ACTIVE, "assign")
        if mediator.mediator_id in self.recused:
            raise RuleBroken("mediation.mediator_recused", "this mediator stepped aside", field_name="mediator_id")
        # After a recusal the case is briefly unassigned: the previous mediator is the one who left.
        previous = self.mediator_id or (self.recused[-1] if recusal_ground and self.recused else None)
        self.mediator_id, self.assigned_to, self.mediator_name = mediator.mediator_id, mediator.subject, mediator.name
        self._note(on, f"指派调解员{mediator.name}")
        self._record(
            MediatorAssigned(
                case_id=self.case_id,
                division_code=self.division_code,
                mediator_id=mediator.mediator_id,
                mediator_name=mediator.name,
                previous_mediator_id=previous,
                centre_id=self.centre_id,
                recusal_ground=recusal_ground,
            )
        )

    def recuse(self, mediator_id: str, *, on: date, ground_zh: str) -> None:
        """The mediator steps aside (grounds modelled on LDA Art. 33); a replacement follows."""
        self._require(ACTIVE, "recuse")
        if mediator_id != self.mediator_id:
            raise RuleBroken("mediation.not_assigned", "that mediator is not on this case", field_name="mediator_id")
        self.recused.append(mediator_id)
        self._note(on, f"调解员{self.mediator_name}回避：{ground_zh}")
        self.mediator_id = self.assigned_to = self.mediator_name = None

    def release(self, *, on: date, why_zh: str) -> None:
        """The mediator left the centre's roster (moved or retired) and nobody else serves
        there: the case waits, unassigned, in the centre's queue."""
        self._require(ACTIVE, "release")
        self._note(on, f"调解员{self.mediator_name}{why_zh}，本案待重新指派调解员")
        self.mediator_id = self.assigned_to = self.mediator_name = None

    def extend_period(self, *, extra_days: int, new_due_on: date, agreed_on: date, note: str = "") -> None:
        """Both parties agreed to go on mediating (rules in extension.py): the clock ends on
        ``new_due_on`` and warns again before it."""
        self._require(ACTIVE, "extend the mediation period of")
        previous, self.due_on, self.warned_on = self.due_on, new_due_on, None
        self._note(
            agreed_on,
            f"经双方当事人同意，调解期限延长{extra_days}日，由{previous.isoformat()}延至{new_due_on.isoformat()}"
            + (f"（{note}）" if note else ""),
        )
        self._record(
            MediationPeriodExtended(
                case_id=self.case_id,
                division_code=self.division_code,
                previous_due_on=previous,
                due_on=new_due_on,
                extra_days=extra_days,
                agreed_on=agreed_on,
                note=note,
            )
        )

    def schedule_session(self, session: Session) -> None:
        self._require(ACTIVE - {"RECEIVED"}, "schedule a session")
        self.status = "MEDIATING"
        where = "视频调解" if session.video_link else session.place
        self._note(local_date(session.starts_at), f"安排调解会议（{where}）")
        self._record(
            SessionScheduled(
                case_id=self.case_id,
                division_code=self.division_code,
                session_id=session.session_id,
                starts_at=session.starts_at,
                place=session.place,
                video_link=session.video_link,
                attendees=list(session.attendees),
            )
        )

    def record_attendance(self, *, on: date, attended: list[str]) -> None:
        self._require(ACTIVE - {"RECEIVED"}, "record attendance")
        self._note(on, "调解会议出席：" + ("、".join(attended) or "无人出席"))

    def fail(self, *, on: date, reason: str, note: str = "") -> None:
        """No agreement: the parties could not agree, one refused, or 15 days ran out (LDA Art. 14)."""
        self._require(ACTIVE, "record a failure")
        self.status, self.failure_reason = "FAILED", reason
        label = {"timed_out": "调解期限届满未达成协议", "party_refused": "一方当事人拒绝调解"}.get(reason, "调解不成")
        self._note(on, label + (f"：{note}" if note else ""))
        self._record(
            MediationFailed(
                case_id=self.case_id,
                division_code=self.division_code,
                reason=reason,  # type: ignore[arg-type]
                failed_on=on,
                note=note,
            )
        )

    def withdraw(self, *, on: date, reason: str) -> bool:
        """The worker withdrew the complaint at intake: mediation stops (no transfer follows)."""
        if self.status not in ACTIVE:
            return False
        self.status = "WITHDRAWN"
        self._note(on, f"申请人撤回申请：{reason}")
        self.close(on=on, outcome="withdrawn")
        return True

    def join_workers(
        self, *, filing_id: str, worker_count: int, collective: bool, claims: list[dict[str, Any]], on: date
    ) -> bool:
        """Workers of a filing intake grouped into this case join it, once per filing; the
        count never goes down. False when the filing already joined."""
        if filing_id in self.joined_filings:
            return False
        self.joined_filings.append(filing_id)
        self.worker_count = max(self.worker_count, worker_count)
        self.collective = self.collective or is_collective(self.worker_count, common_claim=collective)
        self.claims.extend(claims)
        kind = "（集体争议）" if self.collective else ""
        self._note(on, f"新增劳动者加入本案，现有劳动者{self.worker_count}人{kind}")
        self._record(
            MediationWorkersJoined(
                case_id=self.case_id,
                division_code=self.division_code,
                filing_id=filing_id,
                worker_count=self.worker_count,
                collective=self.collective,
                claims=[ClaimSummary.model_validate(c) for c in claims],
            )
        )
        return True

    def close(self, *, on: date, outcome: CaseOutcome) -> None:
        self.outcome, self.closed_on = outcome, on
        self._record(
            MediationCaseClosed(
                case_id=self.case_id,
                division_code=self.division_code,
                outcome=outcome,
                closed_on=on,
            )
        )

    # -- plumbing ---------------------------------------------------------------------------

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    def _require(self, states: frozenset[str] | set[str], action: str) -> None:
        if self.status not in states:
            raise RuleBroken("mediation.wrong_state", f"cannot {action} a case that is {self.status}")

    def _note(self, on: date, text: str) -> None:
        self.history_zh.append(f"{on.isoformat()} {text}")

    def _record(self, data: EventData) -> None:
        self._events.append(PendingEvent(self.case_id, data))

    def pull_events(self) -> list[PendingEvent]:
        events, self._events = self._events, []
        return events
