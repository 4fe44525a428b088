"""Events of services/arbitration (topic arbitration.cases.v1).

The court needs some of these (裁审衔接): non-acceptance, overdue acceptance or award, an
award issued, an award in effect. They leave through the gateway's webhooks.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import BaseModel, Field

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import EventData
from labornet_common.contracts.topics import ARBITRATION

Source = Literal["intake", "mediation", "direct", "referral"]
# LDA Art. 21 (second sentence): either side of the employment may apply for arbitration.
ApplicantSide = Literal["worker", "employer"]
# LDA Art. 47 per item (Interp-I Art. 19); an award mixing both is non-final when sued (Interp-I Art. 20)
AwardType = Literal["final", "non_final", "mixed"]


class ApplicationReceived(EventData, type="cn.labornet.arbitration.application.received.v1", topic=ARBITRATION):
    """An arbitration application reached a commission (or its dispatched tribunal)."""

    case_id: str
    application_id: str
    division_code: str
    commission_id: str
    tribunal_id: str | None = None
    source: Source
    received_on: date
    acceptance_due_on: date = Field(description="5 days from receipt (LDA Art. 29)")
    worker_count: int = 1
    collective: bool = False
    employer_name: str = ""
    employer_uscc: str | None = None
    claims: list[ClaimSummary] = Field(default_factory=list)
    applicant_side: ApplicantSide = Field(default="worker", description="who applied (LDA Art. 21)")
    worker_keys: list[str] = Field(
        default_factory=list, description="blind indexes of the workers' ID numbers (never the numbers)"
    )


class CorrectionRequested(EventData, type="cn.labornet.arbitration.correction.requested.v1", topic=ARBITRATION):
    """A one-time notice of what is missing (补正, Rules Art. 29); receipt restarts on completion."""

    case_id: str
    application_id: str
    division_code: str
    items: list[str]
    requested_on: date
    due_on: date


class ApplicationAccepted(EventData, type="cn.labornet.arbitration.application.accepted.v1", topic=ARBITRATION):
    case_id: str
    application_id: str
    division_code: str
    commission_id: str
    case_number: str = Field(description="e.g. 洛劳人仲案字〔2026〕第12号")
    accepted_on: date
    award_due_on: date = Field(description="45 days from acceptance (LDA Art. 43)")


class ApplicationNotAccepted(EventData, type="cn.labornet.arbitration.application.not_accepted.v1", topic=ARBITRATION):
    """Written non-acceptance with reasons: the applicant may sue (LDA Art. 29)."""

    case_id: str
    application_id: str
    division_code: str
    commission_id: str
    decided_on: date
    reasons: list[str]


class ApplicationReferred(EventData, type="cn.labornet.arbitration.application.referred.v1", topic=ARBITRATION):
    """Filed at the wrong commission: moved to the competent one (移送, Rules Arts. 9, 31)."""

    case_id: str
    application_id: str
    division_code: str
    from_commission_id: str
    to_commission_id: str
    referred_on: date
    reason: str
    to_application_id: str | None = Field(
        default=None, description="the application it joined, when the keeper already held the dispute"
    )
    to_case_id: str | None = None
    same_dispute: bool = Field(default=False, description="the same dispute was lodged at two commissions")
    notice_zh: str = Field(default="", description="the notice sent to the parties (移送告知)")


class ReferralReceived(EventData, type="cn.labornet.arbitration.referral.received.v1", topic=ARBITRATION):
    """The commission that keeps a dispute lodged at two commissions took over the other one's
    application (LDA Art. 21; Rules Arts. 8, 9): its parties and claims join this application,
    and an accepted case's award period restarts from this day (Rules Art. 46(五))."""

    case_id: str
    application_id: str
    division_code: str
    commission_id: str
    from_application_id: str
    from_case_id: str
    from_commission_id: str
    received_on: date
    worker_count: int = 1
    worker_keys: list[str] = Field(default_factory=list)
    award_due_on: date | None = None


