"""The worker reads arbitration's own notices (withdrawal, absence, postponement, 先予执行,
partial awards, 公告送达) as sent; older closures without a notice keep their short line."""

from __future__ import annotations

from labornet_intake.domain.timeline import describe

ARB = "cn.labornet.arbitration."


def test_a_closure_tells_what_follows_for_the_limitation_period() -> None:
    notice = "申请人已于2026年9月1日撤回仲裁申请……一年仲裁时效期间自2026年9月1日起重新计算"
    assert describe(f"{ARB}case.closed.v1", {"reason": "withdrawn", "notice_zh": notice}) == notice
    assert describe(f"{ARB}case.closed.v1", {"reason": "other"}) == "仲裁程序已结束"


def test_new_arbitration_events_show_their_notice_and_others_are_not_taken_over() -> None:
    for name in ("hearing.postponed", "provisional_execution.ruled", "publication.recorded", "party.absent"):
        assert describe(f"{ARB}{name}.v1", {"notice_zh": f"{name} 的告知"}) == f"{name} 的告知"
    assert describe(f"{ARB}publication.recorded.v1", {}) is None
    assert describe(f"{ARB}application.referred.v1", {"notice_zh": "移送告知"}) == "仲裁申请已移送有管辖权的仲裁委员会"
    assert describe("cn.labornet.mediation.case.extended.v1", {"notice_zh": "x"}) is None
