"""What the arbitrator's screens show of an application: its clocks and its history.

The arbitration API answers with the dates of each step; the clocks count days left from them
(on Beijing's calendar day) and the history puts the steps in order, in Chinese.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from labornet_common.platform.clock import china_today
from labornet_common.reference.calendar import clock_status, remaining_days
from labornet_gateway.console import labels

ACTIVE = ("ACCEPTED", "TRIBUNAL_FORMED", "HEARING_SCHEDULED")
UNDECIDED = ("SUBMITTED", "NEEDS_CORRECTION")
ACCEPTANCE = "受理期限", "《劳动争议调解仲裁法》第二十九条：收到申请之日起5日内决定是否受理"
AWARD = "审理期限", "《劳动争议调解仲裁法》第四十三条：受理之日起45日内结束，经批准可延长不超过15日"


def today() -> date:
    return china_today()


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _running(name: str, article: str, due: date, on: date) -> dict[str, Any]:
    return {
        "kind": name,
        "article": article,
        "due_on": due,
        "days_left": remaining_days(due, on),
        "status": clock_status(due, on),
    }


def _stopped(name: str, article: str, due: date | None) -> dict[str, Any]:
    return {"kind": name, "article": article, "due_on": due, "days_left": None, "status": "stopped"}


def _flag(app: dict[str, Any], field: str, clock: dict[str, Any]) -> dict[str, Any]:
    """Marks a clock whose last day lies in a year without an official holiday schedule."""
    return {**clock, "provisional": field in app.get("provisional_deadlines", ())}


def main_clock(app: dict[str, Any], on: date) -> dict[str, Any] | None:
    """The clock the docket sorts by: acceptance until decided, then the award period."""
    status = app["status"]
    if status == "SUBMITTED":
        clock = _running(*ACCEPTANCE, _day(app["acceptance_due_on"]), on)  # type: ignore[arg-type]
        return _flag(app, "acceptance_due_on", clock)
    if status == "NEEDS_CORRECTION":  # Rules Art. 29: receipt counts from the completed application
        return _stopped(ACCEPTANCE[0], "待申请人补正：补正齐全之日为收到申请之日（仲裁规则第二十九条）", None)
    if status in ACTIVE and app.get("award_due_on"):
        return _flag(app, "award_due_on", _running(*AWARD, _day(app["award_due_on"]), on))  # type: ignore[arg-type]
    if status == "SUSPENDED":  # Rules Art. 45: suspended days are not counted
        clock = _stopped(AWARD[0], "中止审理期间不计入审理期限（仲裁规则第四十五条）", _day(app.get("award_due_on")))
        return _flag(app, "award_due_on", clock)
    return None


def _step_clock(name: str, article: str, due: Any, done: Any, on: date | None) -> dict[str, Any] | None:
    """``on`` None: the stage is over (the award is made), so an unfinished step stops too."""
    if not due:
        return None
    if done:
        return {**_stopped(name, article, _day(due)), "done_on": _day(done)}
    if on is None:
        return _stopped(name, article, _day(due))
    return _running(name, article, _day(due), on)  # type: ignore[arg-type]


def step_clocks(app: dict[str, Any], on: date) -> list[dict[str, Any]]:
    """The shorter periods of an accepted case, each done once its step is recorded."""
    award = app.get("award") or {}
    tribunal = app.get("tribunal") or {}
    before_award = on if app["status"] in (*ACTIVE, "SUSPENDED") else None
    found = [
        _step_clock(
            "送达申请书副本",
            "第三十条：受理之日起5日内将仲裁申请书副本送达被申请人",
            app.get("serve_copy_due_on"),
            app.get("respondent_received_on"),
            before_award,
        ),
        _step_clock(
            "通知仲裁庭组成",
            "第三十二条：受理之日起5日内将仲裁庭的组成情况书面通知当事人",
            app.get("tribunal_notice_due_on"),
            tribunal.get("formed_on"),
            before_award,
        ),
        _step_clock(
            "被申请人答辩",
            "第三十条：被申请人收到副本之日起10日内提交答辩书",
            app.get("defence_due_on"),
            None,
            before_award,
        ),
        _step_clock(
            "对非终局裁决起诉",
            "第五十条：收到裁决书之日起15日内可以向人民法院起诉",
            award.get("suit_due_on"),
            award.get("nonfinal_effective_on"),
            on,
        ),
    ]
    return [c for c in found if c is not None]


def _members(tribunal: dict[str, Any]) -> str:
    return "、".join(f"{labels.label(labels.TRIBUNAL_SEATS, m['role'])}{m['name']}" for m in tribunal["members"])


def _decision(app: dict[str, Any], names: dict[str, str]) -> list[tuple[Any, str]]:
    if app.get("correction_items"):  # the API keeps the list, not its day: shown after receipt
        steps = [(None, "一次性书面告知补正：" + "；".join(app["correction_items"]))]
    else:
        steps = []
    if app.get("accepted_on"):
        steps.append((app["accepted_on"], f"决定受理，立案案号 {app.get('case_number') or ''}"))
    if app["status"] == "NOT_ACCEPTED":
        steps.append((app.get("decided_on"), "书面决定不予受理，理由：" + "；".join(app.get("reasons") or [])))
    if app.get("referred_to"):
        steps.append((app.get("decided_on"), f"移送至{names.get(app['referred_to'], app['referred_to'])}"))
    if app.get("acceptance_overdue_on"):
        steps.append((app["acceptance_overdue_on"], "受理期限届满未作决定，申请人可以就该争议向人民法院起诉"))
    return steps


def _proceedings(app: dict[str, Any]) -> list[tuple[Any, str]]:
    steps: list[tuple[Any, str]] = []
    if app.get("respondent_received_on"):
        defence = f"被申请人收到仲裁申请书副本，答辩期至 {app.get('defence_due_on')}"
        steps.append((app["respondent_received_on"], defence))
    if app.get("tribunal"):
        steps.append((app["tribunal"]["formed_on"], "组成仲裁庭：" + _members(app["tribunal"])))
    for r in app.get("recusals") or []:
        steps.append((r["requested_on"], f"当事人申请仲裁员（{r['arbitrator_id']}）回避"))
        if r.get("granted") is not None:
            steps.append((r.get("decided_on"), "回避申请" + ("准许" if r["granted"] else "驳回")))
    if app.get("hearing"):
        h = app["hearing"]
        at = f"{h['hearing_on']} {h['hearing_time']}" if h.get("hearing_time") else h["hearing_on"]
        steps.append((h["notice_served_on"], f"送达开庭通知：定于 {at} 在{h['venue']}开庭"))
    if app.get("extension_days"):
        steps.append((None, f"审理期限经仲裁委员会主任批准延长 {app['extension_days']} 日"))
    if app.get("award_overdue_on"):
        steps.append((app["award_overdue_on"], "审理期限届满未作出裁决，当事人可以就该争议向人民法院起诉"))
    return steps


def _award(app: dict[str, Any]) -> list[tuple[Any, str]]:
    award = app.get("award")
    if not award:
        return []
    kind = labels.label(labels.AWARD_KINDS, award["kind"])
    effect = app.get("award_effect") or {}  # LDA Arts. 42, 47-50, as the arbitration API reads them
    found = [
        (award["issued_on"], f"作出{kind}"),
        (award.get("served_on"), f"{kind}送达当事人"),
        (effect.get("effective_on"), f"{kind}发生法律效力"),
    ]
    court = app.get("court") or {}
    found += [
        (court.get("set_aside_applied_on"), "用人单位申请撤销仲裁裁决"),
        (court.get("set_aside_decided_on"), "人民法院就撤销仲裁裁决的申请作出裁定"),
    ]
    return [(on, text) for on, text in found if on]


def history(app: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Oldest first; a step whose day the API does not keep stays after the one before it."""
    source = labels.label(labels.ARBITRATION_SOURCES, app.get("source"))
    steps = [
        (app["received_on"], f"收到仲裁申请（{source}）"),
        *_decision(app, names),
        *_proceedings(app),
        *_award(app),
    ]
    court = app.get("court") or {}
    steps += [
        (on, text)
        for on, text in (
            (court.get("lawsuit_filed_on"), "当事人向人民法院起诉"),
            (court.get("enforcement_applied_on"), "当事人申请人民法院强制执行"),
        )
        if on
    ]
    dated, last = [], _day(app["received_on"])
    for on, text in steps:
        last = _day(on) or last
        dated.append({"on": _day(on), "sort": last, "text": text})
    return sorted(dated, key=lambda s: s["sort"])
