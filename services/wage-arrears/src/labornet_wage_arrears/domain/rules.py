"""Alert rules: small named functions over one subject's case facts, each citing its source.

A rule returns a Finding when its pattern holds. The alert key (rule + subject) makes one
alert per pattern: later evidence updates it instead of raising another (see alerts.py).
Site rules (collective arrears, 110 linkage) look at the most specific subject (the project
when the complaint names one); employer rules look at everything against the employer.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from labornet_common.platform.clock import local_date
from labornet_wage_arrears.domain.config import RuleConfig, Severity
from labornet_wage_arrears.domain.facts import CaseFacts
from labornet_wage_arrears.domain.profile import Subject
from labornet_wage_arrears.domain.records import EMPTY, Order, Records

SOURCES: dict[str, str] = {
    "collective_arrears": "《劳动争议调解仲裁法》第七条（十人以上共同请求）；《保障农民工工资支付条例》；"
    "《劳动保障监察条例》第十四条（群体性事件应急处置）",
    "police_dispatch": "110警情联动：地方人社—公安欠薪警情联动机制（无全国统一条文）；《劳动保障监察条例》第十四条",
    "repeated_complaints": "地方欠薪预警规则（无全国统一阈值，按地区配置）；《保障农民工工资支付条例》第十条",
    "criminal_referral": "《刑法》第二百七十六条之一；最高法2013年《关于审理拒不支付劳动报酬刑事案件适用法律若干问题的"
    "解释》第三条；国务院令第310号（移送）",
    "agreement_unpaid": "《劳动争议调解仲裁法》第十五条、第十六条（不履行调解协议：仲裁或支付令）",
    "award_unpaid": "《劳动争议调解仲裁法》第五十一条（不履行生效裁决、调解书：申请法院执行）",
    "blacklist_eligible": "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人社部令第45号）第五条；"
    "《保障农民工工资支付条例》第四十八条",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    subject: Subject
    severity: Severity
    summary_zh: str
    case_ids: tuple[str, ...]
    worker_count: int
    amount_fen: int
    action: str = ""  # what the desk should do at once (e.g. dispatch to police)
    referral: bool = False
    basis: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def source(self) -> str:
        return SOURCES[self.rule]

    @property
    def key(self) -> str:
        return f"{self.rule}|{self.subject.key}"


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}元"


def _finding(
    rule: str, subject: Subject, config: RuleConfig, cases: list[CaseFacts], amount: int, summary: str, **extra: Any
) -> Finding:
    return Finding(
        rule=rule,
        subject=subject,
        severity=config.severity(rule),
        summary_zh=summary,
        case_ids=tuple(c.case_id for c in cases),
        worker_count=sum(c.worker_count for c in cases),
        amount_fen=amount,
        **extra,
    )


def _site_cases(subject: Subject, cases: list[CaseFacts]) -> list[CaseFacts]:
    return [c for c in cases if c.is_open and c.project_key == subject.project_key]


def collective_arrears(
    subject: Subject, cases: list[CaseFacts], config: RuleConfig, _now: datetime, _records: Records
) -> Finding | None:
    # LDA Art. 7: ten or more workers with a common claim; here a common wage claim.
    hits = [c for c in _site_cases(subject, cases) if c.wage_claims and c.worker_count >= config.collective_min_workers]
    if not hits:
        return None
    amount = sum(c.wages_fen for c in hits)
    return _finding(
        "collective_arrears",
        subject,
        config,
        hits,
        amount,
        f"集体欠薪：{sum(c.worker_count for c in hits)}名劳动者共同追索劳动报酬{_yuan(amount)}",
    )


def police_dispatch(
    subject: Subject, cases: list[CaseFacts], config: RuleConfig, _now: datetime, _records: Records
) -> Finding | None:
    hits = [c for c in _site_cases(subject, cases) if c.police_linked]
    if not hits:
        return None
    amount = sum(c.wages_fen for c in hits)
    return _finding(
        "police_dispatch",
        subject,
        config,
        hits,
        amount,
        f"110联动欠薪警情{len(hits)}起，须立即派员处置",
        action="dispatch:police",
    )


def repeated_complaints(
    subject: Subject, cases: list[CaseFacts], config: RuleConfig, _now: datetime, _records: Records
) -> Finding | None:
    """N complaints whose first and last lie within the window (order of arrival irrelevant)."""
    filed = sorted((c for c in cases if c.is_complaint and c.is_open), key=lambda c: (c.received_at, c.case_id))
    n, window = config.repeat_min_complaints, timedelta(days=config.repeat_window_days)
    times = [datetime.fromisoformat(c.received_at) for c in filed]  # type: ignore[arg-type]
    starts = [i for i in range(len(filed) - n + 1) if times[i + n - 1] - times[i] <= window]
    if not starts:
        return None
    first = starts[0]
    hits = [c for c, t in zip(filed, times, strict=True) if t - times[first] <= window and t >= times[first]]
    return _finding(
        "repeated_complaints",
        subject,
        config,
        hits,
        sum(c.claimed_fen for c in hits),
        f"{config.repeat_window_days}日内被投诉{len(hits)}次",
    )


def _months_covered(claims: list[dict[str, Any]]) -> int:
    """Whole months from the first claimed day to the last (Aug 1 – Oct 31 is three)."""
    starts = [date.fromisoformat(c["period_from"]) for c in claims if c.get("period_from")]
    ends = [date.fromisoformat(c["period_to"]) for c in claims if c.get("period_to")]
    if not starts or not ends:
        return 0
    first, after_last, months = min(starts), max(ends) + timedelta(days=1), 0
    while _add_months(first, months + 1) <= after_last:
        months += 1
    return months


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def crime_single_worker(cases: list[CaseFacts], config: RuleConfig) -> list[CaseFacts]:
    # 2013 interpretation Art. 3(一): one worker, three months' pay or more, at least the figure.
    return [
        c
        for c in cases
        if c.is_open
        and c.worker_count == 1
        and c.wages_fen >= config.crime_single_fen
        and _months_covered(c.wage_claims) >= config.crime_single_min_months
    ]


def crime_many_workers(cases: list[CaseFacts], config: RuleConfig) -> list[CaseFacts]:
    # 2013 interpretation Art. 3(二): ten or more workers, cumulatively at least the figure.
    owed = [c for c in cases if c.is_open and c.wages_fen > 0]
    workers, amount = sum(c.worker_count for c in owed), sum(c.wages_fen for c in owed)
    return owed if workers >= config.crime_many_min_workers and amount >= config.crime_many_fen else []


def _order_entry(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "document_number": order.document_number,
        "due_on": order.due_on,
        "served_on": order.served_on,
        "unpaid_fen": order.unpaid_fen,
    }


def criminal_referral(
    subject: Subject, cases: list[CaseFacts], config: RuleConfig, now: datetime, records: Records
) -> Finding | None:
    single, many = crime_single_worker(cases, config), crime_many_workers(cases, config)
    if not single and not many:
        return None
    hits = sorted({c.case_id: c for c in [*single, *many]}.values(), key=lambda c: c.case_id)
    amount = sum(c.wages_fen for c in hits)
    figures = "（本省数额标准未经核实，暂按区间下限）" if not config.crime_figures_verified else ""
    bands = [f"一名劳动者三个月以上劳动报酬≥{_yuan(config.crime_single_fen)}"] if single else []
    bands += [f"{config.crime_many_min_workers}名以上劳动者累计≥{_yuan(config.crime_many_fen)}"] if many else []
    # 刑法 Art. 276-1 needs 经政府有关部门责令支付仍不支付: say whether a served order has lapsed.
    lapsed = records.lapsed_orders(local_date(now))
    ordered = "；已责令限期支付、逾期未支付" if lapsed else "；尚无逾期未付的责令支付文书，移送前须依法书面责令支付"
    return _finding(
        "criminal_referral",
        subject,
        config,
        hits,
        amount,
        f"欠薪数额达到拒不支付劳动报酬罪立案标准：{'；'.join(bands)}{figures}{ordered}，建议审查移送公安机关",
        referral=True,
        action="refer:police",
        basis={
            "single_worker": [c.case_id for c in single],
            "many_workers": [c.case_id for c in many],
            "crime_single_fen": config.crime_single_fen,
            "crime_many_fen": config.crime_many_fen,
            "figures_verified": config.crime_figures_verified,
            "orders_lapsed": [_order_entry(o) for o in lapsed],
        },
    )


def blacklist_eligible(
    subject: Subject, cases: list[CaseFacts], config: RuleConfig, now: datetime, records: Records
) -> Finding | None:
    """人社部令第45号 Art. 5: an employer ordered to pay within a limit that did not pay by then is
    listed when (一) the arrears reach the 拒不支付劳动报酬罪 amount, or (二) they caused a mass or
    extreme incident with a serious adverse social impact. The rule recommends starting the
    listing procedure; listing itself is the administration's decision."""
    lapsed = records.lapsed_orders(local_date(now))
    if not lapsed:
        return None
    crime_cases = sorted(
        {c.case_id: c for c in [*crime_single_worker(cases, config), *crime_many_workers(cases, config)]}.values(),
        key=lambda c: c.case_id,
    )
    # The order's own figures count too: ten or more workers owed the Art. 3(二) amount in total.
    crime_orders = [
        o for o in lapsed if o.worker_count >= config.crime_many_min_workers and o.unpaid_fen >= config.crime_many_fen
    ]
    incidents = [i for i in records.incidents if i.serious_impact]
    grounds = ["（一）拖欠数额达到拒不支付劳动报酬罪数额标准"] if crime_cases or crime_orders else []
    grounds += ["（二）引发群体性事件、极端事件造成严重不良社会影响"] if incidents else []
    if not grounds:
        return None
    unpaid = sum(o.unpaid_fen for o in lapsed)
    documents = "、".join(o.document_number for o in lapsed)
    summary = (
        f"符合拖欠农民工工资失信联合惩戒名单列入情形：责令限期支付（{documents}）逾期未支付{_yuan(unpaid)}，"
        f"且{'；'.join(grounds)}。建议启动列入程序（事先告知、陈述申辩），核实劳动者为农民工"
    )
    case_ids = {c.case_id for c in crime_cases} | {cid for o in lapsed for cid in o.case_ids}
    case_ids |= {cid for i in incidents for cid in i.case_ids}
    cases_by_id = {c.case_id: c for c in cases}
    named = [cases_by_id[cid] for cid in sorted(case_ids) if cid in cases_by_id]
    workers = max(sum(c.worker_count for c in named), max(o.worker_count for o in lapsed))
    return Finding(
        rule="blacklist_eligible",
        subject=subject,
        severity=config.severity("blacklist_eligible"),
        summary_zh=summary,
        case_ids=tuple(sorted(case_ids)),
        worker_count=workers,
        amount_fen=unpaid,
        action="list:blacklist",
        basis={
            "orders_lapsed": [_order_entry(o) for o in lapsed],
            "crime_amount": bool(crime_cases or crime_orders),
            "crime_cases": [c.case_id for c in crime_cases],
            "crime_orders": [o.order_id for o in crime_orders],
            "incidents": [i.incident_id for i in incidents],
        },
    )


