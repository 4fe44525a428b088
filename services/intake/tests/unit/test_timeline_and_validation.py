"""The worker's timeline lines, and the checks that need several fields or today's date."""

from __future__ import annotations

from datetime import date

from labornet_intake.domain import timeline
from labornet_intake.domain.validation import ClaimInput, FilingInput, problems

TODAY = date(2026, 11, 21)


def test_later_events_read_as_plain_chinese() -> None:
    data = {"centre_name": "洛龙区科技园街道劳动争议调解中心", "due_on": "2026-12-07"}
    text = timeline.describe("cn.labornet.mediation.case.opened.v1", data)
    assert text == "调解组织已收到您的案件（洛龙区科技园街道劳动争议调解中心），调解期限至2026-12-07"
    assert timeline.describe("cn.labornet.mediation.case.opened.v1", {"due_on": "2026-12-07"}) == (
        "调解组织已收到您的案件，调解期限至2026-12-07"
    )
    assert timeline.source_of("cn.labornet.court.lawsuit_filed.v1") == "court"


def test_unknown_event_types_are_skipped() -> None:
    assert timeline.describe("cn.labornet.mediation.something_new.v9", {}) is None


def _filing(**extra) -> FilingInput:
    return FilingInput(**{"channel": "online", "facts": "", "claims": [], **extra})


def test_a_clean_filing_has_no_problems() -> None:
    claims = [ClaimInput("labor_remuneration", 100, date(2026, 1, 1), TODAY)]
    assert problems(_filing(claims=claims, employment_ended_on=TODAY), today=TODAY) == []


def test_every_problem_is_reported_with_its_field() -> None:
    found = problems(
        _filing(
            channel="police_110",
            oral=True,
            claims=[ClaimInput("wages", None, date(2026, 12, 1), date(2026, 11, 1))],
            employment_ended_on=date(2026, 12, 31),
        ),
        today=TODAY,
    )
    assert found == [
        ("oral", "filing.oral_channel"),
        ("police_incident_number", "filing.police_incident_required"),
        ("claims.0.category", "claim.category"),
        ("claims.0.period_from", "claim.period_future"),
        ("claims.0.period_to", "claim.period_order"),
        ("employment_ended_on", "date.future"),
    ]
