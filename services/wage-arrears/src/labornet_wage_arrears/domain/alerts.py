"""The alert aggregate: one per pattern occurrence, with owners, clocks and escalation.

    open → acknowledged → dispatched → resolved
      └──────────┴────────────┴──────→ closed (with a reason)

An open alert must be acknowledged, and an acknowledged one dispatched, before its clock runs
out; otherwise it is escalated (severity rises one step, the clock restarts at the new
severity's length). No national figure exists for these clocks: they are configurable.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from labornet_common.contracts.events import PendingEvent
from labornet_common.contracts.wage_arrears import (
    AlertRaised,
    AlertStateChanged,
    AlertUpdated,
    ReferralRecommended,
)
from labornet_common.platform.problems import DomainRuleError
from labornet_wage_arrears.domain.config import SEVERITY_RANK, RuleConfig, Severity
from labornet_wage_arrears.domain.rules import Finding

_NAMESPACE = uuid.UUID("6f1c9a52-3f0e-4f55-9d55-7a1e0c0d2b11")
ACTIVE = ("open", "acknowledged", "dispatched")
FINAL = ("resolved", "closed")
DISPATCH_TARGETS = ("inspection_brigade", "police", "region")
_STEP_UP: dict[Severity, Severity] = {"yellow": "orange", "orange": "red", "red": "red"}
# The states a person moves an alert into (escalation is the clock's, see ``escalate``).
Move = Literal["acknowledged", "dispatched", "resolved", "closed"]


class TransitionRefused(DomainRuleError):
    """The alert's state does not allow the move (answered 409, naming the state)."""

    def __init__(self, state: str, action: str) -> None:
        super().__init__(
            "wage_arrears.transition_refused",
            detail=f"an alert that is {state} cannot be {action}",
            extra={"state": state},
        )
        self.state, self.action = state, action


def alert_id_for(key: str, occurrence: int) -> str:
    """Deterministic: replaying the topics into a fresh database gives the same ids."""
    return str(uuid.uuid5(_NAMESPACE, f"{key}#{occurrence}"))


