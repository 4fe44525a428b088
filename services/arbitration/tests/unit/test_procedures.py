"""Arbitration as practised, rule by rule, with the law's periods across the holidays of 2025-2026.

National Day 2025: 10-01..10-08; National Day 2026: 10-01..10-07 (make-up workday Sat 10-10), from
the State Council's notices via labornet_common.reference.calendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from labornet_arbitration.domain import clocks, outcomes, party_service, procedures
from labornet_arbitration.domain.model import ArbitrationCase, CaseRuleError
from labornet_common.contracts.arbitration import AwardItem, ProvisionalItem
from labornet_common.reference.calendar import LegalCalendar
from tests.support.arbitration import arbitration_case

CAL = LegalCalendar()
WAGES = {"category": "labor_remuneration", "amount_fen": 1_860_000}
REINSTATE = {"category": "labor_contract"}
COMPENSATION = {"category": "economic_compensation", "amount_fen": 2_400_000}
HEARING = {"hearing_on": "2026-10-09", "notice_served_on": "2026-09-28", "venue": "第一仲裁庭", "hearing_time": None}


def _case(accepted: date = date(2026, 9, 10), **overrides: Any) -> ArbitrationCase:
    values: dict[str, Any] = dict(
        received_on=accepted,
        acceptance_due_on=accepted,
        created_at=datetime(2026, 9, 1, tzinfo=UTC),
        status="ACCEPTED",
        case_number="洛劳人仲案字〔2026〕第7号",
        accepted_on=accepted,
        award_clock_start=accepted,
        award_due_on=clocks.award_due(CAL, accepted),
        claims=[WAGES, REINSTATE],
    )
    return arbitration_case(**{**values, **overrides})


def _types(case: ArbitrationCase) -> list[str]:
    return [e.data.event_type.split("arbitration.")[-1] for e in case.pull_events()]


def _data(case: ArbitrationCase) -> list[Any]:
    return [e.data for e in case.pull_events()]


# -- withdrawal, deemed withdrawal, default award ---------------------------------------------------


def test_withdrawal_closes_every_clock_and_restarts_the_limitation_period_across_national_day() -> None:
    case = _case(accepted=date(2025, 9, 10), status="TRIBUNAL_FORMED", defence_due_on=date(2025, 10, 9))
    assert case.award_due_on == date(2025, 10, 27)  # day 45 = Sat 10-25, rolled past the weekend
    procedures.withdraw(
        case, on=date(2025, 10, 1), today=date(2025, 10, 1), settled=True, settlement="用人单位已付清工资", calendar=CAL
    )
    (closed,) = _data(case)
    assert case.status == "WITHDRAWN"
    assert closed.reason == "withdrawn" and closed.settled is True
    assert closed.clocks_closed == ["defence", "award"]
    # LDA Art. 27: one year from 2025-10-01 is 2026-10-01, National Day: the period ends on 10-08
    assert closed.limitation_restarts_on == date(2025, 10, 1) and closed.limitation_due_on == date(2026, 10, 8)
    assert "2026年10月8日" in closed.notice_zh and "第二十七条" in closed.notice_zh
    assert "不受一年仲裁时效期间的限制" in closed.notice_zh  # a wage claim (Art. 27 ¶4)
    assert "和解协议未履行的" in closed.notice_zh
    assert case.procedure["closure"]["settlement"] == "用人单位已付清工资"
    # No clock of a closed application runs out any more.
    assert not outcomes.award_overdue(case, today=date(2026, 1, 1))
    with pytest.raises(CaseRuleError):
        procedures.withdraw(
            case, on=date(2025, 10, 2), today=date(2025, 10, 2), settled=False, settlement="", calendar=CAL
        )


def test_withdrawal_before_acceptance_stops_the_acceptance_clock_and_a_settlement_needs_its_terms() -> None:
    case = _case(status="SUBMITTED", accepted_on=None, award_clock_start=None, award_due_on=None, claims=[REINSTATE])
    with pytest.raises(CaseRuleError) as refused:
        procedures.withdraw(
            case, on=date(2026, 9, 11), today=date(2026, 9, 11), settled=True, settlement=" ", calendar=CAL
        )
    assert refused.value.code == "arbitration.settlement_missing" and refused.value.field == "settlement"
    procedures.withdraw(case, on=date(2026, 9, 11), today=date(2026, 9, 11), settled=False, settlement="", calendar=CAL)
    (closed,) = _data(case)
    assert closed.clocks_closed == ["acceptance"] and closed.settled is False
    assert "不受一年" not in closed.notice_zh  # no wage claim


def test_deemed_withdrawal_needs_the_written_notice_and_the_hearing_day() -> None:
    case = _case(status="HEARING_SCHEDULED", hearing=dict(HEARING))
    with pytest.raises(CaseRuleError) as early:
        procedures.deem_withdrawn(case, on=date(2026, 10, 8), today=date(2026, 10, 8), reason="未到庭", calendar=CAL)
    assert early.value.code == "arbitration.absence_before_hearing"
    unnotified = _case(status="HEARING_SCHEDULED", hearing={**HEARING, "notice_served_on": None})
    with pytest.raises(CaseRuleError) as no_notice:
        procedures.deem_withdrawn(unnotified, on=date(2026, 10, 9), today=date(2026, 10, 9), reason="x", calendar=CAL)
    assert no_notice.value.code == "arbitration.no_written_notice"

    procedures.deem_withdrawn(
        case, on=date(2026, 10, 9), today=date(2026, 10, 9), reason="无正当理由未到庭", calendar=CAL
    )
    absent, closed = _data(case)
    assert case.status == "DEEMED_WITHDRAWN"
    assert (absent.party, absent.side, absent.consequence) == ("applicant", "worker", "deemed_withdrawn")
    assert closed.reason == "deemed_withdrawn" and closed.clocks_closed == ["award"]
    assert "视为撤回仲裁申请" in closed.notice_zh and "第三十六条" in closed.notice_zh
    assert closed.limitation_due_on == date(2027, 10, 11)  # 2027-10-09 is a Saturday (no 2027 schedule yet)


def test_default_award_against_an_absent_respondent_is_an_award_like_any_other() -> None:
    case = _case(status="HEARING_SCHEDULED", hearing=dict(HEARING), claims=[WAGES])
    items = [AwardItem(category="labor_remuneration", amount_fen=1_860_000, final=True)]
    procedures.default_award(case, items=items, on=date(2026, 10, 9), today=date(2026, 10, 9), reason="被申请人未到庭")
    absent, issued, effective = _data(case)
    assert (absent.party, absent.side, absent.consequence) == ("respondent", "employer", "default_award")
    assert issued.by_default is True and case.award and case.award["by_default"] is True
    assert effective.event_type.endswith("award.effective.v1")  # final: effective when made (LDA Art. 47)
    assert case.status == "EFFECTIVE"


# -- postponement -----------------------------------------------------------------------------------


def test_postponement_is_asked_three_days_before_and_the_award_clock_keeps_running() -> None:
    case = _case(status="HEARING_SCHEDULED", hearing=dict(HEARING))
    due = case.award_due_on
    assert due == date(2026, 10, 26)
    new = procedures.NewHearing(hearing_on=date(2026, 10, 20), notice_on=date(2026, 10, 9), venue="第二仲裁庭")
    with pytest.raises(CaseRuleError) as late:  # hearing Fri 10-09: the request was due by 10-06
        procedures.postpone_hearing(
            case, requested_by="employer", requested_on=date(2026, 10, 7), reason="代理人住院", granted=True,
            new=new, today=date(2026, 10, 7), calendar=CAL,
        )  # fmt: skip
    assert late.value.code == "arbitration.postpone_late" and late.value.field == "requested_on"
    short = procedures.NewHearing(hearing_on=date(2026, 10, 20), notice_on=date(2026, 10, 16), venue="第二仲裁庭")
    with pytest.raises(CaseRuleError) as notice:  # 5 days before 10-20 is 10-15 (LDA Art. 35)
        procedures.postpone_hearing(
            case, requested_by="employer", requested_on=date(2026, 10, 6), reason="代理人住院", granted=True,
            new=short, today=date(2026, 10, 6), calendar=CAL,
        )  # fmt: skip
    assert notice.value.code == "arbitration.hearing_notice_short"
    procedures.postpone_hearing(
        case, requested_by="employer", requested_on=date(2026, 10, 6), reason="代理人住院", granted=True,
        new=new, today=date(2026, 10, 6), calendar=CAL,
    )  # fmt: skip
    scheduled, postponed = _data(case)
    assert scheduled.hearing_on == date(2026, 10, 20) and case.hearing and case.hearing["venue"] == "第二仲裁庭"
    assert postponed.granted and postponed.previous_hearing_on == date(2026, 10, 9)
    assert case.award_due_on == due == postponed.award_due_on and case.paused_days == 0
    assert "延期开庭不停止仲裁期限" in postponed.notice_zh and "2026年10月26日" in postponed.notice_zh


def test_a_refused_postponement_keeps_the_hearing_and_the_tribunal_may_postpone_late() -> None:
    case = _case(status="HEARING_SCHEDULED", hearing=dict(HEARING))
    procedures.postpone_hearing(
        case, requested_by="worker", requested_on=date(2026, 10, 2), reason="外出务工", granted=False,
        new=None, today=date(2026, 10, 2), calendar=CAL,
    )  # fmt: skip
    (refused,) = _data(case)
    assert (
        not refused.granted
        and refused.hearing_on is None
        and case.hearing
        and case.hearing["hearing_on"] == "2026-10-09"
    )
    new = procedures.NewHearing(
        hearing_on=date(2026, 10, 19), notice_on=date(2026, 10, 8), venue="第一仲裁庭", hearing_time=time(9, 30)
    )
    procedures.postpone_hearing(
        case, requested_by="tribunal", requested_on=date(2026, 10, 8), reason="仲裁员回避后重新组庭", granted=True,
        new=new, today=date(2026, 10, 8), calendar=CAL,
    )  # fmt: skip
    assert case.hearing and case.hearing["hearing_on"] == "2026-10-19" and len(case.procedure["postponements"]) == 2


# -- simplified procedure ---------------------------------------------------------------------------


def test_simplified_procedure_grounds_exclusions_and_a_sole_arbitrator() -> None:
    case = _case(claims=[WAGES])
    with pytest.raises(CaseRuleError) as unknown:
        procedures.apply_simplified(
            case, grounds=["amount_within_average_wage"], exclusions=[], average_wage_fen=None,
            on=date(2026, 9, 11), today=date(2026, 9, 11),
        )  # fmt: skip
    assert unknown.value.code == "arbitration.average_wage_unknown"
    with pytest.raises(CaseRuleError) as over:
        procedures.apply_simplified(
            case, grounds=["amount_within_average_wage"], exclusions=[], average_wage_fen=1_800_000,
            on=date(2026, 9, 11), today=date(2026, 9, 11),
        )  # fmt: skip
    assert over.value.code == "arbitration.simplified_amount"
    with pytest.raises(CaseRuleError) as excluded:
        procedures.apply_simplified(
            case, grounds=["clear_facts"], exclusions=["major_impact"], average_wage_fen=None,
            on=date(2026, 9, 11), today=date(2026, 9, 11),
        )  # fmt: skip
    assert excluded.value.code == "arbitration.simplified_excluded" and excluded.value.field == "exclusions"
    collective = _case(claims=[WAGES], worker_count=12, collective=True)
    with pytest.raises(CaseRuleError):
        procedures.apply_simplified(
            collective, grounds=["parties_agree"], exclusions=[], average_wage_fen=None,
            on=date(2026, 9, 11), today=date(2026, 9, 11),
        )  # fmt: skip
    procedures.apply_simplified(
        case, grounds=["amount_within_average_wage", "clear_facts"], exclusions=[], average_wage_fen=2_000_000,
        on=date(2026, 9, 11), today=date(2026, 9, 11),
    )  # fmt: skip
    (applied,) = _data(case)
    assert applied.grounds == ["amount_within_average_wage", "clear_facts"]
    assert applied.award_due_on == date(2026, 10, 26)  # no shorter period (Rules Art. 56 ff.)
    with pytest.raises(CaseRuleError) as panel:
        procedures.check_tribunal_mode(case, "panel")
    assert panel.value.code == "arbitration.simplified_sole"
    procedures.check_tribunal_mode(case, "sole")


def test_a_respondent_served_by_publication_excludes_the_simplified_procedure() -> None:
    case = _case(claims=[WAGES])
    procedures.record_publication(
        case, document="application_copy", published_on=date(2026, 9, 12), today=date(2026, 9, 12), calendar=CAL
    )
    assert procedures.simplified_refusals(case, grounds=["clear_facts"], exclusions=[], average_wage_fen=None) == [
        "arbitration.simplified_excluded"
    ]


def test_conversion_keeps_the_award_period_from_the_original_acceptance() -> None:
    case = _case(claims=[WAGES])
    procedures.apply_simplified(
        case,
        grounds=["parties_agree"],
        exclusions=[],
        average_wage_fen=None,
        on=date(2026, 9, 10),
        today=date(2026, 9, 10),
    )
    case.status, case.tribunal = "TRIBUNAL_FORMED", {"mode": "sole", "members": []}
    with pytest.raises(CaseRuleError) as late:
        procedures.convert_to_ordinary(case, on=date(2026, 10, 27), reason="案情复杂", today=date(2026, 10, 27))
    assert late.value.code == "arbitration.convert_late"
    procedures.convert_to_ordinary(case, on=date(2026, 10, 9), reason="需要鉴定，案情复杂", today=date(2026, 10, 9))
    _applied, converted = _data(case)
    assert converted.award_due_on == date(2026, 10, 26) == case.award_due_on  # Rules Art. 61
    assert case.status == "ACCEPTED" and case.tribunal is None
    assert "仍自原受理之日起计算" in converted.notice_zh
    with pytest.raises(CaseRuleError):
        procedures.check_tribunal_mode(case, "sole")


# -- provisional execution --------------------------------------------------------------------------


def test_provisional_execution_conditions_no_security_transferred_to_court_not_suable() -> None:
    case = _case(status="TRIBUNAL_FORMED", claims=[WAGES, COMPENSATION, REINSTATE])
    wages = ProvisionalItem(category="labor_remuneration", amount_fen=1_860_000)
    employer_side = _case(status="TRIBUNAL_FORMED", applicant_side="employer")
    with pytest.raises(CaseRuleError) as who:
        procedures.rule_provisional_execution(
            employer_side, items=[wages], rights_clear=True, living_seriously_affected=True,
            court_name="洛龙区人民法院", on=date(2026, 9, 20), today=date(2026, 9, 20),
        )  # fmt: skip
    assert who.value.code == "arbitration.provisional_worker_only"
    with pytest.raises(CaseRuleError) as category:
        procedures.rule_provisional_execution(
            case, items=[ProvisionalItem(category="labor_contract", amount_fen=1)], rights_clear=True,
            living_seriously_affected=True, court_name="洛龙区人民法院", on=date(2026, 9, 20), today=date(2026, 9, 20),
        )  # fmt: skip
    assert category.value.code == "arbitration.provisional_category"
    procedures.rule_provisional_execution(
        case, items=[wages], rights_clear=True, living_seriously_affected=False,
        court_name="", on=date(2026, 9, 20), today=date(2026, 9, 20),
    )  # fmt: skip
    (refused,) = _data(case)
    assert not refused.granted and not refused.transferred_to_court and refused.reasons
    procedures.rule_provisional_execution(
        case, items=[wages, ProvisionalItem(category="economic_compensation", amount_fen=240_000)],
        rights_clear=True, living_seriously_affected=True, court_name="洛阳市洛龙区人民法院",
        on=date(2026, 9, 21), today=date(2026, 9, 21),
    )  # fmt: skip
    (granted,) = _data(case)
    assert granted.granted and granted.transferred_to_court and granted.court_name == "洛阳市洛龙区人民法院"
    assert granted.total_fen == 2_100_000 and not granted.security_required and not granted.suable
    assert "21,000元" in granted.notice_zh and "不能提起诉讼" in granted.notice_zh
    assert case.status == "TRIBUNAL_FORMED"  # the case goes on


# -- partial awards ---------------------------------------------------------------------------------


def test_partial_awards_take_effect_on_their_own() -> None:
    case = _case(status="HEARING_SCHEDULED", hearing=dict(HEARING), claims=[WAGES, REINSTATE, COMPENSATION])
    final = AwardItem(category="labor_remuneration", amount_fen=1_860_000, final=True)
    part_final = procedures.issue_partial_award(case, items=[final], on=date(2026, 9, 18), today=date(2026, 9, 18))
    issued, effective = _data(case)
    assert issued.award_type == "final" and effective.part_id == part_final
    assert effective.effective_on == date(2026, 9, 18)  # LDA Art. 47: when made
    with pytest.raises(CaseRuleError) as again:
        procedures.issue_partial_award(case, items=[final], on=date(2026, 9, 18), today=date(2026, 9, 18))
    assert again.value.code == "arbitration.partial_category"
    with pytest.raises(CaseRuleError) as whole:
        procedures.issue_partial_award(
            case,
            items=[
                AwardItem(category="labor_contract", final=False),
                AwardItem(category="economic_compensation", amount_fen=2_400_000, final=True),
            ],
            on=date(2026, 9, 18),
            today=date(2026, 9, 18),
        )
    assert whole.value.code == "arbitration.partial_whole"

    reinstate = AwardItem(category="labor_contract", description="恢复劳动关系", final=False)
    part = procedures.issue_partial_award(case, items=[reinstate], on=date(2026, 9, 19), today=date(2026, 9, 19))
    procedures.serve_partial_award(case, part_id=part, on=date(2026, 9, 20), today=date(2026, 9, 20), calendar=CAL)
    _issued, served = _data(case)
    assert served.suit_due_on == date(2026, 10, 8)  # day 15 = 10-05, National Day: rolls to 10-08
    assert not procedures.partial_awards_take_effect(case, today=date(2026, 10, 8))
    assert procedures.partial_awards_take_effect(case, today=date(2026, 10, 9))
    (took,) = _data(case)
    assert took.part_id == part and took.effective_on == date(2026, 10, 9)
    assert not procedures.partial_awards_take_effect(case, today=date(2026, 10, 20))  # once
    effects = {p["id"]: p["effect"]["state"] for p in procedures.partial_effects(case)}
    assert effects == {part_final: "effective", part: "effective"}
    assert case.status == "HEARING_SCHEDULED" and case.award is None  # the rest is still being heard


# -- service by publication -------------------------------------------------------------------------


def test_publication_is_left_out_of_the_award_period_once_even_when_overlapping() -> None:
    case = _case(accepted=date(2026, 9, 1), claims=[WAGES])
    assert case.award_due_on == date(2026, 10, 16)
    procedures.record_publication(
        case, document="application_copy", published_on=date(2026, 9, 5), today=date(2026, 9, 5), calendar=CAL
    )
    (first,) = _data(case)
    # 民诉法 Art. 95 counted by Art. 85: the 30th day after 09-05 is Mon 10-05, inside National Day
    # (10-01..10-07), so the notice is deemed served on Thu 10-08, and 33 days are left out.
    assert first.deemed_served_on == date(2026, 10, 8) and first.excluded_days == 33
    # 45 + 33 days from 09-01 is Wed 11-18
    assert case.award_due_on == first.award_due_on == date(2026, 11, 18)
    # LDA Art. 30: the defence period runs from the deemed receipt (10 days to Sun 10-18: Mon 10-19)
    assert case.respondent_received_on == date(2026, 10, 8) and case.defence_due_on == date(2026, 10, 19)
    procedures.record_publication(
        case, document="hearing_notice", published_on=date(2026, 9, 20), today=date(2026, 9, 20), calendar=CAL
    )
    (second,) = _data(case)
    assert second.deemed_served_on == date(2026, 10, 20)
    assert second.excluded_days == 12  # 09-20..10-07 were already left out
    assert case.award_due_on == date(2026, 11, 30) and case.paused_days == 45
    assert "公告送达" in second.notice_zh and "2026年11月30日" in second.notice_zh


def test_an_award_published_is_served_on_the_employer_on_the_deemed_day() -> None:
    case = _case(accepted=date(2026, 8, 3), claims=[WAGES])
    case.status = "AWARDED"
    case.award = {
        "kind": "award",
        "issued_on": "2026-09-01",
        "items": [{"category": "labor_remuneration", "final": False, "granted": True, "amount_fen": 100}],
    }
    procedures.record_publication(
        case, document="award", published_on=date(2026, 9, 2), today=date(2026, 9, 2), calendar=CAL
    )
    # Thirty days after 09-02 is Fri 10-02 (National Day): deemed served Thu 10-08 (民诉法 Arts. 85, 95);
    # the employer's 15 days (LDA Art. 50) run from that day to Fri 10-23.
    employer = party_service.of(case.award)["employer"]
    assert employer == {"served_on": "2026-10-08", "suit_due_on": "2026-10-23", "set_aside_due_on": None}
    assert case.paused_days == 0  # the award is made: nothing is left out of its period
    with pytest.raises(CaseRuleError):  # served once
        procedures.record_publication(
            case, document="award", published_on=date(2026, 9, 3), today=date(2026, 9, 3), calendar=CAL
        )


# -- the court on a partial award or a 先予执行 ruling ----------------------------------------------


def _court(case: ArbitrationCase, kind: str, on: date, ruling_id: str, party: Any = None) -> str:
    from labornet_arbitration.domain.court_events import CourtEvent, apply_court_event

    callback = f"cb-{len(case.court.get('callbacks', []))}"
    event = CourtEvent(
        kind=kind, callback_id=callback, court_name="洛龙区法院", outcome="", on=on, party=party, ruling_id=ruling_id
    )
    assert apply_court_event(case, event=event, calendar=CAL)
    return case.pull_events()[-1].data.effect  # type: ignore[attr-defined]


def test_a_suit_in_time_keeps_a_partial_award_from_effect_and_the_case_goes_on() -> None:
    case = _case(status="HEARING_SCHEDULED", hearing=dict(HEARING), claims=[WAGES, REINSTATE, COMPENSATION])
    reinstate = AwardItem(category="labor_contract", description="恢复劳动关系", final=False)
    part = procedures.issue_partial_award(case, items=[reinstate], on=date(2026, 9, 19), today=date(2026, 9, 19))
    procedures.serve_partial_award(case, part_id=part, on=date(2026, 9, 20), today=date(2026, 9, 20), calendar=CAL)
    case.pull_events()
    # 10-08 is the last day (day 15 = 10-05, National Day): in time
    assert _court(case, "lawsuit_filed", date(2026, 10, 8), part, "employer") == "partial_award_not_effective"
    assert case.status == "HEARING_SCHEDULED" and case.court.get("lawsuit_in_time") is None
    assert not procedures.partial_awards_take_effect(case, today=date(2026, 10, 20))
    (read,) = procedures.partial_effects(case)
    assert read["effect"]["state"] == "not_effective_in_court"
    assert _court(case, "lawsuit_filed", date(2026, 10, 9), "unknown") == "unknown_ruling"


def test_a_late_suit_on_a_partial_award_and_the_employers_suit_on_a_final_part_change_nothing() -> None:
    case = _case(status="HEARING_SCHEDULED", hearing=dict(HEARING), claims=[WAGES, REINSTATE])
    final = procedures.issue_partial_award(
        case, items=[AwardItem(category="labor_remuneration", amount_fen=1_860_000, final=True)],
        on=date(2026, 9, 18), today=date(2026, 9, 18),
    )  # fmt: skip
    procedures.serve_partial_award(case, part_id=final, on=date(2026, 9, 20), today=date(2026, 9, 20), calendar=CAL)
    case.pull_events()
    assert _court(case, "lawsuit_filed", date(2026, 9, 25), final, "employer") == "no_effect_on_final_award"
    assert _court(case, "lawsuit_filed", date(2026, 10, 9), final, "worker") == "suit_out_of_time"
    (read,) = procedures.partial_effects(case)
    assert read["effect"]["state"] == "effective"


def test_a_suit_against_a_provisional_execution_ruling_is_not_accepted() -> None:
    case = _case(status="TRIBUNAL_FORMED", claims=[WAGES])
    ruling = procedures.rule_provisional_execution(
        case, items=[ProvisionalItem(category="labor_remuneration", amount_fen=1_860_000)], rights_clear=True,
        living_seriously_affected=True, court_name="洛龙区法院", on=date(2026, 9, 21), today=date(2026, 9, 21),
    )  # fmt: skip
    case.pull_events()
    assert _court(case, "lawsuit_filed", date(2026, 9, 25), ruling, "employer") == "provisional_ruling_not_suable"
    assert case.status == "TRIBUNAL_FORMED"  # Interp-I Art. 10: nothing changes
    assert _court(case, "enforcement_applied", date(2026, 9, 28), ruling) == "provisional_enforcement_applied"
    assert case.procedure["provisional"][0]["enforcement_applied_on"] == "2026-09-28"


def test_publication_is_deemed_served_thirty_days_on_counting_make_up_workdays_as_working_days() -> None:
    # 民诉法 Art. 95: deemed served when thirty days have passed since publication; Art. 85: the
    # day of publication is not counted, and a last day on a rest day moves to the next working day.
    # 2026's Spring Festival schedule makes Sat 02-14 and Sat 02-28 working days (调休上班).
    assert procedures.publication_deemed_served(CAL, date(2026, 1, 15)) == date(2026, 2, 14)  # make-up Saturday
    assert procedures.publication_deemed_served(CAL, date(2026, 1, 29)) == date(2026, 2, 28)  # make-up Saturday
    assert procedures.publication_deemed_served(CAL, date(2026, 1, 30)) == date(2026, 3, 2)  # Sun 03-01 -> Mon
    # Thirty days after 01-17 is Mon 02-16, inside the Spring Festival holiday (02-15..02-23): Tue 02-24.
    assert procedures.publication_deemed_served(CAL, date(2026, 1, 17)) == date(2026, 2, 24)
