"""A withdrawn (or deemed withdrawn, LDA Art. 36) application ends the dispute's arbitration:
the passport says so, and a new complaint is a new dispute, not one still pending."""

from __future__ import annotations

from labornet_common.contracts.passport import fold

ARB = "cn.labornet.arbitration."


def _folded(*events: tuple[str, dict]) -> object:
    passport = None
    for name, data in events:
        passport = fold(passport, case_id="case-1", event_type=f"{ARB}{name}.v1", data=data)
    return passport


def test_withdrawal_and_deemed_withdrawal_close_the_dispute() -> None:
    received = ("application.received", {"commission_id": "arb-4103", "division_code": "410311"})
    for reason in ("withdrawn", "deemed_withdrawn"):
        passport = _folded(received, ("case.closed", {"reason": reason, "closed_on": "2026-09-01"}))
        assert passport.stage == "withdrawn" and not passport.pending  # type: ignore[attr-defined]
        assert "撤回" in passport.stage_zh  # type: ignore[attr-defined]
    other = _folded(received, ("case.closed", {"reason": "other", "closed_on": "2026-09-01"}))
    assert other.stage == "closed"  # type: ignore[attr-defined]
