"""Enterprise labour-dispute mediation committees (企业劳动争议调解委员会), a kind of centre (pure).

LDA Art. 10 ¶1 lists them first among the bodies a party may apply to; ¶2 sets their make-up:
workers' representatives (union members, or elected by all the workers) and the enterprise's
representatives (designated by its head); the chair is a union member or a person both sides
elect. A committee mediates the disputes of its own enterprise (人社部令17号, ◐), and decides
whether to accept an application within 3 working days (人社部令17号, ◐).

Routing: the party chooses the body (LDA Art. 10: "可以到下列调解组织申请调解"), and the
register and seed documents set no rule that sends a complaint to an enterprise's committee;
so a complaint is never routed to one by the employer's name. Intake may still name a committee
the worker chose, and its staff open cases for applications made there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from labornet_common.reference.calendar import LegalCalendar
from labornet_mediation.domain.agreement import RuleBroken

ENTERPRISE = "enterprise"
ACCEPTANCE_WORKING_DAYS = 3  # 人社部令17号 (◐): the committee decides within 3 working days
COMMITTEE_SUFFIX = "劳动争议调解委员会"
CHAIRS = {"union_member": "工会成员", "elected_by_both": "双方推举的人员"}  # LDA Art. 10 ¶2


@dataclass(frozen=True)
class Composition:
    worker_representatives: int
    employer_representatives: int
    chair: str  # union_member | elected_by_both


@dataclass(frozen=True)
class Committee:
    centre_id: str
    name: str
    employer_uscc: str | None = None
    employer_name: str | None = None

    @property
    def enterprise_name(self) -> str:
        """The enterprise the committee belongs to: as registered, else read off its name."""
        return self.employer_name or self.name.removesuffix(COMMITTEE_SUFFIX)


def check_composition(composition: Composition | None) -> None:
    """LDA Art. 10 ¶2: both sides represented; the chair a union member or elected by both."""
    if composition is None:
        raise RuleBroken(
            "mediation.committee_composition", "an enterprise committee needs its make-up", field_name="composition"
        )
    if composition.worker_representatives < 1:
        raise RuleBroken(
            "mediation.committee_workers",
            "workers' representatives are required",
            field_name="composition.worker_representatives",
        )
    if composition.employer_representatives < 1:
        raise RuleBroken(
            "mediation.committee_employer",
            "the enterprise's representatives are required",
            field_name="composition.employer_representatives",
        )
    if composition.chair not in CHAIRS:
        raise RuleBroken("mediation.committee_chair", "not a chair LDA Art. 10 allows", field_name="composition.chair")


def may_apply(committee: Committee, *, employer_uscc: str | None, employer_name: str) -> bool:
    """A committee takes the disputes of its own enterprise only: the same credit code when both
    are known, else the same name."""
    if committee.employer_uscc and employer_uscc:
        return committee.employer_uscc == employer_uscc
    return employer_name.strip() == committee.enterprise_name.strip()


def check_applicant(committee: Committee, *, employer_uscc: str | None, employer_name: str) -> None:
    if not may_apply(committee, employer_uscc=employer_uscc, employer_name=employer_name):
        field = "employer_uscc" if committee.employer_uscc and employer_uscc else "employer_name"
        raise RuleBroken(
            "mediation.committee_other_enterprise",
            "the committee mediates its own enterprise's disputes",
            field_name=field,
        )


def acceptance_due_on(received_on: date, calendar: LegalCalendar) -> date:
    """Last day for the committee to decide on acceptance (3 working days; make-up days count)."""
    return calendar.add_working_days(received_on, ACCEPTANCE_WORKING_DAYS)


RULES_ZH = (
    "由职工代表和企业代表组成：职工代表由工会成员担任或者由全体职工推举产生，企业代表由企业负责人指定（劳动争议调解仲裁法第十条）",
    "主任由工会成员或者双方推举的人员担任（劳动争议调解仲裁法第十条）",
    "只调解本企业发生的劳动争议；当事人也可以选择向街道、乡镇的调解组织申请调解（劳动争议调解仲裁法第十条）",
    "收到调解申请后3个工作日内决定是否受理（人社部令第17号）",
    "自收到调解申请之日起15日内未达成调解协议的，当事人可以依法申请仲裁；双方当事人同意的，可以延长调解期限"
    "（劳动争议调解仲裁法第十四条；人社部令第17号）",
)


def committee_view(committee: Committee, composition: Composition | None) -> dict[str, object]:
    """What the centre's page shows of a committee: its enterprise, make-up and rules."""
    return {
        "employer_name": committee.enterprise_name,
        "employer_uscc": committee.employer_uscc,
        "worker_representatives": composition.worker_representatives if composition else None,
        "employer_representatives": composition.employer_representatives if composition else None,
        "chair": composition.chair if composition else None,
        "rules_zh": list(RULES_ZH),
    }
