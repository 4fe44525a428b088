"""What the filer is told: which case the filing is now part of, and how it got there."""

from __future__ import annotations

from typing import Any

from labornet_common.contracts.passport import Passport
from labornet_intake.domain.model import Complaint

_NOTICES = {
    "created": (
        "已受理并登记为新案件，请妥善保存受理编号和查询码",
        "Filed as a new case; keep the tracking number and access code",
    ),
    "linked_duplicate": (
        "您已就同一用人单位、同一请求提出过投诉或申请，本次投诉已并入原案件",
        "You already have a pending complaint or application on these claims against this employer; this "
        "filing was linked to it",
    ),
    "grouped": (
        "已有其他劳动者就同一用人单位的共同请求投诉，您的投诉已并入该案件一并处理",
        "Other workers have an open case against this employer on a common claim; your filing joined it",
    ),
}


def _common(complaint: Complaint, outcome: str, filing_id: str) -> dict[str, Any]:
    zh, en = _NOTICES[outcome]
    return {
        "outcome": outcome,
        "filing_id": filing_id,
        "case_id": complaint.case_id,
        "tracking_number": complaint.tracking_number,
        "status": complaint.status,
        "route": complaint.route,
        "worker_count": complaint.worker_count,
        "collective": complaint.collective,
        "notice_zh": zh,
        "notice_en": en,
    }


def routing(complaint: Complaint) -> dict[str, Any] | None:
    if complaint.route is None:
        return None
    return {
        "route": complaint.route,
        "target_org_id": complaint.target_org_id,
        "target_org_name": complaint.target_org_name,
        "target_division": complaint.target_division,
        "reasons": [r.model_dump() for r in complaint.routing_reasons],
    }


def created(complaint: Complaint, filing_id: str, forward: dict[str, Any] | None) -> dict[str, Any]:
    joint = (
        None
        if forward is None
        else {
            "forward_id": forward["forward_id"],
            "to_region": forward["to_region"],
            "accepting_region": complaint.accepted_in_region,
            "answer_due_on": forward["answer_due_on"].isoformat(),
            "status": complaint.joint_status,
        }
    )
    return {
        **_common(complaint, "created", filing_id),
        "routing": routing(complaint),
        "limitation_warning": complaint.limitation_warning,
        "limitation_reason": complaint.limitation_reason,
        "joint_acceptance": joint,
    }


# What a joined filing's status reads, from where the dispute really is (not intake's routing).
_STATUS_BY_STAGE = {
    "mediation": "IN_MEDIATION",
    "agreed": "MEDIATION_AGREED",
    "breached": "AGREEMENT_BREACHED",
    "mediation_failed": "MEDIATION_FAILED",
    "arbitration": "IN_ARBITRATION",
    "docketed": "DOCKETED",
    "awarded": "AWARDED",
    "court": "IN_COURT",
    "set_aside": "AWARD_SET_ASIDE",
    "inspection": "IN_INSPECTION",
}


def where(dispute: Passport) -> str:
    """Where the dispute is, in a sentence: stage, holder, docket number."""
    view = dispute.current
    holder = f"，承办机构：{view.holder_name or view.holder_id}" if (view.holder_name or view.holder_id) else ""
    number = f"，案号：{dispute.case_number}" if dispute.case_number else ""
    return f"该争议目前{dispute.stage_zh}{holder}{number}"


_CODE_NOTICE = {
    True: (
        "请妥善保存本次发给您的查询码，凭受理编号和查询码查询进度",
        "keep the access code given in this answer: with the tracking number it follows the case",
    ),
    False: ("请使用原查询码查询进度", "follow it with the access code you were given then"),
}


def joined(complaint: Complaint, kind: str, filing_id: str, dispute: Passport, code_given: bool) -> dict[str, Any]:
    outcome = "linked_duplicate" if kind == "duplicate" else "grouped"
    common = _common(complaint, outcome, filing_id)
    code_zh, code_en = _CODE_NOTICE[code_given]
    return {
        **common,
        "status": _STATUS_BY_STAGE.get(dispute.stage, complaint.status),
        "route": dispute.route if dispute.stage not in ("intake", "forwarded", "routed") else complaint.route,
        "worker_count": max(complaint.worker_count, dispute.worker_count),
        "notice_zh": f"{common['notice_zh']}。{where(dispute)}。{code_zh}",
        "notice_en": f"{common['notice_en']}; {code_en}",
        "dispute": dispute.summary(),
        "routing": routing(complaint),
    }