@dataclass
class Alert:
    alert_id: str
    alert_key: str
    occurrence: int
    rule: str
    severity: Severity
    region_code: str
    subject_kind: str
    employer_key: str
    employer_name: str
    employer_uscc: str | None
    project: str | None
    source: str
    summary_zh: str
    action: str
    case_ids: list[str]
    worker_count: int
    amount_fen: int
    basis: dict[str, Any]
    raised_at: datetime
    updated_at: datetime
    referral_id: str | None = None
    state: str = "open"
    clock: str | None = "acknowledge"
    due_at: datetime | None = None
    escalation_level: int = 0
    owner: str | None = None
    dispatched_to: str | None = None
    dispatched_region: str | None = None  # the region an alert was dispatched to also works it
    reason: str = ""
    history: list[dict[str, Any]] = field(default_factory=list)
    holds: bool = True  # the pattern still holds; false once its cases were closed or paid
    _events: list[PendingEvent] = field(default_factory=list, repr=False)

    # -- raising and updating -------------------------------------------------------------

    @classmethod
    def raise_for(
        cls,
        finding: Finding,
        *,
        occurrence: int,
        employer_name: str,
        employer_uscc: str | None,
        project: str | None,
        now: datetime,
        config: RuleConfig,
    ) -> Alert:
        alert_id = alert_id_for(finding.key, occurrence)
        subject = finding.subject
        alert = cls(
            alert_id=alert_id,
            alert_key=finding.key,
            occurrence=occurrence,
            rule=finding.rule,
            severity=finding.severity,
            region_code=subject.region_code,
            subject_kind=subject.kind,
            employer_key=subject.employer_key,
            employer_name=employer_name,
            employer_uscc=employer_uscc,
            project=project,
            source=finding.source,
            summary_zh=finding.summary_zh,
            action=finding.action,
            case_ids=list(finding.case_ids),
            worker_count=finding.worker_count,
            amount_fen=finding.amount_fen,
            basis=dict(finding.basis),
            raised_at=now,
            updated_at=now,
            referral_id=str(uuid.uuid5(_NAMESPACE, f"referral|{alert_id}")) if finding.referral else None,
            due_at=now + timedelta(hours=config.ack_hours[finding.severity]),
        )
        alert._note("open", now, by=None, note=finding.summary_zh)
        alert._record(
            AlertRaised(
                **alert._common(),
                raised_at=now,
                summary_zh=alert.summary_zh,
                source=alert.source,
                case_ids=alert.case_ids,
                worker_count=alert.worker_count,
                amount_fen=alert.amount_fen,
                ack_due_at=alert.due_at,
                recommended_action=alert.action,
            )
        )
        if alert.referral_id:
            alert._record(
                ReferralRecommended(
                    **alert._common(),
                    referral_id=alert.referral_id,
                    recommended_at=now,
                    worker_count=alert.worker_count,
                    amount_fen=alert.amount_fen,
                    case_ids=alert.case_ids,
                )
            )
        return alert

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    def matches(self, finding: Finding) -> bool:
        return (self.case_ids, self.worker_count, self.amount_fen, self.summary_zh) == (
            list(finding.case_ids),
            finding.worker_count,
            finding.amount_fen,
            finding.summary_zh,
        )

    def update(self, finding: Finding, *, now: datetime) -> bool:
        """New evidence for the same pattern; severity only ever rises. False if nothing changed."""
        if self.matches(finding) and self.holds:
            return False
        if not self.holds:
            self._note("holds", now, by=None, note="预警情形再次出现")
        self.holds = True
        self.case_ids, self.worker_count = list(finding.case_ids), finding.worker_count
        self.amount_fen, self.summary_zh, self.basis = finding.amount_fen, finding.summary_zh, dict(finding.basis)
        if SEVERITY_RANK[finding.severity] > SEVERITY_RANK[self.severity]:
            self.severity = finding.severity
        self.updated_at = now
        self._record(
            AlertUpdated(
                **self._common(),
                updated_at=now,
                summary_zh=self.summary_zh,
                case_ids=self.case_ids,
                worker_count=self.worker_count,
                amount_fen=self.amount_fen,
                pattern_holds=True,
            )
        )
        return True

    def lapse(self, *, now: datetime) -> bool:
        """The pattern no longer holds (its complaints were closed or withdrawn, the agreement
        paid): the alert stays with its owner, who closes or resolves it, and its clock stops
        escalating. False when there is nothing to say (inactive, or already lapsed)."""
        if not self.active or not self.holds:
            return False
        self.holds, self.updated_at = False, now
        self._note("lapsed", now, by=None, note="预警情形已消除，待处置人员结案")
        self._record(
            AlertUpdated(
                **self._common(),
                updated_at=now,
                summary_zh=self.summary_zh,
                case_ids=self.case_ids,
                worker_count=self.worker_count,
                amount_fen=self.amount_fen,
                pattern_holds=False,
            )
        )
        return True

    # -- lifecycle -------------------------------------------------------------------------

    def acknowledge(self, *, by: str, now: datetime, config: RuleConfig) -> None:
        self._require("open", action="acknowledged")
        self.owner = by
        self._move(
            "acknowledged",
            now,
            by=by,
            clock="dispatch",
            due=now + timedelta(hours=config.dispatch_hours[self.severity]),
        )

    def dispatch(self, *, by: str, to: str, now: datetime, note: str = "") -> None:
        self._require("open", "acknowledged", action="dispatched")
        self.owner, self.dispatched_to = self.owner or by, to
        self.dispatched_region = to.removeprefix("region:") if to.startswith("region:") else None
        self._move("dispatched", now, by=by, clock=None, due=None, reason=note)

    def resolve(self, *, by: str, reason: str, now: datetime) -> None:
        self._require("acknowledged", "dispatched", action="resolved")
        self._move("resolved", now, by=by, clock=None, due=None, reason=reason)

    def close(self, *, by: str, reason: str, now: datetime) -> None:
        self._require(*ACTIVE, action="closed")
        self._move("closed", now, by=by, clock=None, due=None, reason=reason)

    def overdue(self, now: datetime) -> bool:
        return self.active and self.holds and self.due_at is not None and self.due_at <= now

    def escalate(self, *, now: datetime, config: RuleConfig) -> None:
        """The clock ran out: one step up in severity, and the same clock starts again."""
        self.severity = _STEP_UP[self.severity]
        self.escalation_level += 1
        hours = config.ack_hours if self.clock == "acknowledge" else config.dispatch_hours
        self.due_at = now + timedelta(hours=hours[self.severity])
        self.updated_at = now
        self._note("escalated", now, by=None, note=f"{self.clock} overdue")
        self._record(
            AlertStateChanged(
                **self._common(),
                state="escalated",
                changed_at=now,
                owner=self.owner,
                reason=f"{self.clock} clock ran out",
                escalation_level=self.escalation_level,
                due_at=self.due_at,
            )
        )

    # -- internals -------------------------------------------------------------------------

    def _require(self, *states: str, action: str) -> None:
        if self.state not in states:
            raise TransitionRefused(self.state, action)

    def _move(
        self, state: Move, now: datetime, *, by: str, clock: str | None, due: datetime | None, reason: str = ""
    ) -> None:
        self.state, self.clock, self.due_at, self.updated_at = state, clock, due, now
        self.reason = reason or self.reason
        self._note(state, now, by=by, note=reason)
        self._record(
            AlertStateChanged(
                **self._common(),
                state=state,
                changed_at=now,
                owner=self.owner,
                dispatched_to=self.dispatched_to,
                reason=reason,
                escalation_level=self.escalation_level,
                due_at=due,
            )
        )

    def _note(self, state: str, now: datetime, *, by: str | None, note: str) -> None:
        self.history = [*self.history, {"state": state, "at": now.isoformat(), "by": by, "note": note}]

    def _common(self) -> dict[str, Any]:
        return {
            "alert_id": self.alert_id,
            "region_code": self.region_code,
            "rule": self.rule,
            "severity": self.severity,
            "employer_name": self.employer_name,
            "employer_uscc": self.employer_uscc,
            "project": self.project,
            "alert_key": self.alert_key,
        }

    def _record(self, data: Any) -> None:
        self._events.append(PendingEvent(self.alert_id, data))

    def pull_events(self) -> list[PendingEvent]:
        events, self._events = self._events, []
        return events

    def copy(self) -> Alert:
        return replace(
            self, case_ids=list(self.case_ids), history=list(self.history), basis=dict(self.basis), _events=[]
        )
