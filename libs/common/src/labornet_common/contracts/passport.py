"""The case passport: where one dispute stands across the network, folded from case events.

One case id follows a dispute from the window (or the centre or commission where it was first
lodged) to the court. Each service that holds the dispute tells the others over its topic;
folding those events answers, in any service, "where is this dispute now, who holds it, who
are its parties" without asking anyone.

Events of one service about one case arrive in order (the inbox applies a case's stream by
sequence), but the topics of different services interleave freely. So the passport keeps one
view per source service, each overwritten by that service's latest event, and reads the stage
from the furthest service down the line that has spoken: intake → mediation → arbitration
(which records what the court did to its award). Counts and sets only grow (workers join, they
never leave a dispute), so they combine by maximum and union. The result is the same for any
interleaving and any duplicate: the property the tests check by permutation.

Pure: no database, no Kafka. Services store ``Passport.to_dict()`` and call ``fold``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

SOURCES = ("intake", "mediation", "arbitration")  # in the order a dispute travels

# Stages a dispute can be in, and what the worker reads for each.
STAGE_ZH = {
    "intake": "已在受理窗口登记",
    "forwarded": "已转请管辖地区受理",
    "routed": "已分派，等待承办机构接收",
    "inspection": "劳动保障监察机构处理中",
    "mediation": "调解组织调解中",
    "agreed": "已达成调解协议",
    "breached": "调解协议未履行",
    "mediation_failed": "调解未成功",
    "arbitration": "劳动人事争议仲裁委员会审查仲裁申请中",
    "docketed": "劳动人事争议仲裁委员会已立案审理",
    "awarded": "仲裁委员会已作出裁决，尚待生效",
    "court": "争议已进入人民法院诉讼程序",
    "set_aside": "终局裁决已被人民法院撤销",
    "redirected": "已告知向正在处理的机构继续办理",
    "merged": "同一争议已由有管辖权的仲裁委员会一并处理",
    "declined": "调解组织未受理",
    "not_accepted": "仲裁委员会不予受理",
    "performed": "调解协议已履行完毕",
    "effective": "仲裁裁决（调解书）已发生法律效力",
    "closed": "已结案",
    "withdrawn": "仲裁申请已撤回（或视为撤回），仲裁程序已终结",
}
# Still before some body of the network: a new complaint about it belongs with it.
PENDING = frozenset(
    {
        "intake",
        "forwarded",
        "routed",
        "inspection",
        "mediation",
        "agreed",
        "breached",
        "mediation_failed",
        "arbitration",
        "docketed",
        "awarded",
        "court",
        "set_aside",
    }
)
# Stages where further workers with a common claim can still be added to the dispute: before an
# agreement or award settles who the parties are (LDA Art. 7; 办案规则 Art. 46(一) for arbitration).
JOINABLE = frozenset(
    {"intake", "forwarded", "routed", "inspection", "mediation", "mediation_failed", "arbitration", "docketed"}
)

# Brackets, spaces and punctuation people type differently: （洛阳）某公司 == (洛阳)某公司 == 洛阳 某公司.
_NOISE = re.compile(r"[\s()（）\[\]【】·.,，。、\-—_\"'“”]+")


def employer_key(*, name: str, uscc: str | None, county: str) -> str:
    """The employer as every service recognises it: its unified social credit code (GB 32100)
    when known, else its normalised name within its county."""
    if uscc:
        return f"uscc:{uscc}"
    folded = _NOISE.sub("", unicodedata.normalize("NFKC", name)).casefold()
    return f"name:{county[:6]}:{folded}"


@dataclass(frozen=True)
class SourceView:
    """What one service last said about the dispute."""

    stage: str
    holder_kind: str | None = None  # window | centre | commission | tribunal | desk
    holder_id: str | None = None
    holder_name: str | None = None


@dataclass(frozen=True)
class Passport:
    case_id: str
    employer_key: str = ""
    employer_name: str = ""
    region_code: str = ""
    tracking_number: str | None = None
    case_number: str | None = None
    applicant_side: str | None = None
    worker_count: int = 1
    worker_keys: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    # A worker nobody identified (no ID number) is on it: a repeat cannot be told from a newcomer.
    unidentified: bool = False
    views: dict[str, SourceView] = field(default_factory=dict)

    @property
    def current(self) -> SourceView:
        for source in reversed(SOURCES):
            if source in self.views:
                return self.views[source]
        return SourceView("intake")

    @property
    def stage(self) -> str:
        return self.current.stage

    @property
    def stage_zh(self) -> str:
        return STAGE_ZH.get(self.stage, self.stage)

    @property
    def pending(self) -> bool:
        return self.stage in PENDING

    @property
    def joinable(self) -> bool:
        return self.stage in JOINABLE

    @property
    def route(self) -> str:
        """The body the dispute is before, in intake's routing words."""
        stage = self.stage
        if stage == "inspection":
            return "inspection"
        if stage == "court":
            return "court"
        if "arbitration" in self.views or stage in ("arbitration", "docketed", "awarded", "set_aside"):
            return "arbitration"
        return "mediation"

    def summary(self) -> dict[str, Any]:
        """What a filer, a clerk or another service is told about where the dispute is."""
        view = self.current
        return {
            "case_id": self.case_id,
            "stage": self.stage,
            "stage_zh": self.stage_zh,
            "route": self.route,
            "holder_kind": view.holder_kind,
            "holder_id": view.holder_id,
            "holder_name": view.holder_name,
            "case_number": self.case_number,
            "tracking_number": self.tracking_number,
            "worker_count": self.worker_count,
            "applicant_side": self.applicant_side,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "employer_key": self.employer_key,
            "employer_name": self.employer_name,
            "region_code": self.region_code,
            "tracking_number": self.tracking_number,
            "case_number": self.case_number,
            "applicant_side": self.applicant_side,
            "worker_count": self.worker_count,
            "worker_keys": sorted(self.worker_keys),
            "categories": sorted(self.categories),
            "unidentified": self.unidentified,
            "views": {k: v.__dict__ for k, v in self.views.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passport:
        return cls(
            case_id=data["case_id"],
            employer_key=data.get("employer_key", ""),
            employer_name=data.get("employer_name", ""),
            region_code=data.get("region_code", ""),
            tracking_number=data.get("tracking_number"),
            case_number=data.get("case_number"),
            applicant_side=data.get("applicant_side"),
            worker_count=data.get("worker_count", 1),
            worker_keys=frozenset(data.get("worker_keys", ())),
            categories=frozenset(data.get("categories", ())),
            unidentified=data.get("unidentified", False),
            views={k: SourceView(**v) for k, v in data.get("views", {}).items()},
        )

    def with_workers(
        self,
        *,
        keys: frozenset[str] = frozenset(),
        count: int = 0,
        unidentified: bool = False,
        categories: frozenset[str] = frozenset(),
    ) -> Passport:
        """Intake's own knowledge of who filed (blind indexes never leave a service's events)."""
        return replace(
            self,
            worker_keys=self.worker_keys | keys,
            worker_count=max(self.worker_count, count),
            unidentified=self.unidentified or unidentified,
            categories=self.categories | categories,
        )


def source_of(event_type: str) -> str | None:
    """``cn.labornet.<source>.…`` → the service that said it (None for others)."""
    parts = event_type.split(".")
    return parts[2] if len(parts) > 3 and parts[2] in SOURCES else None


def _rule_of(event_type: str) -> tuple[str, str, Rule] | None:
    """(source, event name, its rule), or None for an event ``fold`` does not read."""
    source = source_of(event_type)
    if source is None:
        return None
    name = event_type.split(".", 3)[3].rsplit(".", 1)[0]  # e.g. "complaint.routed"
    rule = _RULES.get((source, name))
    return None if rule is None else (source, name, rule)


def folds(event_type: str) -> bool:
    """Whether ``fold`` reads events of this type at all (for any other it returns the passport
    unchanged): a store need not load a passport for them."""
    return _rule_of(event_type) is not None


def fold(passport: Passport | None, *, case_id: str, event_type: str, data: dict[str, Any]) -> Passport | None:
    """The passport after one event; None when the event says nothing about a dispute yet."""
    found = _rule_of(event_type)
    if found is None:
        return passport
    source, name, rule = found
    current = passport or Passport(case_id=case_id)
    current = _facts(current, data)
    view = rule(current.views.get(source), data)
    if view is None:
        return current
    if name == "application.accepted" and data.get("case_number"):
        current = replace(current, case_number=data["case_number"])
    return replace(current, views={**current.views, source: view})


def _facts(passport: Passport, data: dict[str, Any]) -> Passport:
    """Parties and claims, from whichever event names them: they only ever grow."""
    categories = frozenset(c["category"] for c in data.get("claims") or () if isinstance(c, dict) and "category" in c)
    keys = frozenset(data.get("worker_keys") or ())
    employer = passport.employer_key
    if not employer and (data.get("employer_uscc") or data.get("employer_name")):
        county = data.get("employer_division") or data.get("workplace_division") or data.get("division_code") or ""
        employer = employer_key(name=data.get("employer_name") or "", uscc=data.get("employer_uscc"), county=county)
    count = data.get("worker_count")
    return replace(
        passport,
        employer_key=employer,
        employer_name=passport.employer_name or data.get("employer_name") or "",
        region_code=passport.region_code or data.get("region_code") or (data.get("division_code") or "")[:6],
        tracking_number=passport.tracking_number or data.get("tracking_number") or None,
        applicant_side=data.get("applicant_side") or passport.applicant_side,
        worker_count=max(passport.worker_count, count if isinstance(count, int) else 0),
        worker_keys=passport.worker_keys | keys,
        categories=passport.categories | categories,
    )


# -- what each event says about the stage, per source ---------------------------------------------

Rule = Any  # Callable[[SourceView | None, dict], SourceView | None]


def _stage(stage: str) -> Rule:
    def rule(previous: SourceView | None, _data: dict[str, Any]) -> SourceView:
        # The same holder unless the event names another.
        if previous is None:
            return SourceView(stage)
        return replace(previous, stage=stage)

    return rule


def _routed(_previous: SourceView | None, data: dict[str, Any]) -> SourceView:
    route = data.get("route")
    kind = {"mediation": "centre", "arbitration": "commission", "inspection": "desk"}.get(route or "")
    stage = "inspection" if route == "inspection" else "redirected" if route == "redirect" else "routed"
    return SourceView(stage, kind, data.get("target_org_id"), data.get("target_org_name"))


def _mediation_opened(_previous: SourceView | None, data: dict[str, Any]) -> SourceView:
    return SourceView("mediation", "centre", data.get("centre_id"), data.get("centre_name"))


def _transferred(_previous: SourceView | None, data: dict[str, Any]) -> SourceView:
    # The mediation service hands the dispute on (LDA Arts. 14-15): until arbitration speaks,
    # mediation's last word is where it went.
    holder = data.get("tribunal_id") or data.get("commission_id")
    kind = "tribunal" if data.get("tribunal_id") else "commission"
    return SourceView("arbitration", kind, holder, data.get("venue_name"))


def _application(_previous: SourceView | None, data: dict[str, Any]) -> SourceView:
    holder = data.get("tribunal_id") or data.get("commission_id")
    return SourceView("arbitration", "tribunal" if data.get("tribunal_id") else "commission", holder)


def _referred(_previous: SourceView | None, data: dict[str, Any]) -> SourceView:
    # LDA Art. 21, Rules Arts. 8-9: the same dispute lodged at two commissions lives on under the
    # keeper's case; this one is no longer where anything happens.
    if data.get("same_dispute") and data.get("to_case_id") and data.get("to_case_id") != data.get("case_id"):
        return SourceView("merged", "commission", data.get("to_commission_id"))
    return SourceView("arbitration", "commission", data.get("to_commission_id"))


# What a court event did on the arbitration side (CourtEventRecorded.effect) that puts the
# dispute before the court: a suit after non-acceptance or an overdue clock (LDA Arts. 29, 43),
# a suit in time on a non-final or mixed award (LDA Art. 50, Interp-I Art. 20), the worker's
# suit on a final award (LDA Art. 48), a suit after a set-aside (LDA Art. 49 ¶2). Late suits,
# the employer's suit on a final award and suits on a signed 调解书 leave the award standing.
_BEFORE_COURT = frozenset(
    {
        "dispute_before_court",
        "suit_after_set_aside",
        "non_final_award_not_effective",
        "mixed_award_not_effective",
        "final_award_challenged_by_worker",
    }
)


def _court_recorded(previous: SourceView | None, data: dict[str, Any]) -> SourceView | None:
    effect = data.get("effect", "")
    if effect == "award_set_aside":
        return replace(previous or SourceView("awarded"), stage="set_aside")
    if effect in _BEFORE_COURT:
        return replace(previous or SourceView("awarded"), stage="court")
    return previous


def _not_effective(previous: SourceView | None, data: dict[str, Any]) -> SourceView:
    stage = "set_aside" if data.get("reason") == "set_aside" else "court"
    return replace(previous or SourceView(stage), stage=stage)


def _closed(previous: SourceView | None, data: dict[str, Any]) -> SourceView:
    stage = "effective" if data.get("reason") == "award_effective" else "closed"
    if data.get("reason") == "court":
        stage = "court"
    if data.get("reason") in ("withdrawn", "deemed_withdrawn"):  # LDA Art. 36; a new application may follow
        stage = "withdrawn"
    return replace(previous or SourceView(stage), stage=stage)


def _keep(previous: SourceView | None, _data: dict[str, Any]) -> SourceView | None:
    return previous


_RULES: dict[tuple[str, str], Rule] = {
    ("intake", "complaint.received"): lambda p, d: p or SourceView("intake", "window"),
    ("intake", "complaint.routed"): _routed,
    ("intake", "complaint.redirected"): _stage("redirected"),
    ("intake", "complaint.joined"): _keep,
    ("intake", "complaint.closed"): _stage("closed"),
    ("intake", "joint_acceptance.requested"): _stage("forwarded"),
    # A refusal returns the case to the window that accepted it; an acceptance routes it next.
    ("intake", "joint_acceptance.answered"): lambda p, d: (
        _stage("intake")(p, d) if d.get("decision") == "refused" else p
    ),
    ("mediation", "case.opened"): _mediation_opened,
    ("mediation", "case.accepted"): _stage("mediation"),
    ("mediation", "case.declined"): _stage("declined"),
    ("mediation", "agreement.reached"): _stage("agreed"),
    ("mediation", "agreement.performed"): _stage("performed"),
    ("mediation", "agreement.breached"): _stage("breached"),
    ("mediation", "case.failed"): _stage("mediation_failed"),
    ("mediation", "case.transferred"): _transferred,
    ("mediation", "case.closed"): _stage("closed"),
    ("mediation", "case.workers_joined"): _keep,
    ("arbitration", "application.received"): _application,
    ("arbitration", "application.accepted"): _stage("docketed"),
    ("arbitration", "application.not_accepted"): _stage("not_accepted"),
    ("arbitration", "application.referred"): _referred,
    ("arbitration", "award.issued"): _stage("awarded"),
    ("arbitration", "award.effective"): _stage("effective"),
    ("arbitration", "award.not_effective"): _not_effective,
    ("arbitration", "court_event.recorded"): _court_recorded,
    ("arbitration", "case.closed"): _closed,
    ("arbitration", "parties.joined"): _keep,
    ("arbitration", "referral.received"): _keep,  # the referred workers and claims join the keeper
}
