"""What a worker reads on the status page, in plain Chinese (pure).

Later services' events become one line each; an event type not listed here is not something
a worker needs to read (or is newer than this list) and is skipped, never an error. The hearing,
the award, its service and effect, and what the court did are told by award_view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labornet_intake.domain import award_view, calendar_lines

STATUS_ZH = {
    "RECEIVED": "已受理",
    "ROUTED": "已分派",
    "FORWARDED": "已转请管辖地区受理，等待答复",
    "RETURNED": "管辖地区未接收，已退回受理窗口",
    "REDIRECTED": "已告知到原处理机构办理",
    "CLOSED": "已结束",
}

_LATER_EVENTS: dict[str, str] = {
    # mediation.cases.v1
    "cn.labornet.mediation.case.opened.v1": "调解组织已收到您的案件{centre}，调解期限至{due_on}",
    "cn.labornet.mediation.case.accepted.v1": "调解组织已受理，开始调解",
    "cn.labornet.mediation.case.declined.v1": "调解组织未受理：{reason}。您可以申请劳动仲裁",
    "cn.labornet.mediation.mediator.assigned.v1": "已为您指定调解员{mediator_name}",
    "cn.labornet.mediation.session.scheduled.v1": "调解会面已安排：{starts_at} {place}",
    "cn.labornet.mediation.agreement.reached.v1": "双方已达成调解协议，协议于{effective_on}生效",
    "cn.labornet.mediation.agreement.performed.v1": "调解协议已履行完毕",
    "cn.labornet.mediation.agreement.breached.v1": "用人单位未按调解协议履行，您可以申请仲裁或支付令",
    "cn.labornet.mediation.case.failed.v1": "调解未能达成协议，您可以申请劳动仲裁",
    # LDA Art. 14: both parties agreed to go on mediating past the 15 days
    "cn.labornet.mediation.period.extended.v1": "经双方当事人同意，调解期限延长至{due_on}",
    "cn.labornet.mediation.case.transferred.v1": "案件已转至劳动仲裁：{venue_name}",
    "cn.labornet.mediation.court_request.made.v1": "已向人民法院提出申请（支付令或司法确认）",
    "cn.labornet.mediation.court_result.recorded.v1": "人民法院已作出处理：{outcome}",
    "cn.labornet.mediation.case.closed.v1": "调解程序已结束",
    # arbitration.cases.v1
    "cn.labornet.arbitration.application.received.v1": "仲裁委员会已收到您的仲裁申请",
    "cn.labornet.arbitration.correction.requested.v1": "仲裁委员会请您补正材料，请留意通知",
    "cn.labornet.arbitration.application.accepted.v1": "仲裁委员会已受理您的申请",
    "cn.labornet.arbitration.application.not_accepted.v1": "仲裁委员会决定不予受理，您可以向人民法院起诉",
    "cn.labornet.arbitration.application.referred.v1": "仲裁申请已移送有管辖权的仲裁委员会",
    "cn.labornet.arbitration.tribunal.formed.v1": "仲裁庭已组成",
    "cn.labornet.arbitration.case.closed.v1": "仲裁程序已结束",
    # court.events.v1
    "cn.labornet.court.set_aside_applied.v1": "用人单位已申请撤销仲裁裁决",
    "cn.labornet.court.enforcement_applied.v1": "已申请人民法院强制执行",
    "cn.labornet.court.judicial_confirmation.v1": "人民法院已对调解协议作出司法确认裁定",
    "cn.labornet.court.payment_order.v1": "人民法院已就支付令申请作出处理",
}


_ARBITRATION = "cn.labornet.arbitration."
# A closure's own notice says why it closed and what follows for the limitation period.
_NOTICE_FIRST = frozenset({"cn.labornet.arbitration.case.closed.v1"})


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def describe(event_type: str, data: Mapping[str, Any]) -> str | None:
    """One line for the worker, or None for events the status page does not show."""
    if event_type in calendar_lines.DESCRIBERS:  # a clock moved by a new holiday schedule
        return calendar_lines.DESCRIBERS[event_type](data)
    if event_type in award_view.DESCRIBERS:  # hearing, award, its effect and the court (LDA Arts. 35, 42, 47-51)
        return award_view.DESCRIBERS[event_type](data)
    template = _LATER_EVENTS.get(event_type)
    notice = data.get("notice_zh")
    told = template is None or event_type in _NOTICE_FIRST
    if told and event_type.startswith(_ARBITRATION) and isinstance(notice, str) and notice:
        # Arbitration's notices to the parties (withdrawal and its limitation period, absence,
        # postponement, simplified procedure, 先予执行, partial awards, 公告送达) are written
        # for them in plain Chinese by the commission's service: shown as sent.
        return notice
    if template is None:
        return None
    values = _Blank({k: v for k, v in data.items() if isinstance(v, str | int)})
    if values.get("centre_name"):
        values["centre"] = f"（{values['centre_name']}）"
    if isinstance(values.get("starts_at"), str):
        values["starts_at"] = values["starts_at"][:16].replace("T", " ")
    text = template.format_map(values)
    return text.replace("：。", "。").rstrip("： ")


def source_of(event_type: str) -> str:
    """``cn.labornet.mediation.case.opened.v1`` -> ``mediation``."""
    parts = event_type.split(".")
    return parts[2] if len(parts) > 2 else "unknown"