def agreement_unpaid(
    subject: Subject, cases: list[CaseFacts], config: RuleConfig, _now: datetime, _records: Records
) -> Finding | None:
    hits = [c for c in cases if c.unpaid_agreements_fen > 0]
    if not hits:
        return None
    amount = sum(c.unpaid_agreements_fen for c in hits)
    return _finding(
        "agreement_unpaid", subject, config, hits, amount, f"调解协议未履行{len(hits)}件，未付{_yuan(amount)}"
    )


def award_unpaid(
    subject: Subject, cases: list[CaseFacts], config: RuleConfig, _now: datetime, _records: Records
) -> Finding | None:
    hits = [c for c in cases if c.unpaid_awards_fen > 0]
    if not hits:
        return None
    amount = sum(c.unpaid_awards_fen for c in hits)
    return _finding(
        "award_unpaid",
        subject,
        config,
        hits,
        amount,
        f"生效裁决未履行、已申请法院执行{len(hits)}件，涉及{_yuan(amount)}",
    )


Rule = Callable[[Subject, list[CaseFacts], RuleConfig, datetime, Records], Finding | None]
SITE_RULES: tuple[Rule, ...] = (collective_arrears, police_dispatch)
EMPLOYER_RULES: tuple[Rule, ...] = (
    repeated_complaints,
    criminal_referral,
    agreement_unpaid,
    award_unpaid,
    blacklist_eligible,
)


def evaluate(
    subject: Subject, cases: list[CaseFacts], config: RuleConfig, now: datetime, records: Records = EMPTY
) -> list[Finding]:
    """Every rule's finding for one subject; site rules on every subject, employer rules (which
    also read the inspectors' records) on the employer subject only."""
    rules = SITE_RULES if subject.project_key else SITE_RULES + EMPLOYER_RULES
    return [f for rule in rules if (f := rule(subject, cases, config, now, records)) is not None]
