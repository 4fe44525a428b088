"""Intake's own user messages (Chinese first, English second), registered at import."""

from labornet_common.platform.messages import register_messages

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
    "intake.correction_too_late": (
        "补正通知应当场或者在收到投诉之日起五日内一次性告知（办案规则第二十九条），该期限已过",
        "A correction must be asked for on the spot or within 5 days of receipt (Rules Art. 29); that time has passed",
    ),
    "intake.correction_due_past": ("补正期限应晚于今天", "The day to correct by must lie after today"),
    "intake.correction_not_allowed": (
        "只有受理窗口工作人员可以发出补正通知",
        "Only the window's clerks ask for a correction",
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
    "received_at.format": (
        "收件时间格式应为 YYYY-MM-DD，或带时区的时间（如 2026-09-28T10:00:00+08:00）",
        "received_at must be a date (YYYY-MM-DD) or a date-time with its offset",
    ),
    "received_at.offset_required": (
        "收件时间须注明时区（如 +08:00），或只填日期",
        "received_at needs a UTC offset (e.g. +08:00), or give the date alone",
    ),
    "received_at.future": ("收件时间不能晚于录入时间", "received_at must not lie in the future"),
    "received_at.too_old": (
        "收件时间早于录入前30日，请核对年份和日期；确属更早收件的，请由负责人更正登记",
        "received_at lies more than 30 days back: check the year and date; an older receipt is "
        "corrected by a supervisor",
    ),
    "received_at.online": (
        "网上投诉以提交时间为收件时间，不能另行填写",
        "An online filing is received when submitted: received_at cannot be set",
    ),
    "representatives.not_collective": (
        "只有劳动者一方十人以上并有共同请求的集体争议才能推举代表（劳动争议调解仲裁法第七条）",
        "Only a collective dispute (ten or more workers with a common claim, LDA Art. 7) has representatives",
    ),
    "representatives.count": (
        "集体争议应推举三至五名代表",
        "A collective dispute chooses three to five representatives",
    ),
    "representatives.name_required": ("代表姓名不能为空", "A representative needs a name"),
    "representatives.duplicate": ("同一人不能重复推举为代表", "The same person is named twice"),
    "joint.reason_required": ("不予接收须说明理由", "A refusal needs a reason"),
    "joint.already_answered": ("该转办已答复，不能作出不同的答复", "This forwarding was already answered otherwise"),
}

register_messages(MESSAGES)
