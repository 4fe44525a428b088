"""Intake's own user messages (Chinese first, English second), registered at import."""

from labornet_common.messages import register_messages

MESSAGES: dict[str, tuple[str, str]] = {
    "claim.category": (
        "案由应为劳动争议调解仲裁法第二条规定的类别之一",
        "The claim category must be one of the categories of LDA Art. 2",
    ),
    "claim.period_order": ("请求期间的起始日期不能晚于截止日期", "The period must not start after it ends"),
    "claim.period_future": ("请求期间不能晚于今天", "The period must not lie in the future"),
    "claim.amount_too_large": ("请求金额超出合理范围，请核对（单位：分）", "The amount is implausibly large (in fen)"),
    "date.future": ("日期不能晚于今天", "The date must not lie in the future"),
    "employment.ended_before_period": (
        "劳动关系终止日期早于请求期间的起始日期",
        "Employment ended before the claimed period began",
    ),
    "filing.oral_needs_facts": (
        "口头投诉须由工作人员当场记录事实和请求",
        "An oral complaint needs the facts recorded by the clerk on the spot",
    ),
    "filing.oral_channel": (
        "口头投诉只能在窗口或12333热线由工作人员登记",
        "Oral complaints are recorded by a clerk at the window or on the 12333 hotline",
    ),
    "filing.police_incident_required": (
        "110警情联动须填写警情编号",
        "A police 110 linkage needs the incident number",
    ),
    "filing.referral_source_required": ("转办投诉须写明转办的地区或单位", "A referral must name who referred it"),
    "filing.joint_needs_clerk": (
        "跨区域联动受理须由窗口工作人员登记",
        "Cross-region joint acceptance is registered by a clerk",
    ),
    "filing.collective_needs_claims": (
        "集体争议须写明共同的请求事项",
        "A collective dispute needs its common claims",
    ),
    "joint.reason_required": ("不予接收须说明理由", "A refusal needs a reason"),
    "joint.already_answered": ("该转办已答复，不能作出不同的答复", "This forwarding was already answered otherwise"),
}

register_messages(MESSAGES)