class PartiesJoined(EventData, type="cn.labornet.arbitration.parties.joined.v1", topic=ARBITRATION):
    """Further workers joined the application (intake grouped their filings into the case):
    after acceptance this is 追加当事人 and the award period restarts (Rules Art. 46(一))."""

    case_id: str
    application_id: str
    division_code: str
    filing_id: str = Field(description="intake's filing; one event per filing however often delivered")
    joined_on: date
    worker_count: int
    collective: bool = False
    worker_keys: list[str] = Field(default_factory=list)
    claims: list[ClaimSummary] = Field(default_factory=list, description="claims the filing added")
    award_due_on: date | None = Field(default=None, description="the restarted award period, once accepted")


class TribunalMember(BaseModel):
    arbitrator_id: str
    name: str
    role: Literal["presiding", "member", "sole"]


class TribunalFormed(EventData, type="cn.labornet.arbitration.tribunal.formed.v1", topic=ARBITRATION):
    """LDA Art. 31: three arbitrators with a presiding one, or one for a simple case."""

    case_id: str
    division_code: str
    mode: Literal["sole", "panel"]
    members: list[TribunalMember]
    formed_on: date


class HearingScheduled(EventData, type="cn.labornet.arbitration.hearing.scheduled.v1", topic=ARBITRATION):
    case_id: str
    division_code: str
    hearing_on: date
    notice_served_on: date = Field(description="at least 5 days before the hearing (LDA Art. 35)")
    venue: str
    hearing_time: time | None = Field(default=None, description="start, Beijing time; absent in older events")


class AwardItem(BaseModel):
    category: str
    description: str = ""
    amount_fen: int | None = None
    granted: bool = True
    final: bool = Field(description="final under LDA Art. 47, decided per item (Interp-I 19)")


class AwardIssued(EventData, type="cn.labornet.arbitration.award.issued.v1", topic=ARBITRATION):
    case_id: str
    division_code: str
    case_number: str
    commission_id: str
    issued_on: date
    kind: Literal["award", "mediation"] = Field(description="裁决书, or 调解书 (LDA Art. 42)")
    award_type: AwardType | None = Field(
        default=None, description="final / non_final / mixed (LDA Art. 47, Interp-I Art. 20); None for a 调解书"
    )
    items: list[AwardItem]
    total_granted_fen: int = 0
    employer_name: str = ""
    employer_uscc: str | None = None
    worker_count: int = 1
    by_default: bool = Field(default=False, description="缺席裁决: the respondent did not appear (LDA Art. 36)")


class AwardEffective(EventData, type="cn.labornet.arbitration.award.effective.v1", topic=ARBITRATION):
    """The award really took effect, sent once: a final award when made (LDA Art. 47); a
    non-final or mixed one when 15 days after receipt pass without a suit (LDA Art. 50,
    Interp-I Art. 20); a 调解书 when both parties sign for it (LDA Art. 42). Never for an award
    that a suit in time kept from effect."""

    case_id: str
    division_code: str
    case_number: str
    effective_on: date
    items: list[AwardItem] = Field(default_factory=list)
    kind: Literal["award", "mediation"] = "award"
    award_type: AwardType | None = None


class AwardNotEffective(EventData, type="cn.labornet.arbitration.award.not_effective.v1", topic=ARBITRATION):
    """The award's effect was withheld or lost: a suit in time on a non-final or mixed award
    (LDA Art. 50, Interp-I Art. 20), the worker's suit on a final award (LDA Art. 48), or the
    court set a final award aside (LDA Art. 49, the parties may then sue within 15 days)."""

    case_id: str
    division_code: str
    case_number: str
    award_type: AwardType | None = None
    reason: Literal["suit_in_time", "challenged_by_worker", "set_aside"]
    occurred_on: date
    party: Literal["worker", "employer"] | None = None
    court_name: str = ""
    may_sue_by: date | None = Field(default=None, description="after a set-aside: 15 days from the ruling")
    article: str


