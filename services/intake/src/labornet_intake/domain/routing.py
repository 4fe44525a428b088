"""Which body handles a complaint, and why (pure: the directory is passed in).

Rules are tried in order; each names its article and explains itself in Chinese, and the
decision keeps every reason that led to it, so staff and the worker can see why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from labornet_common.contracts.claims import ClaimCategory
from labornet_common.contracts.intake import Route, RoutingReason
from labornet_common.reference import OrganisationDirectory

# Ordinance Art. 11, 13: inspection enforces labor standards; wage arrears (劳动报酬) and
# working-time, rest, social-insurance and protection standards are matters an inspector orders.
INSPECTABLE = frozenset(
    {
        ClaimCategory.labor_remuneration,
        ClaimCategory.working_hours,
        ClaimCategory.rest_leave,
        ClaimCategory.social_insurance,
        ClaimCategory.labor_protection,
    }
)


@dataclass(frozen=True)
class RoutingFacts:
    requested_route: str  # mediation | arbitration | inspection | help_me_choose
    workplace_division: str
    categories: frozenset[str]
    employer_division: str | None = None
    other_workplaces: tuple[str, ...] = ()
    pending_proceedings: str | None = None  # arbitration | court: already before either


@dataclass(frozen=True)
class Decision:
    route: Route
    target_division: str
    target_org_id: str | None = None
    target_org_name: str | None = None
    reasons: tuple[RoutingReason, ...] = field(default_factory=tuple)


def _reason(rule: str, article: str, explanation_zh: str) -> RoutingReason:
    return RoutingReason(rule=rule, article=article, explanation_zh=explanation_zh)


def is_clear(division: str) -> bool:
    """A workplace known at least to its county (``410300`` is only "somewhere in 洛阳")."""
    return len(division) >= 6 and division[4:6] != "00"


def decide(facts: RoutingFacts, directory: OrganisationDirectory) -> Decision:
    if facts.pending_proceedings in ("arbitration", "court"):
        return _redirect(facts, directory)
    carried: list[RoutingReason] = []
    if facts.requested_route == "inspection":
        desk = _inspection(facts, directory, carried)
        if desk is not None:
            return desk
    if facts.requested_route == "arbitration":
        return _arbitration(facts, directory, carried)
    if facts.requested_route == "help_me_choose":
        # LDA Art. 5: mediation comes first only if the parties want it; we suggest it because
        # it is free, quick (15 days, LDA Art. 14) and the worker may still go to arbitration.
        carried.append(
            _reason(
                "choice.mediation_first",
                "LDA Art. 5",
                "您未指定处理方式：先推荐调解（免费、15日内结案）；调解是自愿的，您也可以不经调解直接申请劳动仲裁",
            )
        )
    return _mediation(facts, directory, carried)


def _redirect(facts: RoutingFacts, directory: OrganisationDirectory) -> Decision:
    # Ordinance Art. 21: matters already before arbitration or a court are not investigated;
    # the complainant is told to pursue them there.
    where = "劳动人事争议仲裁委员会" if facts.pending_proceedings == "arbitration" else "人民法院"
    reason = _reason(
        "redirect.pending_proceedings",
        "劳动保障监察条例 Art. 21",
        f"该争议已经进入{where}处理程序，请继续在{where}办理，本窗口不再另行立案",
    )
    commissions = directory.commissions_serving(facts.workplace_division)
    target = commissions[0] if facts.pending_proceedings == "arbitration" and commissions else None
    return Decision(
        route="redirect",
        target_division=facts.workplace_division,
        target_org_id=target.id if target else None,
        target_org_name=target.name if target else None,
        reasons=(reason,),
    )


def _inspection(facts: RoutingFacts, directory: OrganisationDirectory, carried: list[RoutingReason]) -> Decision | None:
    if not facts.categories & INSPECTABLE:
        # Ordinance Art. 21: disputes to be settled through dispute procedures are not inspected.
        carried.append(
            _reason(
                "inspection.not_a_standard_violation",
                "劳动保障监察条例 Art. 21",
                "所投诉事项属于应当通过劳动争议处理程序解决的事项，转入调解",
            )
        )
        return None
    desk = directory.desk_serving(facts.workplace_division)
    if desk is None:
        carried.append(
            _reason(
                "inspection.no_desk",
                "劳动保障监察条例 Art. 13",
                "目录中没有用工所在地的劳动保障监察机构，转入调解",
            )
        )
        return None
    # Ordinance Art. 13: the labor-inspection department where the employer uses the labor.
    reason = _reason(
        "inspection.workplace_county",
        "劳动保障监察条例 Art. 13",
        f"拖欠工资或违反劳动标准的投诉，由用工所在地的{desk.name}受理",
    )
    return Decision("inspection", facts.workplace_division, desk.id, desk.name, (*carried, reason))


def _mediation(facts: RoutingFacts, directory: OrganisationDirectory, carried: list[RoutingReason]) -> Decision:
    # LDA Art. 10: street and township organisations with labor-dispute mediation functions;
    # the workplace's own street first, then its county, then the employer's seat.
    for division, where in ((facts.workplace_division, "用工所在地"), (facts.employer_division, "用人单位所在地")):
        centre = directory.centre_serving(division) if division else None
        if centre is not None and division is not None:
            reason = _reason(
                "mediation.workplace" if where == "用工所在地" else "mediation.employer_seat",
                "LDA Art. 10",
                f"按{where}分配至{centre.name}",
            )
            return Decision("mediation", division, centre.id, centre.name, (*carried, reason))
    carried.append(
        _reason(
            "mediation.no_centre",
            "LDA Art. 5",
            "目录中没有可受理的调解组织；调解不是仲裁的前置程序，直接转劳动仲裁",
        )
    )
    return _arbitration(facts, directory, carried)


def _arbitration(facts: RoutingFacts, directory: OrganisationDirectory, carried: list[RoutingReason]) -> Decision:
    workplaces = [d for d in (facts.workplace_division, *facts.other_workplaces) if is_clear(d)]
    for workplace in workplaces:
        commissions = directory.commissions_serving(workplace)
        if commissions:
            commission = commissions[0]
            reasons = [
                _reason(
                    "arbitration.performance_place",
                    "LDA Art. 21",
                    f"劳动合同履行地（实际工作地）的{commission.name}管辖",
                )
            ]
            if len(workplaces) > 1:
                # 办案规则 Art. 8: several performance places -> the commission that accepts first;
                # intake lodges the application with the first-named workplace's commission.
                reasons.append(
                    _reason(
                        "arbitration.first_to_accept",
                        "办案规则 Art. 8",
                        "有多个履行地的，由最先受理的仲裁委员会管辖：本案向第一个履行地的仲裁委员会提出",
                    )
                )
            return Decision("arbitration", workplace, commission.id, commission.name, (*carried, *reasons))
    return _arbitration_at_seat(facts, directory, carried)


def _arbitration_at_seat(
    facts: RoutingFacts, directory: OrganisationDirectory, carried: list[RoutingReason]
) -> Decision:
    # 办案规则 Art. 8: a performance place that cannot be determined -> the employer's seat (所在地).
    seat = facts.employer_division
    commissions = directory.commissions_serving(seat) if seat else []
    if commissions:
        reason = _reason(
            "arbitration.employer_seat",
            "办案规则 Art. 8",
            f"履行地不明确的，由用人单位所在地的{commissions[0].name}管辖",
        )
        return Decision("arbitration", seat or "", commissions[0].id, commissions[0].name, (*carried, reason))
    # LDA Art. 17 has commissions set up by government, not one per division: a region the
    # directory does not cover is designated by staff.
    reason = _reason(
        "arbitration.undetermined",
        "LDA Art. 21",
        "暂无法确定管辖的仲裁委员会，由工作人员核实履行地或用人单位所在地后指定",
    )
    return Decision("arbitration", facts.workplace_division, None, None, (*carried, reason))
