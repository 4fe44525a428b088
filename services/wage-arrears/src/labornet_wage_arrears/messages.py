"""User-facing messages of the wage-arrears desk (Chinese first, English second)."""

from labornet_common.platform.messages import register_messages

MESSAGES: dict[str, tuple[str, str]] = {
    "wage_arrears.transition_refused": (
        "预警当前状态不允许该操作",
        "The alert's current state does not allow this action",
    ),
    "wage_arrears.region_required": (
        "转派其他地区时须填写该地区的行政区划代码",
        "Dispatching to another region needs that region's division code",
    ),
    "wage_arrears.division_unknown": ("行政区划代码不存在", "Unknown division code"),
    "wage_arrears.date_in_future": ("日期不能晚于今天", "The date cannot be later than today"),
    "wage_arrears.case_unknown": (
        "本地区预警台账中没有该案件（请核对案件编号，或待案件信息同步后再试）",
        "No such case in this region's records (check the case id, or retry once the case has synced)",
    ),
    "wage_arrears.order_exists": (
        "该文书编号已登记，且内容不同；更正请由原发文机关另行出具文书",
        "This document number is already recorded with other content; a correction needs a new document",
    ),
    "wage_arrears.already_served": (
        "该文书已登记送达，送达日期或方式不能更改",
        "This order is already recorded as served; its service date and method cannot change",
    ),
    "wage_arrears.due_before_issue": ("支付期限早于文书签发日期", "The time limit ends before the order was issued"),
    "wage_arrears.served_before_issue": ("送达日期早于文书签发日期", "Served before the order was issued"),
    "wage_arrears.paid_before_issue": ("支付日期早于文书签发日期", "Paid before the order was issued"),
    "wage_arrears.paid_total_decreases": (
        "累计已付金额不能少于已登记的金额",
        "The total paid cannot be less than the total already recorded",
    ),
}
register_messages(MESSAGES)
