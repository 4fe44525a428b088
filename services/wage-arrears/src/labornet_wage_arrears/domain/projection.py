"""Folding case events into CaseFacts: one small function per event type (pure Python).

Every function is safe to apply to facts that came from any other service first, and each
one only ever fills in or advances what it knows, so the inbox's per-case order is all the
ordering it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from labornet_common.contracts import arbitration as arb
from labornet_common.contracts import court
from labornet_common.contracts import intake as it
from labornet_common.contracts import mediation as med
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import EventData
from labornet_common.contracts.passport import fold
from labornet_wage_arrears.domain.facts import CLOSED, Agreement, Award, CaseFacts, iso


def _claims(claims: list[ClaimSummary]) -> list[dict[str, Any]]:
    return [
        {
            "category": c.category,
            "amount_fen": c.amount_fen,
            "period_from": iso(c.period_from),
            "period_to": iso(c.period_to),
        }
        for c in claims
    ]


def _employer(facts: CaseFacts, *, name: str, uscc: str | None, region: str = "") -> None:
    """Fill in who the case is against; the first complete answer wins (intake's, usually)."""
    if name and not facts.employer_name:
        facts.employer_name = name
    if uscc and not facts.employer_uscc:
        facts.employer_uscc = uscc
    if region and not facts.region_code:
        facts.region_code = region


def complaint_received(facts: CaseFacts, e: it.ComplaintReceived) -> None:
    facts.region_code = e.region_code
    facts.employer_name, facts.employer_uscc = e.employer_name, e.employer_uscc
    facts.project = e.project
    facts.tracking_number, facts.channel = e.tracking_number, e.channel
    facts.received_at = iso(e.received_at)
    facts.worker_count = max(e.worker_count, 1)
    facts.collective = e.collective or e.worker_count >= 10  # LDA Art. 7
    facts.police_linked = e.police_linked or e.channel == "police_110"
    facts.claims = _claims(e.claims)


def complaint_routed(facts: CaseFacts, e: it.ComplaintRouted) -> None:
    _employer(facts, name=e.employer_name, uscc=e.employer_uscc, region=e.region_code)
    if e.project and not facts.project:
        facts.project = e.project
    if facts.received_at is None and e.received_at is not None:
        facts.received_at = iso(e.received_at)
    facts.worker_count = max(facts.worker_count, e.worker_count)
    facts.police_linked = facts.police_linked or e.police_linked
    if not facts.claims:
        facts.claims = _claims(e.claims)


def complaint_joined(facts: CaseFacts, e: it.ComplaintJoined) -> None:
    facts.worker_count = max(facts.worker_count, e.worker_count)
    facts.collective = facts.collective or e.collective or facts.worker_count >= 10
    if e.kind == "grouped":  # another worker's claims; a duplicate filing adds nobody
        facts.claims = facts.claims + _claims(e.claims)


def complaint_closed(facts: CaseFacts, _e: it.ComplaintClosed) -> None:
    facts.status = CLOSED


def mediation_opened(facts: CaseFacts, e: med.MediationCaseOpened) -> None:
    _employer(facts, name=e.employer_name, uscc=e.employer_uscc, region=e.division_code)
    facts.worker_count = max(facts.worker_count, e.worker_count)
    if not facts.claims:
        facts.claims = _claims(e.claims)


def agreement_reached(facts: CaseFacts, e: med.MediationAgreementReached) -> None:
    _employer(facts, name=e.employer_name, uscc=e.employer_uscc, region=e.division_code)
    facts.agreements = [a for a in facts.agreements if a.agreement_id != e.agreement_id] + [
        Agreement(agreement_id=e.agreement_id, total_fen=e.total_fen, effective_on=iso(e.effective_on))
    ]


def _agreement(facts: CaseFacts, agreement_id: str) -> Agreement:
    for agreement in facts.agreements:
        if agreement.agreement_id == agreement_id:
            return agreement
    agreement = Agreement(agreement_id=agreement_id)  # its 'reached' event went elsewhere
    facts.agreements.append(agreement)
    return agreement


def agreement_performed(facts: CaseFacts, e: med.AgreementPerformed) -> None:
    _agreement(facts, e.agreement_id).performed_on = iso(e.performed_on)


def agreement_breached(facts: CaseFacts, e: med.AgreementBreached) -> None:
    _employer(facts, name=e.employer_name, uscc=e.employer_uscc, region=e.division_code)
    agreement = _agreement(facts, e.agreement_id)
    agreement.unpaid_fen, agreement.breached_on = e.unpaid_fen, iso(e.recorded_on)


def mediation_closed(facts: CaseFacts, e: med.MediationCaseClosed) -> None:
    if e.outcome == "withdrawn":
        facts.status = CLOSED


def application_received(facts: CaseFacts, e: arb.ApplicationReceived) -> None:
    _employer(facts, name=e.employer_name, uscc=e.employer_uscc, region=e.division_code)
    facts.worker_count = max(facts.worker_count, e.worker_count)
    facts.collective = facts.collective or e.collective
    if not facts.claims:
        facts.claims = _claims(e.claims)


def _award(facts: CaseFacts, case_number: str) -> Award:
    for award in facts.awards:
        if award.case_number == case_number:
            return award
    award = Award(case_number=case_number)
    facts.awards.append(award)
    return award


def award_issued(facts: CaseFacts, e: arb.AwardIssued) -> None:
    _employer(facts, name=e.employer_name, uscc=e.employer_uscc, region=e.division_code)
    award = _award(facts, e.case_number)
    award.issued_on, award.kind = iso(e.issued_on), e.kind
    granted = sum(i.amount_fen or 0 for i in e.items if i.granted)
    award.granted_fen = e.total_granted_fen or granted


def award_effective(facts: CaseFacts, e: arb.AwardEffective) -> None:
    _award(facts, e.case_number).effective_on = iso(e.effective_on)


def award_not_effective(facts: CaseFacts, e: arb.AwardNotEffective) -> None:
    # A suit in time or a set-aside: the award does not bind (LDA Arts. 48-50; Interp-I Art. 20)
    _award(facts, e.case_number).effective_on = None


def _part(case_number: str, part_id: str) -> str:
    return f"{case_number}（先行裁决 {part_id}）"


def partial_award_issued(facts: CaseFacts, e: arb.PartialAwardIssued) -> None:
    # LDA Art. 43 ¶2: decides claims the final award then leaves out, so it counts on its own
    _employer(facts, name=e.employer_name, uscc=None, region=e.division_code)
    award = _award(facts, _part(e.case_number, e.part_id))
    award.issued_on, award.kind = iso(e.issued_on), "partial_award"
    award.granted_fen = e.total_granted_fen or sum(i.amount_fen or 0 for i in e.items if i.granted)


def partial_award_effective(facts: CaseFacts, e: arb.PartialAwardEffective) -> None:
    _award(facts, _part(e.case_number, e.part_id)).effective_on = iso(e.effective_on)


def arbitration_closed(facts: CaseFacts, e: arb.ArbitrationClosed) -> None:
    if e.reason in ("withdrawn", "deemed_withdrawn"):
        facts.status = CLOSED


def court_event(facts: CaseFacts, e: court._CourtEvent) -> None:
    kind = next(k for k, cls in court.BY_KIND.items() if isinstance(e, cls))
    entry = {
        "kind": kind,
        "occurred_on": iso(e.occurred_on),
        "court_name": e.court_name,
        "court_case_number": e.court_case_number,
        "outcome": e.outcome,
        "callback_id": e.callback_id,
    }
    if entry not in facts.court:
        facts.court = [*facts.court, entry]


APPLIERS: dict[type[EventData], Callable[[CaseFacts, Any], None]] = {
    it.ComplaintReceived: complaint_received,
    it.ComplaintRouted: complaint_routed,
    it.ComplaintJoined: complaint_joined,
    it.ComplaintClosed: complaint_closed,
    med.MediationCaseOpened: mediation_opened,
    med.MediationAgreementReached: agreement_reached,
    med.AgreementPerformed: agreement_performed,
    med.AgreementBreached: agreement_breached,
    med.MediationCaseClosed: mediation_closed,
    arb.ApplicationReceived: application_received,
    arb.AwardIssued: award_issued,
    arb.AwardEffective: award_effective,
    arb.AwardNotEffective: award_not_effective,
    arb.ArbitrationClosed: arbitration_closed,
    arb.PartialAwardIssued: partial_award_issued,
    arb.PartialAwardEffective: partial_award_effective,
    **{cls: court_event for cls in court.BY_KIND.values()},
}


# Events no rule reads that still move the dispute along (for its passport only).
TRACKED: tuple[type[EventData], ...] = (
    it.ComplaintRedirected,
    it.JointAcceptanceRequested,
    it.JointAcceptanceAnswered,
    med.MediationCaseAccepted,
    med.MediationCaseDeclined,
    med.MediationFailed,
    med.TransferredToArbitration,
    arb.ApplicationAccepted,
    arb.ApplicationNotAccepted,
    arb.ApplicationReferred,
    arb.CourtEventRecorded,
)


def apply(facts: CaseFacts, event: EventData) -> bool:
    """Fold one event into the facts; False when the event says nothing the desk uses (where
    the dispute stands, ``track``, is kept apart: it feeds no rule)."""
    applier = APPLIERS.get(type(event))
    if applier is None:
        return False
    applier(facts, event)
    return True


def track(facts: CaseFacts, event: EventData) -> bool:
    """Fold the event into the dispute's passport, the one every service folds (the stage and
    holder the referral package reports); False when it changed nothing."""
    where = fold(facts.where, case_id=facts.case_id, event_type=event.event_type, data=event.model_dump(mode="json"))
    if where is None or where.to_dict() == facts.passport:
        return False
    facts.passport = where.to_dict()
    return True
