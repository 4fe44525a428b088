"""What the filer is told: which case the filing is now part of, and how it got there."""

from __future__ import annotations

from typing import Any

from labornet_intake.domain.model import Complaint

_NOTICES = {
    "created": (
        "已受理并登记为新案件，请妥善保存受理编号和查询码",
        "Filed as a new case; keep the tracking number and access code",
    ),
    "linked_duplicate": (
        "您已就同一用人单位、同一请求提出过投诉，本次投诉已并入原案件，请使用原查询码查询进度",
        "You already have an open complaint on these claims against this employer; this filing was linked "
        "to it: follow it with the access code you were given then",
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
    joint = None if forward is None else {
        "forward_id": forward["forward_id"],
        "to_region": forward["to_region"],
        "accepting_region": complaint.accepted_in_region,
        "answer_due_on": forward["answer_due_on"].isoformat(),
        "status": complaint.joint_status,
    }
    return {
        **_common(complaint, "created", filing_id),
        "routing": routing(complaint),
        "limitation_warning": complaint.limitation_warning,
        "limitation_reason": complaint.limitation_reason,
        "joint_acceptance": joint,
    }


def joined(complaint: Complaint, kind: str, filing_id: str) -> dict[str, Any]:
    outcome = "linked_duplicate" if kind == "duplicate" else "grouped"
    return {**_common(complaint, outcome, filing_id), "routing": routing(complaint)}
