"""The reporting read model (pure): what the labour-relations monitoring dashboard counts.

Every service's events are folded into one fact sheet per case and one per wage-arrears alert.
A fold only records facts (dates, ids, amounts) and never moves a state machine, so events of
different services may arrive in any order, and a replay from the topics' start gives the same
sheets. The figures are pure functions of the sheets; each one's definition sits beside it
(``DEFINITIONS``) and is shown on the dashboard next to the number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from labornet_common.platform.clock import CHINA

OPEN_ALERT_STATES = ("raised", "acknowledged", "dispatched", "escalated")


@dataclass
class CaseFacts:
    case_id: str
    region: str = ""  # the most specific division code the case's events named
    street: str = ""  # the workplace's 乡镇街道 (9-digit statistical code), when known
    channel: str = ""
    filed_on: date | None = None  # the local date (Asia/Shanghai) intake received it
    employer_name: str = ""
    employer_uscc: str = ""
    collective: bool = False
    worker_count: int = 1
    centre_id: str = ""
    mediation_received_on: date | None = None
    mediation_due_on: date | None = None  # the 15 days of LDA Art. 14 plus agreed extensions
    mediation_ended_on: date | None = None
    mediation_outcome: str = ""  # agreed | failed | withdrawn
    commission_id: str = ""
    arbitration_accepted_on: date | None = None
    award_due_on: date | None = None  # the 45 days of LDA Art. 43, +15 when the chair extended
    arbitration_ended_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaseFacts:
        facts = cls(case_id=data["case_id"])
        for name, value in data.items():
            setattr(facts, name, _day(value) if name.endswith("_on") else value)
        return facts


@dataclass
class AlertFacts:
    alert_id: str
    region: str = ""
    rule: str = ""
    employer_name: str = ""
    employer_uscc: str = ""
    raised_on: date | None = None
    amount_fen: int = 0
    worker_count: int = 0
    state: str = "raised"
    state_at: str = ""  # when the state was set (ISO), so the latest change wins in any order
    case_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AlertFacts:
        facts = cls(alert_id=data["alert_id"])
        for name, value in data.items():
            setattr(facts, name, _day(value) if name.endswith("_on") else value)
        return facts


@dataclass(frozen=True)
class NamedEnterprise:
    """An employer named a 和谐劳动关系 enterprise (创建示范单位), recognised by its unified social
    credit code, or by its exact name when no code was given."""

    name: str
    uscc: str = ""
    level: str = ""  # 国家级 / 省级 / 市级 / 县级
    named_on: date | None = None

    def is_employer(self, name: str, uscc: str) -> bool:
        return bool(self.uscc and uscc == self.uscc) or (not (self.uscc and uscc) and name == self.name)


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _local_day(value: Any) -> date | None:
    if isinstance(value, str) and value:
        moment = datetime.fromisoformat(value)
        return moment.astimezone(CHINA).date() if moment.tzinfo else moment.date()
    return None


def _first(current: date | None, value: date | None) -> date | None:
    return value if current is None or (value is not None and value < current) else current


def _latest(current: date | None, value: date | None) -> date | None:
    return value if current is None or (value is not None and value > current) else current


# -- the case fold ------------------------------------------------------------------------------


def _filed(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    facts.channel = data.get("channel") or facts.channel
    facts.filed_on = _local_day(data.get("received_at")) or facts.filed_on
    workplace = str(data.get("workplace_division") or "")
    facts.street = workplace[:9] if len(workplace) >= 9 else facts.street
    _employer(facts, data)


def _employer(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    facts.employer_name = facts.employer_name or str(data.get("employer_name") or "")
    facts.employer_uscc = facts.employer_uscc or str(data.get("employer_uscc") or "")
    facts.collective = facts.collective or bool(data.get("collective"))
    facts.worker_count = max(facts.worker_count, int(data.get("worker_count") or 1))


def _mediation_opened(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    facts.centre_id = data.get("centre_id") or facts.centre_id
    facts.mediation_received_on = _day(data.get("received_on"))
    facts.mediation_due_on = _latest(facts.mediation_due_on, _day(data.get("due_on")))
    _employer(facts, data)


def _mediation_extended(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    # An extension both parties agreed on moves the limit (LDA Art. 14; 人社部令17号).
    facts.mediation_due_on = _latest(facts.mediation_due_on, _day(data.get("due_on")))


def _agreed(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    # An agreement reached settles the mediation, whatever a later breach brings.
    facts.mediation_outcome = "agreed"
    facts.mediation_ended_on = _first(facts.mediation_ended_on, _day(data.get("effective_on")))


def _failed(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    if facts.mediation_outcome != "agreed":
        facts.mediation_outcome = "failed"
    facts.mediation_ended_on = _first(facts.mediation_ended_on, _day(data.get("failed_on")))


def _mediation_closed(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    if data.get("outcome") == "withdrawn" and not facts.mediation_outcome:
        facts.mediation_outcome = "withdrawn"
        facts.mediation_ended_on = _first(facts.mediation_ended_on, _day(data.get("closed_on")))


def _accepted(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    facts.commission_id = data.get("commission_id") or facts.commission_id
    facts.arbitration_accepted_on = _day(data.get("accepted_on"))
    facts.award_due_on = _latest(facts.award_due_on, _day(data.get("award_due_on")))


def _received(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    facts.commission_id = facts.commission_id or data.get("commission_id") or ""
    _employer(facts, data)


def _clock_extended(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    # The chair's approval adds at most 15 days to the 45 (LDA Art. 43).
    facts.award_due_on = _latest(facts.award_due_on, _day(data.get("new_due_on")))


def _recomputed(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    if str(data.get("rule", "")).startswith("AWARD"):
        facts.award_due_on = _latest(facts.award_due_on, _day(data.get("due_on")))


def _awarded(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    facts.arbitration_ended_on = _first(facts.arbitration_ended_on, _day(data.get("issued_on")))


def _arbitration_closed(facts: CaseFacts, data: Mapping[str, Any]) -> None:
    if facts.arbitration_accepted_on is not None or data.get("reason") != "award_effective":
        facts.arbitration_ended_on = _first(facts.arbitration_ended_on, _day(data.get("closed_on")))


_M, _A, _I = "cn.labornet.mediation.", "cn.labornet.arbitration.", "cn.labornet.intake."
CASE_FOLDS: dict[str, Callable[[CaseFacts, Mapping[str, Any]], None]] = {
    _I + "complaint.received.v1": _filed,
    _I + "complaint.routed.v1": _employer,
    _I + "complaint.joined.v1": _employer,
    _M + "case.opened.v1": _mediation_opened,
    _M + "period.extended.v1": _mediation_extended,
    _M + "deadline.recomputed.v1": _mediation_extended,
    _M + "agreement.reached.v1": _agreed,
    _M + "case.failed.v1": _failed,
    _M + "case.closed.v1": _mediation_closed,
    _M + "case.workers_joined.v1": _employer,
    _A + "application.received.v1": _received,
    _A + "application.accepted.v1": _accepted,
    _A + "clock.extended.v1": _clock_extended,
    _A + "deadline.recomputed.v1": _recomputed,
    _A + "award.issued.v1": _awarded,
    _A + "case.closed.v1": _arbitration_closed,
}
_REGION_FIELDS = ("workplace_division", "division_code", "region_code")


def fold_case(facts: CaseFacts, event_type: str, data: Mapping[str, Any]) -> bool:
    """Apply one event; False when the event says nothing the reports count."""
    fold = CASE_FOLDS.get(event_type)
    if fold is None:
        return False
    for name in _REGION_FIELDS:
        value = str(data.get(name) or "")
        if value.isdigit() and len(value) > len(facts.region) and (not facts.region or value.startswith(facts.region)):
            facts.region = value
        elif value.isdigit() and not facts.region:
            facts.region = value
    fold(facts, data)
    return True


# -- the alert fold -----------------------------------------------------------------------------

ALERT_TYPES = (
    "cn.labornet.wage_arrears.alert.raised.v1",
    "cn.labornet.wage_arrears.alert.updated.v1",
    "cn.labornet.wage_arrears.alert.state_changed.v1",
)


def fold_alert(facts: AlertFacts, event_type: str, data: Mapping[str, Any]) -> None:
    facts.region = data.get("region_code") or facts.region
    facts.rule = data.get("rule") or facts.rule
    facts.employer_name = facts.employer_name or str(data.get("employer_name") or "")
    facts.employer_uscc = facts.employer_uscc or str(data.get("employer_uscc") or "")
    if event_type.endswith("raised.v1"):
        facts.raised_on = _local_day(data.get("raised_at"))
    if "amount_fen" in data:  # the latest picture of the arrears; raised and updated carry it
        when = str(data.get("updated_at") or data.get("raised_at") or "")
        if when >= facts.state_at or event_type.endswith("updated.v1"):
            facts.amount_fen = int(data.get("amount_fen") or 0)
            facts.worker_count = int(data.get("worker_count") or 0)
    facts.case_ids = sorted(set(facts.case_ids) | set(data.get("case_ids") or []))
    if event_type.endswith("state_changed.v1"):
        changed = str(data.get("changed_at") or "")
        if changed >= facts.state_at:
            facts.state, facts.state_at = str(data.get("state")), changed


# -- the figures --------------------------------------------------------------------------------

DEFINITIONS: dict[str, str] = {
    "filings": (
        "受理的投诉件数：一窗受理确认成案的投诉（含各渠道），按受理时间（北京时间）的日期计；并入已"
        "有案件的重复、合并投诉不另计。"
    ),
    "by_channel": ("按投诉渠道（网上、窗口、12333、110联动、移送）分列的受理件数。"),
    "by_street": ("按用工所在乡镇街道（统计用区划代码9位）分列的受理件数；仅有县级代码的投诉列为“未到街道”。"),
    "by_month": "按受理日期所在月份分列的受理件数。",
    "mediation_success": (
        "调解成功率 = 达成调解协议的案件 ÷（达成协议 + 调解不成）的案件；撤回的不计入分母。"
        "依据：劳动争议调解仲裁法第十四条。"
    ),
    "mediation_on_time": (
        "调解时限办结率：调解结束（协议生效日或调解不成日）不晚于期限的案件 ÷ 已结束的案件。期限"
        "为收到申请之日起十五日（劳动争议调解仲裁法第十四条），加双方同意延长的日数；期末遇法定节假"
        "日顺延（法定日历）。按调解组织分列。"
    ),
    "arbitration_on_time": (
        "仲裁时限办结率：裁决（或调解书）作出日、撤回结案日不晚于期限的案件 ÷ 已结案的案件。期限"
        "为受理之日起四十五日，经仲裁委主任批准可延长不超过十五日（劳动争议调解仲裁法第四十三条），"
        "按法定日历计。按仲裁委分列。"
    ),
    "open_clocks": (
        "在办时限：尚未结束的调解（十五日期限）与已受理未结案的仲裁（四十五日期限）；“已超期”指今"
        "天（北京时间）已过期限而未结束。"
    ),
    "collective": ("集体争议：劳动者十人以上并有共同请求的案件（劳动争议调解仲裁法第七条），按受理件数计。"),
    "alerts": (
        "欠薪预警：欠薪预警规则触发的预警件数；“未办结”指尚未化解或关闭的预警；金额为各预警最近一"
        "次核定的欠薪金额之和（元）。"
    ),
    "employers": ("被投诉用人单位：按统一社会信用代码（无代码时按名称）归并的投诉件数，取前十。"),
    "enterprise_check": (
        "和谐劳动关系企业动态核查：已命名的和谐劳动关系企业（按统一社会信用代码识别，无代码时按名称"
        "）在本区域有投诉案件、欠薪预警或集体争议（群体性事件）的，列为“需动态核查”（人社部发〔2"
        "023〕2号“实施动态管理”）。"
    ),
}


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


def _rate(items: Iterable[bool]) -> Rate:
    flags = list(items)
    return Rate(sum(flags), len(flags))


def _employer_key(name: str, uscc: str) -> str:
    return uscc or name


def figures(
    cases: list[CaseFacts], alerts: list[AlertFacts], enterprises: list[NamedEnterprise], *, today: date
) -> dict[str, Any]:
    """Every figure of the dashboard for these cases and alerts (already within the scope)."""
    filed = [c for c in cases if c.filed_on is not None]
    mediation_ended = [
        c for c in cases if c.mediation_ended_on and c.mediation_due_on and c.mediation_outcome != "withdrawn"
    ]
    arbitration_ended = [c for c in cases if c.arbitration_ended_on and c.award_due_on]
    return {
        "filings": len(filed),
        "by_channel": dict(sorted(Counter(c.channel for c in filed).items())),
        "by_street": dict(sorted(Counter(c.street or "" for c in filed).items())),
        "by_month": dict(sorted(Counter(c.filed_on.strftime("%Y-%m") for c in filed if c.filed_on).items())),
        "mediation_success": _success(cases),
        "mediation_on_time": _per(
            mediation_ended, "centre_id", lambda c: _by(c.mediation_ended_on, c.mediation_due_on)
        ),
        "arbitration_on_time": _per(
            arbitration_ended, "commission_id", lambda c: _by(c.arbitration_ended_on, c.award_due_on)
        ),
        "open_clocks": _open_clocks(cases, today),
        "collective": sorted(c.case_id for c in filed if c.collective),
        "alerts": _alerts(alerts),
        "employers": _employers(filed),
        "enterprise_check": _enterprise_check(cases, alerts, enterprises),
    }


def _by(day: date | None, due: date | None) -> bool:
    """Whether ``day`` falls on or before the last day ``due`` (the last day itself counts)."""
    return day is not None and due is not None and day <= due


def _success(cases: list[CaseFacts]) -> Rate:
    return _rate(c.mediation_outcome == "agreed" for c in cases if c.mediation_outcome in ("agreed", "failed"))


def _per(cases: list[CaseFacts], key: str, on_time: Callable[[CaseFacts], bool]) -> dict[str, Rate]:
    groups: dict[str, list[bool]] = {}
    for case in cases:
        groups.setdefault(getattr(case, key) or "", []).append(on_time(case))
    return {name: _rate(flags) for name, flags in sorted(groups.items())}


def _open_clocks(cases: list[CaseFacts], today: date) -> dict[str, int]:
    mediation = [c for c in cases if c.mediation_due_on and not c.mediation_ended_on]
    arbitration = [c for c in cases if c.award_due_on and c.arbitration_accepted_on and not c.arbitration_ended_on]
    return {
        "mediation_open": len(mediation),
        "mediation_overdue": sum(1 for c in mediation if not _by(today, c.mediation_due_on)),
        "arbitration_open": len(arbitration),
        "arbitration_overdue": sum(1 for c in arbitration if not _by(today, c.award_due_on)),
    }


def _alerts(alerts: list[AlertFacts]) -> dict[str, int]:
    return {
        "raised": len(alerts),
        "open": sum(1 for a in alerts if a.state in OPEN_ALERT_STATES),
        "amount_fen": sum(a.amount_fen for a in alerts),
        "open_amount_fen": sum(a.amount_fen for a in alerts if a.state in OPEN_ALERT_STATES),
    }


def _employers(filed: list[CaseFacts], top: int = 10) -> list[dict[str, Any]]:
    counts = Counter(
        _employer_key(c.employer_name, c.employer_uscc) for c in filed if c.employer_name or c.employer_uscc
    )
    names = {_employer_key(c.employer_name, c.employer_uscc): c.employer_name for c in filed}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [{"employer": names.get(key) or key, "key": key, "complaints": n} for key, n in ranked]


def _enterprise_check(
    cases: list[CaseFacts], alerts: list[AlertFacts], enterprises: list[NamedEnterprise]
) -> list[dict[str, Any]]:
    rows = []
    for named in enterprises:
        own = [c for c in cases if c.filed_on and named.is_employer(c.employer_name, c.employer_uscc)]
        raised = [a for a in alerts if named.is_employer(a.employer_name, a.employer_uscc)]
        collective = [c for c in own if c.collective]
        rows.append(
            {
                "name": named.name,
                "uscc": named.uscc,
                "level": named.level,
                "cases": len(own),
                "alerts": len(raised),
                "collective": len(collective),
                "check": bool(own or raised),
                "case_ids": sorted(c.case_id for c in own),
            }
        )
    return sorted(rows, key=lambda r: (not r["check"], r["name"]))