class ClockOverdue(EventData, type="cn.labornet.arbitration.clock.overdue.v1", topic=ARBITRATION):
    """A statutory clock ran out: no acceptance decision in 5 days (LDA Art. 29) or no award in
    45 (+15) days (LDA Art. 43). The worker may sue; the court is told."""

    case_id: str
    division_code: str
    clock: Literal["acceptance", "award"]
    due_on: date
    overdue_on: date
    case_number: str = ""


class ClockExtended(EventData, type="cn.labornet.arbitration.clock.extended.v1", topic=ARBITRATION):
    """The chair approved up to 15 more days for the award (LDA Art. 43)."""

    case_id: str
    division_code: str
    clock: Literal["award"] = "award"
    new_due_on: date
    reason: str


class ArbitrationClosed(EventData, type="cn.labornet.arbitration.case.closed.v1", topic=ARBITRATION):
    """Withdrawn, deemed withdrawn (applicant absent, LDA Art. 36) or otherwise ended: every
    clock of the application stops; the notice tells the parties what it means for the
    limitation period (LDA Art. 27)."""

    case_id: str
    division_code: str
    reason: Literal["withdrawn", "deemed_withdrawn", "award_effective", "court", "other"]
    closed_on: date
    application_id: str | None = None
    case_number: str = ""
    settled: bool | None = Field(default=None, description="withdrawn after a settlement (和解) was recorded")
    clocks_closed: list[str] = Field(default_factory=list, description="the clocks that were running")
    limitation_restarts_on: date | None = Field(default=None, description="LDA Art. 27 ¶2: counted anew from here")
    limitation_due_on: date | None = Field(default=None, description="one year on (LDA Art. 27 ¶1)")
    notice_zh: str = Field(default="", description="what the parties are told, in plain Chinese")


# -- added with the arbitration service (issue 6); every payload names its division_code ---------


class CorrectionCompleted(EventData, type="cn.labornet.arbitration.correction.completed.v1", topic=ARBITRATION):
    """The applicant supplied what the correction notice listed: receipt restarts (Rules Art. 29)."""

    case_id: str
    application_id: str
    division_code: str
    completed_on: date
    acceptance_due_on: date


class ApplicationServed(EventData, type="cn.labornet.arbitration.application.served.v1", topic=ARBITRATION):
    """The respondent received the application's copy; 10 days to defend (LDA Art. 30)."""

    case_id: str
    division_code: str
    respondent_received_on: date
    defence_due_on: date


class RecusalRequested(EventData, type="cn.labornet.arbitration.recusal.requested.v1", topic=ARBITRATION):
    """A party asked an arbitrator to step aside (LDA Art. 33); decided within 3 days (Rules Art. 11)."""

    case_id: str
    division_code: str
    recusal_id: str
    arbitrator_id: str
    ground: str
    requested_on: date
    decision_due_on: date


class RecusalDecided(EventData, type="cn.labornet.arbitration.recusal.decided.v1", topic=ARBITRATION):
    case_id: str
    division_code: str
    recusal_id: str
    arbitrator_id: str
    granted: bool
    decided_on: date


class ProceedingsSuspended(EventData, type="cn.labornet.arbitration.proceedings.suspended.v1", topic=ARBITRATION):
    """中止: the award clock stops (Rules Art. 45)."""

    case_id: str
    division_code: str
    suspended_on: date
    reason: str


class ProceedingsResumed(EventData, type="cn.labornet.arbitration.proceedings.resumed.v1", topic=ARBITRATION):
    case_id: str
    division_code: str
    resumed_on: date
    award_due_on: date


class ClaimsChanged(EventData, type="cn.labornet.arbitration.claims.changed.v1", topic=ARBITRATION):
    """Claims added or changed: the award clock restarts (Rules Art. 46)."""

    case_id: str
    division_code: str
    changed_on: date
    claims: list[ClaimSummary] = Field(default_factory=list)
    award_due_on: date


