"""The worker's prompts: what each stage says, in plain Chinese, never an ID number; the limit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from labornet_arbitration.domain import documents, outcomes, worker_prompts
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_common.contracts.arbitration import AwardItem
from labornet_common.reference.calendar import LegalCalendar
from tests.support.arbitration import arbitration_case


def _case(**values) -> ArbitrationCase:
    base = dict(
        received_on=date(2026, 9, 1),
        acceptance_due_on=date(2026, 9, 8),
        created_at=datetime(2026, 9, 1, tzinfo=UTC),
    )
    return arbitration_case(**{**base, **values})


def test_each_stage_prompts_once() -> None:
    case = _case()
    before = documents.snapshot(case)
    case.status, case.accepted_on, case.case_number = "ACCEPTED", date(2026, 9, 2), "洛劳人仲案字〔2026〕第7号"
    (accepted,) = worker_prompts.prompts_for(before, case)
    assert accepted.stage == "accepted" and "已受理，案号洛劳人仲案字〔2026〕第7号" in accepted.text

    before = documents.snapshot(case)
    case.status = "HEARING_SCHEDULED"
    venue = "第一仲裁庭（联系人证件110105199001011234）"
    case.hearing = {
        "hearing_on": "2026-09-15",
        "notice_served_on": "2026-09-08",
        "venue": venue,
        "hearing_time": "09:30",
    }
    (hearing,) = worker_prompts.prompts_for(before, case)
    assert "9月15日 09:30在第一仲裁庭" in hearing.text and "110105199001011234" not in hearing.text

    before = documents.snapshot(case)
    case.status = "AWARDED"
    case.award = {"kind": "award", "issued_on": "2026-09-18", "items": []}
    assert worker_prompts.prompts_for(before, case) == []  # issued, not yet served: nothing to act on
    before = documents.snapshot(case)
    case.award = {**case.award, "served_on": "2026-09-20", "suit_due_on": "2026-10-08"}
    (served,) = worker_prompts.prompts_for(before, case)
    assert "裁决书已于9月20日送达" in served.text and "10月8日前向人民法院起诉" in served.text
    assert all(len(p.text) <= 140 for p in (accepted, hearing, served))


def test_at_most_three_a_day() -> None:
    now = datetime(2026, 9, 20, 12, tzinfo=UTC)
    two = [now - timedelta(hours=1), now - timedelta(hours=23)]
    assert worker_prompts.within_limit(two, now, daily_limit=3)
    assert not worker_prompts.within_limit([*two, now - timedelta(minutes=5)], now, daily_limit=3)
    assert worker_prompts.within_limit([*two, now - timedelta(hours=25)], now, daily_limit=3)


def test_the_award_prompt_comes_with_the_workers_own_service() -> None:
    """Worker served 2026-09-20: its own window ends 10-08 (National Day; LDA Art. 50, 民诉法
    Art. 85). The employer's later service (09-25, window to 10-10) prompts nothing more."""
    calendar = LegalCalendar()
    case = _case(status="HEARING_SCHEDULED", accepted_on=date(2026, 9, 2), case_number="洛劳人仲案字〔2026〕第9号")
    item = AwardItem(category="labor_contract", description="恢复劳动关系", final=False)
    outcomes.issue_award(case, kind="award", items=[item], on=date(2026, 9, 18), today=date(2026, 9, 18))
    before = documents.snapshot(case)
    outcomes.serve_award(case, on=date(2026, 9, 25), today=date(2026, 9, 25), calendar=calendar, party="employer")
    assert worker_prompts.prompts_for(before, case) == []  # the employer's receipt is not the worker's
    before = documents.snapshot(case)
    outcomes.serve_award(case, on=date(2026, 9, 20), today=date(2026, 9, 25), calendar=calendar, party="worker")
    (served,) = worker_prompts.prompts_for(before, case)
    assert "裁决书已于9月20日送达" in served.text and "10月8日前向人民法院起诉" in served.text
