"""The console marks a clock 暂定 (provisional) while its last day lies in a year whose State
Council holiday schedule is not entered yet, as the services' APIs report it."""

from __future__ import annotations

from datetime import date

from labornet_gateway.console.pages.arbitration_view import main_clock
from labornet_gateway.console.render import templates

TODAY = date(2026, 12, 4)
MACRO = '{% from "_clock.html" import clock %}{{ clock(c) }}'


def _accepted(provisional: list[str]) -> dict:
    # LDA Art. 43: accepted 2026-12-04, day 45 is Mon 2027-01-18 (no 2027 schedule yet).
    return {"status": "ACCEPTED", "award_due_on": "2027-01-18", "provisional_deadlines": provisional}


def test_the_award_clock_is_provisional_as_the_arbitration_api_says() -> None:
    assert main_clock(_accepted(["award_due_on"]), TODAY)["provisional"] is True
    assert main_clock(_accepted([]), TODAY)["provisional"] is False
    submitted = {"status": "SUBMITTED", "acceptance_due_on": "2027-01-04", "provisional_deadlines": []}
    assert main_clock(submitted, TODAY)["provisional"] is False


def test_the_clock_macro_shows_the_mark_only_for_a_provisional_clock() -> None:
    macro = templates.env.from_string(MACRO)
    provisional = macro.render(c=main_clock(_accepted(["award_due_on"]), TODAY))
    assert 'data-testid="clock-provisional"' in provisional and "（暂定）" in provisional
    assert "暂定" not in macro.render(c=main_clock(_accepted([]), TODAY))
    # mediation's clock comes from its API as {"due_on", "days_left", "status", "article", "provisional"}
    mediation = {"due_on": "2027-01-01", "days_left": 28, "status": "ok", "article": "LDA Art 14", "provisional": True}
    assert "（暂定）" in macro.render(c=mediation)