class PartyService(BaseModel):
    """One party's service of the award and the periods counted from its own receipt."""

    party: Literal["worker", "employer"]
    served_on: date
    suit_due_on: date | None = Field(default=None, description="LDA Art. 48 (worker, final) or Art. 50")
    set_aside_due_on: date | None = Field(default=None, description="employer, final award (LDA Art. 49)")


class AwardServed(EventData, type="cn.labornet.arbitration.award.served.v1", topic=ARBITRATION):
    """The award (or 调解书) reached every party (each on its own receipt date). Each party's
    suit window runs from its own receipt (LDA Arts. 48, 50), the employer's set-aside window on a
    final award too (LDA Art. 49): see ``parties``. The older fields stay: ``served_on`` is the
    last party's day, ``suit_due_on`` the end of the last suit window, ``set_aside_due_on`` the
    employer's."""

    case_id: str
    division_code: str
    case_number: str
    served_on: date
    suit_due_on: date | None = None
    set_aside_due_on: date | None = Field(default=None, description="final awards only (LDA Art. 49)")
    award_type: AwardType | None = None
    kind: Literal["award", "mediation"] | None = Field(default=None, description="absent in older events")
    parties: list[PartyService] = Field(
        default_factory=list, description="each party's own dates; absent in older events"
    )


class AwardServedOnParty(EventData, type="cn.labornet.arbitration.award.party_served.v1", topic=ARBITRATION):
    """One party received the award (or 调解书) before another did; its own periods run from that
    day (LDA Arts. 48-50). The AwardServed that follows once every party has it carries every
    party's dates (served together, only AwardServed is recorded)."""

    case_id: str
    division_code: str
    case_number: str
    party: Literal["worker", "employer"]
    served_on: date
    suit_due_on: date | None = None
    set_aside_due_on: date | None = None
    award_type: AwardType | None = None
    kind: Literal["award", "mediation"] | None = None


class CourtEventRecorded(EventData, type="cn.labornet.arbitration.court_event.recorded.v1", topic=ARBITRATION):
    """A court event (裁审衔接) changed the case: e.g. a suit keeps a non-final award from effect."""

    case_id: str
    division_code: str
    kind: str
    callback_id: str
    court_name: str = ""
    effect: str = Field(description="what changed on the arbitration side")


class DeadlineRecomputed(EventData, type="cn.labornet.arbitration.deadline.recomputed.v1", topic=ARBITRATION):
    """A statutory clock moved because a holiday schedule was entered for a year it touches
    (民诉法 Art. 85 via Rules Art. 19: a last day on a holiday rolls to the next working day)."""

    case_id: str
    division_code: str
    application_id: str
    rule: str = Field(description="the calendar rule, e.g. AWARD_45D")
    article: str
    previous_due_on: date
    due_on: date
    provisional: bool = Field(description="still touches a year without an official schedule")
    calendar_year: int


# -- arbitration as practised (issue 21): absence, postponement, simplified procedure, 先予执行,
# partial awards and service by publication. Each carries the parties' notice in plain Chinese.


class PartyAbsent(EventData, type="cn.labornet.arbitration.party.absent.v1", topic=ARBITRATION):
    """A party served with written notice did not appear (or left without leave) and had no good
    reason (LDA Art. 36): the applicant's application is deemed withdrawn; against an absent
    respondent the tribunal may award by default."""

    case_id: str
    division_code: str
    party: Literal["applicant", "respondent"]
    side: ApplicantSide
    hearing_on: date
    recorded_on: date
    consequence: Literal["deemed_withdrawn", "default_award"]
    notice_zh: str = ""


class HearingPostponed(EventData, type="cn.labornet.arbitration.hearing.postponed.v1", topic=ARBITRATION):
    """A request to postpone the hearing (LDA Art. 35: with good reason, at least 3 days before
    it) and the commission's decision; the award period keeps running."""

    case_id: str
    division_code: str
    requested_by: Literal["worker", "employer", "tribunal"]
    requested_on: date
    reason: str
    granted: bool
    previous_hearing_on: date
    hearing_on: date | None = Field(default=None, description="the new hearing day, when granted")
    notice_served_on: date | None = None
    venue: str = ""
    award_due_on: date | None = Field(default=None, description="unchanged: postponement does not pause it")
    notice_zh: str = ""


