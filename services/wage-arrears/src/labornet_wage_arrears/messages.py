"""User-facing messages of the wage-arrears desk (Chinese first, English second)."""

from labornet_common.messages import register_messages

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
}
register_messages(MESSAGES)
