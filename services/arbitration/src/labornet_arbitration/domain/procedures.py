"""Arbitration as practised (pure): withdrawal and absence, postponement, the simplified
procedure, provisional execution, partial awards and service by publication.

Everything is kept in ``case.procedure`` (one JSON document) and told by one event each, whose
``notice_zh`` is what the parties read. The award clock is clocks.award_due: postponement
leaves it running; 公告送达 adds its period to the days not counted (LDA Art. 43; Rules Art. 46).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any, Literal

from labornet_arbitration.domain import clocks, effect, outcomes, party_service
from labornet_arbitration.domain.model import ACTIVE, UNDECIDED, ArbitrationCase, CaseRuleError
from labornet_arbitration.domain.proceedings import schedule_hearing
from labornet_common.contracts.arbitration import (
    ApplicantSide,
    ArbitrationClosed,
    AwardItem,
    HearingPostponed,
    PartialAwardEffective,
    PartialAwardIssued,
    PartialAwardServed,
    PartyAbsent,
    ProcedureConverted,
    ProvisionalExecutionRuled,
    ProvisionalItem,
    PublicationRecorded,
    SimplifiedProcedureApplied,
)
from labornet_common.reference.calendar import LegalCalendar, Period

_LDA = "《劳动争议调解仲裁法》"
_RULES = "《劳动人事争议仲裁办案规则》"
_DAY = timedelta(days=1)

# Before an award the applicant may withdraw; suspended cases too (the suspension ends with it).
OPEN = UNDECIDED | ACTIVE | {"SUSPENDED"}

# LDA Art. 35: a party may ask for postponement at least 3 days before the hearing.
POSTPONE_REQUEST_DAYS_BEFORE = 3
# 民诉法 Art. 95 (applied through Rules Art. 19): served by publication 30 days after publishing.
PUBLICATION_DAYS = 30
# LDA Art. 44: 先予执行 only in cases for remuneration, injury medical costs, compensation, damages.
PROVISIONAL_CATEGORIES = frozenset({"labor_remuneration", "injury_medical", "economic_compensation", "damages"})
# Rules Art. 56: the grounds of the simplified procedure, any one suffices.
SIMPLIFIED_GROUNDS = ("clear_facts", "amount_within_average_wage", "parties_agree")
# Rules Art. 57: never simplified when public interest or a major social impact is involved, or
# the respondent cannot be found (a case served by publication); 组织规则 Art. 13: 10+ workers or
# a collective dispute sits as three arbitrators.
SIMPLIFIED_EXCLUSIONS = ("public_interest", "major_impact", "respondent_missing", "collective")

NOTICES: dict[str, str] = {
    "withdrawn": "申请人已于{on}撤回仲裁申请{settled}，仲裁委员会终结本案仲裁程序，各项仲裁期限不再计算。",
    "deemed_withdrawn": "申请人经书面通知无正当理由未于{hearing_on}到庭（或未经仲裁庭同意中途退庭），"
    f"依照{_LDA}第三十六条视为撤回仲裁申请，仲裁程序于{{on}}终结，各项仲裁期限不再计算。",
    "settled": "（双方已自行和解）",
    "limitation": "申请仲裁使仲裁时效中断；仲裁程序终结后，一年仲裁时效期间自{on}起重新计算，至{due}届满，"
    f"期间内可以就同一争议重新申请仲裁（{_LDA}第二十七条）。",
    "limitation.wages": "劳动关系存续期间因拖欠劳动报酬发生争议的，不受一年仲裁时效期间的限制；"
    f"劳动关系终止的，应当自终止之日起一年内提出（{_LDA}第二十七条第四款）。",
    "settlement_unperformed": "和解协议未履行的，可以重新申请仲裁。",
    "default_award": "被申请人经书面通知无正当理由未于{hearing_on}到庭（或未经仲裁庭同意中途退庭），"
    f"仲裁庭依照{_LDA}第三十六条缺席裁决。缺席裁决与其他裁决效力相同，起诉、撤销和执行的期限从收到裁决书之日起计算。",
    "postponed": "{by}以“{reason}”为由申请延期开庭，仲裁委员会决定延期，改定于{hearing_on}在{venue}开庭"
    f"（{_LDA}第三十五条）。延期开庭不停止仲裁期限，裁决期限仍至{{award_due_on}}。",
    "postponement_refused": "{by}以“{reason}”为由申请延期开庭，仲裁委员会决定不予延期，仍于{hearing_on}开庭"
    f"（{_LDA}第三十五条）。",
    "simplified": f"本案依照{_RULES}第五十六条适用简易处理，由一名仲裁员独任审理；"
    "仲裁期限不因简易处理而缩短，仍至{award_due_on}。",
    "converted": "本案由简易处理转为按一般程序处理：{reason}。仲裁期限仍自原受理之日起计算，至{award_due_on}"
    f"（{_RULES}第六十一条）。",
    "provisional.granted": "仲裁庭裁决先予执行：用人单位先行支付{what}合计{amount}元，劳动者无需提供担保；"
    f"裁决已移送{{court}}执行（{_LDA}第四十四条）。该裁决不能提起诉讼（最高人民法院劳动争议司法解释（一）第十条）。",
    "provisional.refused": f"先予执行申请未获准许：{{reasons}}（{_LDA}第四十四条）。仲裁程序继续进行。",
    "partial.final": "仲裁庭已于{issued_on}就事实已经清楚的部分请求先行裁决（终局），自作出之日起发生法律效力"
    f"（{_LDA}第四十三条第二款、第四十七条）；其余请求继续审理。",
    "partial.non_final": "仲裁庭已于{issued_on}就事实已经清楚的部分请求先行裁决，尚未发生法律效力"
    f"（{_LDA}第四十三条第二款）；其余请求继续审理。",
    "partial.served": "先行裁决书已于{served_on}送达。不服的，可在{suit_due_on}前（含当日）向人民法院起诉"
    f"（{_LDA}第四十八条、第五十条）。",
    "partial.effective": "先行裁决自{effective_on}起发生法律效力，用人单位不履行的，可以申请人民法院强制执行"
    f"（{_LDA}第五十一条）。",
    "publication.award": "因无法直接送达，{document}已于{published_on}向被申请人公告送达，自公告之日起经过三十日即"
    "{deemed}视为送达（《民事诉讼法》第九十五条），被申请人的起诉或者申请撤销期间自该日起计算"
    f"（{_LDA}第四十九条、第五十条）。",
    "publication": "因无法直接送达，{document}已于{published_on}公告送达，自公告之日起经过三十日即{deemed}视为送达"
    f"（《民事诉讼法》第九十五条）。公告期间不计入仲裁期限，裁决期限顺延至{{award_due_on}}（{_RULES}第四十六条）。",
}
DOCUMENTS_ZH = {
    "application_copy": "仲裁申请书副本",
    "hearing_notice": "开庭通知",
    "award": "裁决书",
    "other": "仲裁文书",
}
PARTY_ZH = {"worker": "劳动者", "employer": "用人单位", "tribunal": "仲裁庭"}
CATEGORY_ZH = {
    "labor_remuneration": "劳动报酬",
    "injury_medical": "工伤医疗费",
    "economic_compensation": "经济补偿",
    "damages": "赔偿金",
}


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}".rstrip("0").rstrip(".")


def _set(case: ArbitrationCase, key: str, value: Any) -> None:
    case.procedure = {**case.procedure, key: value}


def _append(case: ArbitrationCase, key: str, value: dict[str, Any]) -> None:
    _set(case, key, [*case.procedure.get(key, []), value])


def _refresh_award_due(case: ArbitrationCase, calendar: LegalCalendar) -> None:
    if case.award_clock_start is not None:
        case.award_due_on = clocks.award_due(
            calendar, case.award_clock_start, extension_days=case.extension_days, paused_days=case.paused_days
        )


# -- withdrawal, deemed withdrawal, default award (LDA Art. 36) ------------------------------------


def running_clocks(case: ArbitrationCase, on: date) -> list[str]:
    """The statutory clocks still running on ``on``: what a closure stops."""
    running = []
    if case.status in UNDECIDED:
        running.append("acceptance")  # LDA Art. 29
    if case.defence_due_on is not None and on <= case.defence_due_on:
        running.append("defence")  # LDA Art. 30
    if case.status in ACTIVE or case.status == "SUSPENDED":
        running.append("award")  # LDA Art. 43
    return running


def limitation_notice(case: ArbitrationCase, on: date, calendar: LegalCalendar) -> tuple[date, str]:
    """LDA Art. 27 ¶2: applying for arbitration interrupted the one-year limitation period; it is
    counted anew when the proceedings end (民法典 Art. 195: "有关程序终结时起重新计算", the
    reading used here for a withdrawal, see domain-rules §8.1). Wage claims during the employment
    are not limited (Art. 27 ¶4)."""
    due = calendar.deadline(Period.LIMITATION_1Y, on).due  # LDA Art. 27 ¶1, 民法典 Arts. 201-203
    text = NOTICES["limitation"].format(on=zh_date(on), due=zh_date(due))
    if "labor_remuneration" in case.categories:
        text += NOTICES["limitation.wages"]
    return due, text


def _close(
    case: ArbitrationCase,
    *,
    status: Literal["WITHDRAWN", "DEEMED_WITHDRAWN"],
    on: date,
    head: str,
    settled: bool | None,
    calendar: LegalCalendar,
    **details: Any,
) -> None:
    stopped = running_clocks(case, on)
    due, limitation = limitation_notice(case, on, calendar)
    notice = head + limitation + (NOTICES["settlement_unperformed"] if settled else "")
    reason: Literal["withdrawn", "deemed_withdrawn"] = "withdrawn" if status == "WITHDRAWN" else "deemed_withdrawn"
    case.status, case.suspended_since, case.resume_status = status, None, None
    _set(
        case,
        "closure",
        {
            "reason": reason,
            "closed_on": on.isoformat(),
            "settled": settled,
            "clocks_closed": stopped,
            "limitation_restarts_on": on.isoformat(),
            "limitation_due_on": due.isoformat(),
            "notice_zh": notice,
            **details,
        },
    )
    case.note(on, reason, notice)
    case.record(
        ArbitrationClosed(
            case_id=case.case_id,
            division_code=case.division_code,
            reason=reason,
            closed_on=on,
            application_id=case.application_id,
            case_number=case.case_number or "",
            settled=settled,
            clocks_closed=stopped,
            limitation_restarts_on=on,
            limitation_due_on=due,
            notice_zh=notice,
        )
    )


def withdraw(
    case: ArbitrationCase, *, on: date, today: date, settled: bool, settlement: str, calendar: LegalCalendar
) -> None:
    """The applicant withdraws before the award, with or without a recorded settlement (和解)."""
    case.require(*OPEN)
    case.not_before(on, case.accepted_on or case.received_on, today, "on")
    if settled and not settlement.strip():
        raise CaseRuleError("arbitration.settlement_missing", field="settlement", status=422)
    head = NOTICES["withdrawn"].format(on=zh_date(on), settled=NOTICES["settled"] if settled else "")
    _close(
        case,
        status="WITHDRAWN",
        on=on,
        head=head,
        settled=settled,
        calendar=calendar,
        settlement=settlement.strip() if settled else "",
    )


def _absent_at_hearing(case: ArbitrationCase, on: date, today: date) -> date:
    """The hearing the party missed: scheduled with written notice, on or before ``on``."""
    case.require("HEARING_SCHEDULED")
    hearing = case.hearing or {}
    if not hearing.get("notice_served_on"):
        raise CaseRuleError("arbitration.no_written_notice", status=409)
    hearing_on = date.fromisoformat(hearing["hearing_on"])
    if on < hearing_on or on > today:
        raise CaseRuleError(
            "arbitration.absence_before_hearing", field="on", status=422, detail=f"the hearing is on {hearing_on}"
        )
    return hearing_on


def deem_withdrawn(case: ArbitrationCase, *, on: date, today: date, reason: str, calendar: LegalCalendar) -> None:
    """LDA Art. 36: the applicant, notified in writing, did not appear without good reason (or
    left without the tribunal's leave): the application is deemed withdrawn."""
    hearing_on = _absent_at_hearing(case, on, today)
    side = case.applicant_side
    head = NOTICES["deemed_withdrawn"].format(hearing_on=zh_date(hearing_on), on=zh_date(on))
    case.record(
        PartyAbsent(
            case_id=case.case_id,
            division_code=case.division_code,
            party="applicant",
            side=side,
            hearing_on=hearing_on,
            recorded_on=on,
            consequence="deemed_withdrawn",
            notice_zh=head,
        )
    )
    _append(
        case, "absences", {"party": "applicant", "side": side, "hearing_on": hearing_on.isoformat(), "reason": reason}
    )
    _close(case, status="DEEMED_WITHDRAWN", on=on, head=head, settled=None, calendar=calendar, absence_reason=reason)


def default_award(case: ArbitrationCase, *, items: list[AwardItem], on: date, today: date, reason: str) -> None:
    """LDA Art. 36: the respondent, notified in writing, did not appear without good reason (or
    left without leave): the tribunal awards by default; the award is like any other."""
    hearing_on = _absent_at_hearing(case, on, today)
    side: ApplicantSide = "employer" if case.applicant_side == "worker" else "worker"
    notice = NOTICES["default_award"].format(hearing_on=zh_date(hearing_on))
    case.record(
        PartyAbsent(
            case_id=case.case_id,
            division_code=case.division_code,
            party="respondent",
            side=side,
            hearing_on=hearing_on,
            recorded_on=on,
            consequence="default_award",
            notice_zh=notice,
        )
    )
    _append(
        case, "absences", {"party": "respondent", "side": side, "hearing_on": hearing_on.isoformat(), "reason": reason}
    )
    case.note(on, "default_award", notice)
    outcomes.issue_award(case, kind="award", items=items, on=on, today=today, by_default=True)


# -- postponement (LDA Art. 35) --------------------------------------------------------------------


@dataclass(frozen=True)
class NewHearing:
    hearing_on: date
    notice_on: date
    venue: str
    hearing_time: time | None = None


def postpone_hearing(
    case: ArbitrationCase,
    *,
    requested_by: Literal["worker", "employer", "tribunal"],
    requested_on: date,
    reason: str,
    granted: bool,
    new: NewHearing | None,
    today: date,
    calendar: LegalCalendar,
) -> None:
    """A party may ask, with good reason, at least 3 days before the hearing (LDA Art. 35); the
    commission decides. The award period is not paused: postponement is not one of the periods
    the rules leave out (Rules Arts. 45-46 name suspension, publication and the restarts)."""
    case.require("HEARING_SCHEDULED")
    hearing = dict(case.hearing or {})
    previous = date.fromisoformat(hearing["hearing_on"])
    if not reason.strip():
        raise CaseRuleError("arbitration.postpone_reason", field="reason", status=422)
    if requested_on > today:
        raise CaseRuleError("arbitration.date_order", field="requested_on", status=422)
    latest = previous - timedelta(days=POSTPONE_REQUEST_DAYS_BEFORE)
    if requested_by != "tribunal" and requested_on > latest:
        raise CaseRuleError(
            "arbitration.postpone_late",
            field="requested_on",
            status=422,
            detail=f"for the hearing on {previous} the request was due by {latest}",
        )
    by = PARTY_ZH[requested_by]
    values = {
        "by": by,
        "reason": reason.strip(),
        "award_due_on": zh_date(case.award_due_on) if case.award_due_on else "",
    }
    if granted:
        if new is None or new.hearing_on <= previous:
            raise CaseRuleError("arbitration.postpone_new_day", field="hearing_on", status=422)
        # The new hearing is notified like the first: at least 5 days before it (LDA Art. 35).
        schedule_hearing(
            case,
            hearing_on=new.hearing_on,
            notice_on=new.notice_on,
            venue=new.venue,
            calendar=calendar,
            hearing_time=new.hearing_time,
        )
        notice = NOTICES["postponed"].format(**values, hearing_on=zh_date(new.hearing_on), venue=new.venue)
    else:
        notice = NOTICES["postponement_refused"].format(**values, hearing_on=zh_date(previous))
    entry = {
        "requested_by": requested_by,
        "requested_on": requested_on.isoformat(),
        "reason": reason.strip(),
        "granted": granted,
        "previous_hearing_on": previous.isoformat(),
        "hearing_on": new.hearing_on.isoformat() if granted and new else None,
    }
    _append(case, "postponements", entry)
    case.note(requested_on, "hearing_postponed" if granted else "postponement_refused", notice)
    case.record(
        HearingPostponed(
            case_id=case.case_id,
            division_code=case.division_code,
            requested_by=requested_by,
            requested_on=requested_on,
            reason=reason.strip(),
            granted=granted,
            previous_hearing_on=previous,
            hearing_on=new.hearing_on if granted and new else None,
            notice_served_on=new.notice_on if granted and new else None,
            venue=new.venue if granted and new else hearing.get("venue", ""),
            award_due_on=case.award_due_on,
            notice_zh=notice,
        )
    )


# -- simplified procedure (Rules Arts. 56-61) ------------------------------------------------------


def claimed_fen(case: ArbitrationCase) -> int:
    """标的额: the sum of the amounts claimed."""
    return sum(int(c.get("amount_fen") or 0) for c in case.claims)


def simplified_refusals(
    case: ArbitrationCase, *, grounds: Iterable[str], exclusions: Iterable[str], average_wage_fen: int | None
) -> list[str]:
    """Why the simplified procedure may not be used (empty: it may). Message codes."""
    grounds, excluded = set(grounds), set(exclusions)
    problems = []
    if not grounds or not grounds <= set(SIMPLIFIED_GROUNDS):
        problems.append("arbitration.simplified_no_ground")
    if "amount_within_average_wage" in grounds:
        # Rules Art. 56(二): at most the province's average annual wage of the previous year
        if average_wage_fen is None:
            problems.append("arbitration.average_wage_unknown")
        elif claimed_fen(case) > average_wage_fen:
            problems.append("arbitration.simplified_amount")
    if case.collective or case.worker_count >= 10:  # 组织规则 Art. 13; LDA Art. 7
        excluded.add("collective")
    if any(p.get("document") == "application_copy" for p in case.procedure.get("publications", [])):
        excluded.add("respondent_missing")  # served by publication: the respondent cannot be found
    if excluded & set(SIMPLIFIED_EXCLUSIONS):  # Rules Art. 57
        problems.append("arbitration.simplified_excluded")
    return problems


def apply_simplified(
    case: ArbitrationCase,
    *,
    grounds: Sequence[str],
    exclusions: Sequence[str],
    average_wage_fen: int | None,
    on: date,
    today: date,
) -> None:
    """Before the tribunal is formed: the case is heard by a sole arbitrator (Rules Art. 56)."""
    case.require("ACCEPTED")
    case.not_before(on, case.accepted_on, today, "on")
    if case.procedure.get("mode") in ("simplified", "converted"):
        raise CaseRuleError("arbitration.wrong_state", detail="the procedure was already decided")
    problems = simplified_refusals(case, grounds=grounds, exclusions=exclusions, average_wage_fen=average_wage_fen)
    if problems:
        field = "grounds" if problems[0] != "arbitration.simplified_excluded" else "exclusions"
        raise CaseRuleError(problems[0], field=field, status=422, detail="; ".join(problems))
    due = case.award_due_on
    notice = NOTICES["simplified"].format(award_due_on=zh_date(due) if due else "")
    _set(case, "mode", "simplified")
    _set(case, "simplified", {"grounds": sorted(set(grounds)), "decided_on": on.isoformat()})
    case.note(on, "simplified", notice)
    case.record(
        SimplifiedProcedureApplied(
            case_id=case.case_id,
            division_code=case.division_code,
            grounds=sorted(set(grounds)),
            decided_on=on,
            award_due_on=due,
            notice_zh=notice,
        )
    )


def check_tribunal_mode(case: ArbitrationCase, mode: str) -> None:
    """A simplified case sits as one arbitrator; one converted to the ordinary procedure as three."""
    if case.procedure.get("mode") == "simplified" and mode != "sole":
        raise CaseRuleError("arbitration.simplified_sole", field="mode", status=422)
    if case.procedure.get("mode") == "converted" and mode != "panel":
        raise CaseRuleError("arbitration.converted_panel", field="mode", status=422)


def convert_to_ordinary(case: ArbitrationCase, *, on: date, reason: str, today: date) -> None:
    """Rules Arts. 60-61: decided before the award period ends; the tribunal is formed again as a
    panel and the hearing set again; the 45 days still count from the original acceptance."""
    case.require(*ACTIVE)
    if case.procedure.get("mode") != "simplified":
        raise CaseRuleError("arbitration.not_simplified")
    case.not_before(on, case.accepted_on, today, "on")
    if case.award_due_on is not None and on > case.award_due_on:
        raise CaseRuleError("arbitration.convert_late", field="on", status=422, detail=f"due {case.award_due_on}")
    if not reason.strip():
        raise CaseRuleError("arbitration.convert_reason", field="reason", status=422)
    due = case.award_due_on
    notice = NOTICES["converted"].format(reason=reason.strip(), award_due_on=zh_date(due) if due else "")
    _set(case, "mode", "converted")
    _set(case, "converted", {"on": on.isoformat(), "reason": reason.strip()})
    case.status, case.tribunal, case.hearing = "ACCEPTED", None, None
    case.note(on, "converted", notice)
    case.record(
        ProcedureConverted(
            case_id=case.case_id,
            division_code=case.division_code,
            converted_on=on,
            reason=reason.strip(),
            award_due_on=due,
            notice_zh=notice,
        )
    )


# -- provisional execution (LDA Art. 44) -----------------------------------------------------------


def rule_provisional_execution(
    case: ArbitrationCase,
    *,
    items: Sequence[ProvisionalItem],
    rights_clear: bool,
    living_seriously_affected: bool,
    court_name: str,
    on: date,
    today: date,
) -> str:
    """The tribunal's ruling on the worker's application; returns its id."""
    case.require(*ACTIVE)
    case.not_before(on, case.accepted_on, today, "on")
    if case.applicant_side != "worker":
        raise CaseRuleError("arbitration.provisional_worker_only", status=422, field="applicant_side")
    if not items:
        raise CaseRuleError("arbitration.provisional_items", field="items", status=422)
    for item in items:
        if item.category not in PROVISIONAL_CATEGORIES or item.category not in case.categories:
            raise CaseRuleError("arbitration.provisional_category", field="items", status=422, detail=item.category)
    reasons = []
    if not rights_clear:
        reasons.append("当事人之间权利义务关系不明确")
    if not living_seriously_affected:
        reasons.append("不先予执行不会严重影响申请人的生活")
    granted = not reasons
    if granted and not court_name.strip():
        raise CaseRuleError("arbitration.provisional_court", field="court_name", status=422)
    total = sum(i.amount_fen for i in items)
    if granted:
        what = "、".join(dict.fromkeys(CATEGORY_ZH[i.category] for i in items))
        notice = NOTICES["provisional.granted"].format(what=what, amount=_yuan(total), court=court_name.strip())
    else:
        notice = NOTICES["provisional.refused"].format(reasons="；".join(reasons))
    ruling_id = uuid.uuid4().hex[:12]
    assert case.case_number is not None
    _append(
        case,
        "provisional",
        {
            "id": ruling_id,
            "ruled_on": on.isoformat(),
            "granted": granted,
            "items": [i.model_dump() for i in items],
            "total_fen": total,
            "reasons": reasons,
            "court_name": court_name.strip() if granted else "",
            "security_required": False,  # LDA Art. 44 ¶2: the worker need not give security
            "suable": False,  # Interp-I Art. 10
        },
    )
    case.note(on, "provisional_execution", notice)
    case.record(
        ProvisionalExecutionRuled(
            case_id=case.case_id,
            division_code=case.division_code,
            case_number=case.case_number,
            commission_id=case.commission_id,
            ruling_id=ruling_id,
            ruled_on=on,
            granted=granted,
            items=list(items),
            total_fen=total,
            reasons=reasons,
            transferred_to_court=granted,  # LDA Art. 44: 移送人民法院执行
            court_name=court_name.strip() if granted else "",
            employer_name=case.employer_name,
            notice_zh=notice,
        )
    )
    return ruling_id


# -- partial awards (LDA Art. 43 ¶2) ---------------------------------------------------------------


def issue_partial_award(case: ArbitrationCase, *, items: list[AwardItem], on: date, today: date) -> str:
    """The part whose facts are clear is decided first; each item final or not (LDA Art. 47)."""
    case.require("TRIBUNAL_FORMED", "HEARING_SCHEDULED")
    case.not_before(on, case.accepted_on, today, "issued_on")
    if not items:
        raise CaseRuleError("arbitration.partial_items", field="items", status=422)
    decided = {i["category"] for p in case.procedure.get("partial_awards", []) for i in p["items"]}
    for item in items:
        if item.category not in case.categories or item.category in decided:
            raise CaseRuleError("arbitration.partial_category", field="items", status=422, detail=item.category)
    if {i.category for i in items} | decided >= case.categories:
        # The last open claims are decided by the award itself, not a partial one.
        raise CaseRuleError("arbitration.partial_whole", field="items", status=422)
    assert case.case_number is not None
    part_id = uuid.uuid4().hex[:12]
    award_type = effect.award_type_of(i.final for i in items)
    part: dict[str, Any] = {
        "id": part_id,
        "kind": "award",
        "award_type": award_type,
        "issued_on": on.isoformat(),
        "items": [i.model_dump() for i in items],
    }
    notice = NOTICES["partial.final" if award_type == "final" else "partial.non_final"].format(issued_on=zh_date(on))
    _append(case, "partial_awards", part)
    case.note(on, "partial_award", notice)
    case.record(
        PartialAwardIssued(
            case_id=case.case_id,
            division_code=case.division_code,
            case_number=case.case_number,
            commission_id=case.commission_id,
            part_id=part_id,
            issued_on=on,
            award_type=award_type,
            items=items,
            total_granted_fen=sum(i.amount_fen or 0 for i in items if i.granted),
            employer_name=case.employer_name,
            notice_zh=notice,
        )
    )
    if award_type == "final":  # LDA Art. 47: effective when made
        _part_takes_effect(case, part_id, on)
    return part_id


def _replace_part(case: ArbitrationCase, part_id: str, **values: Any) -> dict[str, Any]:
    parts = case.procedure.get("partial_awards", [])
    found = next((p for p in parts if p["id"] == part_id), None)
    if found is None:
        raise CaseRuleError("arbitration.unknown_partial_award", status=404)
    changed = {**found, **values}
    _set(case, "partial_awards", [changed if p is found else p for p in parts])
    return changed


def _part_takes_effect(case: ArbitrationCase, part_id: str, on: date) -> None:
    part = _replace_part(case, part_id, effective_on=on.isoformat())
    notice = NOTICES["partial.effective"].format(effective_on=zh_date(on))
    assert case.case_number is not None
    case.record(
        PartialAwardEffective(
            case_id=case.case_id,
            division_code=case.division_code,
            case_number=case.case_number,
            part_id=part_id,
            effective_on=on,
            award_type=part["award_type"],
            items=[AwardItem(**i) for i in part["items"]],
            notice_zh=notice,
        )
    )


def serve_partial_award(case: ArbitrationCase, *, part_id: str, on: date, today: date, calendar: LegalCalendar) -> None:
    """Received by the parties: the suit periods run from receipt (LDA Arts. 48-50)."""
    parts = {p["id"]: p for p in case.procedure.get("partial_awards", [])}
    part = parts.get(part_id)
    if part is None:
        raise CaseRuleError("arbitration.unknown_partial_award", status=404)
    if part.get("served_on"):
        raise CaseRuleError("arbitration.wrong_state", detail="the partial award was already served")
    case.not_before(on, date.fromisoformat(part["issued_on"]), today, "served_on")
    award_type = part["award_type"]
    final = award_type == "final"
    suit_due = clocks.final_suit_due(calendar, on) if final else clocks.nonfinal_suit_due(calendar, on)
    set_aside_due = clocks.set_aside_due(calendar, on) if final else None
    _replace_part(
        case,
        part_id,
        served_on=on.isoformat(),
        suit_due_on=suit_due.isoformat(),
        set_aside_due_on=set_aside_due.isoformat() if set_aside_due else None,
    )
    notice = NOTICES["partial.served"].format(served_on=zh_date(on), suit_due_on=zh_date(suit_due))
    assert case.case_number is not None
    case.record(
        PartialAwardServed(
            case_id=case.case_id,
            division_code=case.division_code,
            case_number=case.case_number,
            part_id=part_id,
            served_on=on,
            award_type=award_type,
            suit_due_on=suit_due,
            set_aside_due_on=set_aside_due,
            notice_zh=notice,
        )
    )


def partial_awards_take_effect(case: ArbitrationCase, *, today: date) -> bool:
    """LDA Art. 50: a served non-final (or mixed, Interp-I Art. 20) part takes effect the day
    after its 15 days pass without a suit in time (a suit is recorded on the part by the court's
    event, ``suit_in_time``)."""
    fired = False
    for part in case.procedure.get("partial_awards", []):
        if part["award_type"] == "final" or part.get("effective_on") or part.get("suit_in_time"):
            continue
        due = part.get("suit_due_on")
        if due and today > date.fromisoformat(due):
            _part_takes_effect(case, part["id"], date.fromisoformat(due) + _DAY)
            fired = True
    return fired


def partial_effects(case: ArbitrationCase) -> list[dict[str, Any]]:
    return partial_effects_of(case.status, case.procedure)


def partial_effects_of(status: str, procedure: dict[str, Any]) -> list[dict[str, Any]]:
    """Each partial award with its own effect (effect.py), for readers."""
    result = []
    for part in procedure.get("partial_awards", []):
        court = {"lawsuit_in_time": True} if part.get("suit_in_time") else {}
        found = effect.effect_of(status=status, award=part, court=court)
        result.append({**part, "effect": found.values() if found else None})
    return result


def court_event_on_ruling(
    case: ArbitrationCase, *, ruling_id: str, kind: str, on: date, party: Literal["worker", "employer"] | None
) -> str:
    """A court event about a partial award or a 先予执行 ruling; returns its effect in a word.

    - 先予执行: a suit against the ruling is not accepted (Interp-I Art. 10); enforcement is
      noted (LDA Arts. 44, 51).
    - a partial award has its own effect (effect.py): a suit in time keeps a non-final or mixed
      part from effect (LDA Art. 50; Interp-I Art. 20); on a final part only the worker may sue
      (LDA Arts. 48-49). The rest of the case goes on either way.
    """
    provisional = {r["id"]: r for r in case.procedure.get("provisional", [])}
    if ruling_id in provisional:
        if kind == "lawsuit_filed":
            return "provisional_ruling_not_suable"
        if kind == "enforcement_applied" and provisional[ruling_id]["granted"]:
            _set(
                case,
                "provisional",
                [
                    {**r, "enforcement_applied_on": on.isoformat()} if r["id"] == ruling_id else r
                    for r in case.procedure["provisional"]
                ],
            )
            return "provisional_enforcement_applied"
        return "not_applicable"
    parts = {p["id"]: p for p in case.procedure.get("partial_awards", [])}
    part = parts.get(ruling_id)
    if part is None:
        return "unknown_ruling"
    if kind == "enforcement_applied":
        _replace_part(case, ruling_id, enforcement_applied_on=on.isoformat())
        return "partial_award_enforcement_applied"
    if kind != "lawsuit_filed":
        return "not_applicable"  # set-aside of a final part is not modelled apart from the award
    if part.get("suit_in_time"):
        return "suit_joined"
    final = part["award_type"] == "final"
    if final and party == "employer":
        return "no_effect_on_final_award"  # LDA Arts. 48-49: the employer may only apply to set aside
    due = part.get("suit_due_on")
    if due is not None and on > date.fromisoformat(due):
        return "suit_out_of_time"
    _replace_part(case, ruling_id, suit_in_time=True, lawsuit_filed_on=on.isoformat())
    return "partial_final_award_challenged_by_worker" if final else "partial_award_not_effective"


# -- service by publication (公告送达) --------------------------------------------------------------


def publication_deemed_served(calendar: LegalCalendar, published_on: date) -> date:
    """民诉法 Art. 95: 自发出公告之日起，经过三十日，即视为送达; counted by Art. 85 (the day of
    publication not counted, a last day on a holiday moves to the next working day)."""
    return calendar.add_calendar_days(published_on, PUBLICATION_DAYS)


def _covered(intervals: Iterable[tuple[date, date]], day: date) -> bool:
    return any(start <= day < end for start, end in intervals)


def record_publication(
    case: ArbitrationCase,
    *,
    document: Literal["application_copy", "hearing_notice", "award", "other"],
    published_on: date,
    today: date,
    calendar: LegalCalendar,
) -> None:
    """Deemed served 30 days after publication (民诉法 Art. 95); those days are left out of the
    award period (LDA Art. 43; Rules Art. 46), once even where publications overlap.

    The 30 days are a period of the 民诉法 (applied through Rules Art. 19): the day of publication
    is not counted, and a 30th day that falls on a holiday moves to the first working day after it
    (Art. 85 ¶2), which is then the deemed day of service. An award is published after it is made
    (the respondent cannot be found): it is served on the employer on the deemed day, and the
    employer's own period runs from that day (LDA Arts. 49-50, party_service.py)."""
    if document == "award":
        case.require("AWARDED", "EFFECTIVE")
        if "employer" not in party_service.unserved(case.award or {}):
            raise CaseRuleError("arbitration.wrong_state", field="document", detail="the award was already served")
        case.not_before(published_on, date.fromisoformat((case.award or {})["issued_on"]), today, "published_on")
    else:
        case.require(*ACTIVE)
        case.not_before(published_on, case.accepted_on, today, "published_on")
    deemed = publication_deemed_served(calendar, published_on)
    if document == "award":
        excluded = 0  # the award is made: no award period is left to extend
    else:
        earlier = [
            (date.fromisoformat(p["published_on"]), date.fromisoformat(p["deemed_served_on"]))
            for p in case.procedure.get("publications", [])
        ]
        span = (deemed - published_on).days
        excluded = sum(1 for n in range(span) if not _covered(earlier, published_on + timedelta(days=n)))
        case.paused_days += excluded
        _refresh_award_due(case, calendar)
    if document == "application_copy":  # LDA Art. 30: the defence period runs from (deemed) receipt
        case.respondent_received_on, case.defence_due_on = deemed, clocks.defence_due(calendar, deemed)
    if document == "award":  # the deemed day is fixed by law when the notice is published
        outcomes.serve_award(case, on=deemed, today=deemed, calendar=calendar, party="employer")
    _append(
        case,
        "publications",
        {
            "document": document,
            "published_on": published_on.isoformat(),
            "deemed_served_on": deemed.isoformat(),
            "excluded_days": excluded,
        },
    )
    due = case.award_due_on
    notice = NOTICES["publication.award" if document == "award" else "publication"].format(
        document=DOCUMENTS_ZH[document],
        published_on=zh_date(published_on),
        deemed=f"于{zh_date(deemed)}",
        award_due_on=zh_date(due) if due else "",
    )
    case.note(published_on, "publication", notice)
    case.record(
        PublicationRecorded(
            case_id=case.case_id,
            division_code=case.division_code,
            document=document,
            published_on=published_on,
            deemed_served_on=deemed,
            excluded_days=excluded,
            award_due_on=due,
            notice_zh=notice,
        )
    )
