"""Intake's documents (文书), drafted from the complaint (pure Python).

A 补正通知书 tells the worker, all at once, every material the complaint still lacks and by when
to supply it; it is given on the spot or within 5 days of receipt (办案规则 Art. 29), and the
complaint counts as received from the day the materials are complete (办案规则 Art. 46(二)).
A 移送函 hands a complaint to the body that should handle it: the commission or court before
which the dispute already stands (监察条例 Art. 21), or the region of the workplace when another
region's window accepted it on that region's behalf (一地投诉、区域联动受理).
"""

from __future__ import annotations

from datetime import date, timedelta

from labornet_common.platform.documents.draft import DocumentDraft, cn_date, numeral
from labornet_common.security.auth import Principal, Role
from labornet_intake.domain.model import Complaint

CORRECTION_KIND, REFERRAL_KIND = "correction_notice", "referral_letter"
TITLES = {CORRECTION_KIND: "补正通知书", REFERRAL_KIND: "移送函"}
# 办案规则 Art. 29: the list of what to correct is given on the spot or within 5 days of receipt.
CORRECTION_NOTICE_DAYS = 5
# Who asks for a correction: the window's clerks (administrators for support).
CORRECTION_ROLES = frozenset({Role.clerk, Role.admin})


def may_request_correction(principal: Principal) -> bool:
    return principal.has_role(*CORRECTION_ROLES)


def last_day_to_request_correction(received_on: date) -> date:
    """办案规则 Art. 29: the fifth day after receipt (calendar days)."""
    return received_on + timedelta(days=CORRECTION_NOTICE_DAYS)


def _parties(complaint: Complaint) -> tuple[str, ...]:
    return (
        f"受理编号：{complaint.tracking_number}",
        f"投诉人（劳动者）：{complaint.worker_name}",
        f"被投诉人（用人单位）：{complaint.employer_name}",
    )


def correction_notice(
    complaint: Complaint, *, received_on: date, missing: tuple[str, ...], due_on: date, issued_on: date, office: str
) -> DocumentDraft:
    """补正通知书: every missing material at once, the day to supply them by, and what follows."""
    items = [f"{numeral(n)}、{what}" for n, what in enumerate(missing, 1)]
    return DocumentDraft(
        CORRECTION_KIND,
        TITLES[CORRECTION_KIND],
        issued_on,
        (
            *_parties(complaint),
            f"{complaint.worker_name}：你于{cn_date(received_on)}提出的劳动争议投诉，材料尚不齐备。"
            "现一次性告知需要补正的全部材料如下：",
            *items,
            f"请于{cn_date(due_on)}前补正上述全部材料。补正齐全的，收到投诉的时间自材料补正之日起计算"
            "（《劳动人事争议仲裁办案规则》第四十六条第（二）项）。",
            "依据《劳动人事争议仲裁办案规则》第二十九条，材料不齐备的，当场或者在五日内一次性告知需要补正的全部材料。",
            office,
            cn_date(issued_on),
        ),
    )


def referral_to_proceedings(complaint: Complaint, *, received_on: date, issued_on: date, office: str) -> DocumentDraft:
    """移送函 for a dispute already before a commission or a court (监察条例 Art. 21)."""
    reason = complaint.routing_reasons[-1].explanation_zh if complaint.routing_reasons else ""
    to = complaint.target_org_name or (
        "劳动人事争议仲裁委员会" if complaint.pending_proceedings == "arbitration" else "人民法院"
    )
    return _referral(
        complaint,
        to=to,
        issued_on=issued_on,
        office=office,
        body=(
            f"{complaint.worker_name}于{cn_date(received_on)}向本窗口投诉与{complaint.employer_name}的劳动争议。"
            f"经查，{reason}。",
            "依据《劳动保障监察条例》第二十一条，对应当通过劳动争议处理程序解决的事项，劳动保障行政部门不予受理，"
            f"现将该投诉及有关材料移送{to}，请依法处理。",
        ),
    )


def referral_to_region(
    complaint: Complaint, *, to_region_name: str, received_on: date, answer_due_on: date, issued_on: date, office: str
) -> DocumentDraft:
    """移送函 asking the workplace's region to take a complaint accepted here on its behalf."""
    to = f"{to_region_name}劳动争议受理窗口"
    return _referral(
        complaint,
        to=to,
        issued_on=issued_on,
        office=office,
        body=(
            f"{complaint.worker_name}于{cn_date(received_on)}向本窗口投诉与{complaint.employer_name}的劳动争议，"
            f"用工所在地属你地区管辖。本窗口按一地投诉、区域联动受理的约定代为接收，现将该投诉及有关材料移送你地区受理。",
            # The answer period is the regional pact's, counted in working days (not a national rule).
            f"请于{cn_date(answer_due_on)}前答复是否接收；不予接收的，请书面说明理由。",
        ),
    )


def _referral(complaint: Complaint, *, to: str, issued_on: date, office: str, body: tuple[str, ...]) -> DocumentDraft:
    return DocumentDraft(
        REFERRAL_KIND,
        TITLES[REFERRAL_KIND],
        issued_on,
        (*_parties(complaint), f"{to}：", *body, office, cn_date(issued_on)),
    )
