"""Dates on the worker's status page, written the way a notice would write them."""

from __future__ import annotations

from datetime import datetime

from labornet_common.platform.clock import CHINA


def chinese_date(value: object, *, with_time: bool = False) -> str:
    """``2026-10-09T02:30:00+00:00`` -> ``2026年10月9日`` (``10:30`` added with_time), in Beijing time."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA)
    text = f"{moment.year}年{moment.month}月{moment.day}日"
    return f"{text} {moment:%H:%M}" if with_time else text