class SimplifiedProcedureApplied(EventData, type="cn.labornet.arbitration.procedure.simplified.v1", topic=ARBITRATION):
    """简易处理 (Rules Art. 56): on one of its grounds, none of its exclusions (Art. 57); a sole
    arbitrator; no shorter award period."""

    case_id: str
    division_code: str
    grounds: list[str]
    decided_on: date
    award_due_on: date | None = None
    notice_zh: str = ""


class ProcedureConverted(EventData, type="cn.labornet.arbitration.procedure.converted.v1", topic=ARBITRATION):
    """From simplified to ordinary procedure (Rules Arts. 60-61): the award period still runs
    from the original acceptance."""

    case_id: str
    division_code: str
    converted_on: date
    reason: str
    award_due_on: date | None = None
    notice_zh: str = ""


class ProvisionalItem(BaseModel):
    category: str
    amount_fen: int
    description: str = ""


class ProvisionalExecutionRuled(
    EventData, type="cn.labornet.arbitration.provisional_execution.ruled.v1", topic=ARBITRATION
):
    """先予执行 (LDA Art. 44): on the worker's application, for remuneration, injury medical
    costs, compensation or damages, when rights and duties are clear and delay would seriously
    affect the worker's living; no security from the worker; a granted ruling is transferred
    to the people's court for enforcement, and cannot be sued on (Interp-I Art. 10)."""

    case_id: str
    division_code: str
    case_number: str
    commission_id: str
    ruling_id: str
    ruled_on: date
    granted: bool
    items: list[ProvisionalItem] = Field(default_factory=list)
    total_fen: int = 0
    reasons: list[str] = Field(default_factory=list, description="why refused (the unmet conditions)")
    transferred_to_court: bool = False
    court_name: str = ""
    security_required: bool = False
    suable: bool = Field(default=False, description="Interp-I Art. 10: a suit against it is not accepted")
    employer_name: str = ""
    notice_zh: str = ""


class PartialAwardIssued(EventData, type="cn.labornet.arbitration.partial_award.issued.v1", topic=ARBITRATION):
    """先行裁决 (LDA Art. 43 ¶2) on the part of the claims whose facts are already clear; its
    items are final or not under LDA Art. 47 like any award's."""

    case_id: str
    division_code: str
    case_number: str
    commission_id: str
    part_id: str
    issued_on: date
    award_type: AwardType
    items: list[AwardItem]
    total_granted_fen: int = 0
    employer_name: str = ""
    notice_zh: str = ""


class PartialAwardServed(EventData, type="cn.labornet.arbitration.partial_award.served.v1", topic=ARBITRATION):
    case_id: str
    division_code: str
    case_number: str
    part_id: str
    served_on: date
    award_type: AwardType
    suit_due_on: date
    set_aside_due_on: date | None = None
    notice_zh: str = ""


class PartialAwardEffective(EventData, type="cn.labornet.arbitration.partial_award.effective.v1", topic=ARBITRATION):
    """A partial award took effect on its own: final when made (LDA Art. 47), else 15 days
    after receipt without a suit (LDA Art. 50)."""

    case_id: str
    division_code: str
    case_number: str
    part_id: str
    effective_on: date
    award_type: AwardType
    items: list[AwardItem] = Field(default_factory=list)
    notice_zh: str = ""


class PublicationRecorded(EventData, type="cn.labornet.arbitration.publication.recorded.v1", topic=ARBITRATION):
    """公告送达: a document served by publication is deemed served 30 days after it was
    published (民诉法 Art. 95, via Rules Art. 19); the period is not counted in the award period
    (LDA Art. 43; Rules Art. 46)."""

    case_id: str
    division_code: str
    document: Literal["application_copy", "hearing_notice", "award", "other"]
    published_on: date
    deemed_served_on: date
    excluded_days: int
    award_due_on: date | None = None
    notice_zh: str = ""
