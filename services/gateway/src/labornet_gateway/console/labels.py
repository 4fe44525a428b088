"""Chinese names of the codes the APIs answer with, for the console's pages.

An unknown code is shown as it is: a new status added by a service stays readable.
"""

from __future__ import annotations

from labornet_common.contracts.claims import CATEGORY_NAMES_ZH
from labornet_common.contracts.mediation import NON_MONETARY_NAMES_ZH
from labornet_common.security.auth import Role
from labornet_common.standards.divisions import divisions

CHANNELS = {
    "window": "窗口受理",
    "online": "网上投诉",
    "hotline_12333": "12333热线",
    "police_110": "110警情联动",
    "referral": "转办",
}
# Channels a clerk registers at the window (online filings come from the worker's own device).
CLERK_CHANNELS = ("window", "hotline_12333", "police_110", "referral")

ROUTES = {
    "mediation": "转调解组织调解",
    "arbitration": "转劳动人事争议仲裁委员会",
    "inspection": "转劳动保障监察",
    "redirect": "告知向有关部门反映",
}

# A complaint's status at intake (the case's own progress is the handling body's).
COMPLAINT_STATUSES = {
    "RECEIVED": "已收件",
    "ROUTED": "已分流",
    "FORWARDED": "已请用工所在地受理",
    "REDIRECTED": "已告知向有关部门反映",
    "CLOSED": "已结束",
}

# What the worker asks for (intake routes help_me_choose by its own rules).
REQUESTED_ROUTES = {
    "help_me_choose": "由受理窗口按规则分流",
    "mediation": "申请调解",
    "arbitration": "申请仲裁",
    "inspection": "投诉举报（劳动保障监察）",
}

ROLES = {
    Role.worker: "劳动者",
    Role.clerk: "窗口受理员",
    Role.mediator: "调解员",
    Role.arbitrator: "仲裁员",
    Role.inspector: "劳动保障监察员",
    Role.court_liaison: "法院联络员",
    Role.admin: "系统管理员",
}

MEDIATION_STATUSES = {
    "RECEIVED": "待受理",
    "ACCEPTED": "已受理",
    "DECLINED": "不予受理",
    "MEDIATING": "调解中",
    "AGREED": "达成调解协议",
    "FAILED": "调解不成",
    "PERFORMED": "协议已履行",
    "BREACHED": "协议未履行",
    "COURT": "已申请支付令",
    "WITHDRAWN": "申请人已撤回",
    "TRANSFERRED": "已转仲裁",
    "CLOSED": "已结案",
}
CLOCKS = {
    "ok": "期限内",
    "due_soon": "即将到期",
    "due_today": "今日到期",
    "overdue": "已超期",
    "stopped": "已停止计时",
}
FAILURE_REASONS = {"no_agreement": "双方未能达成协议", "party_refused": "一方当事人拒绝调解"}

ARBITRATION_STATUSES = {
    "SUBMITTED": "待决定受理",
    "NEEDS_CORRECTION": "待补正",
    "ACCEPTED": "已立案",
    "NOT_ACCEPTED": "不予受理",
    "REFERRED": "已移送",
    "TRIBUNAL_FORMED": "仲裁庭已组成",
    "HEARING_SCHEDULED": "已排期开庭",
    "SUSPENDED": "中止审理",
    "AWARDED": "已作出裁决",
    "EFFECTIVE": "裁决已生效",
    "IN_COURT": "已诉至法院",
    "SET_ASIDE": "裁决已被撤销",
    "WITHDRAWN": "已撤回",  # the applicant withdrew
    "DEEMED_WITHDRAWN": "视为撤回",  # LDA Art. 36: the applicant did not appear
}
ARBITRATION_SOURCES = {"intake": "投诉分流", "mediation": "调解转入", "direct": "仲裁委窗口", "referral": "移送而来"}
TRIBUNAL_SEATS = {"sole": "独任仲裁员", "presiding": "首席仲裁员", "member": "仲裁员"}
AWARD_KINDS = {"award": "仲裁裁决书", "mediation": "仲裁调解书"}

CLAIM_CATEGORIES = {code.value: name for code, name in CATEGORY_NAMES_ZH.items()}
# Terms of a mediation agreement that are not payments (LDA Art. 15: their breach goes to arbitration).
NON_MONETARY_ITEMS = dict(NON_MONETARY_NAMES_ZH)
TERM_STATES = {"pending": "待履行", "performed": "已履行", "breached": "未履行"}

# The inspectors' records (劳动保障监察条例 Art. 26; 人社部令第45号 Art. 5).
ORDER_KINDS = {
    "rectification_instruction": "劳动保障监察限期整改指令书",
    "handling_decision": "劳动保障监察行政处理决定书",
}
SERVICE_METHODS = {
    "direct": "直接送达",
    "left_at_premises": "留置送达",
    "mail": "邮寄送达",
    "electronic": "电子送达",
    "posted": "张贴公告（视为送达）",
}
INCIDENT_KINDS = {"mass": "群体性事件", "extreme": "极端事件"}


def label(table: dict, code: object) -> str:
    return table.get(code, str(code) if code is not None else "")


def division_name(code: str | None) -> str:
    if not code:
        return ""
    found = divisions().get(code)
    return found.full_name if found else code


def yuan(amount_fen: int | None) -> str:
    if amount_fen is None:
        return ""
    return f"{amount_fen // 100:,}.{amount_fen % 100:02d} 元"
