"""Who may see and work alerts, profiles and referral packages (pure rules over a Principal).

The wage-arrears desk is labor inspection's (劳动保障监察条例 Art. 13: the county or city
labor administration of the workplace); admins see everything. A region outside the caller's
scope reads as missing (404), for ids and lists alike.
"""

from __future__ import annotations

from labornet_common.security.auth import Principal, Role

DESK_ROLES = frozenset({Role.inspector, Role.admin})


def can_work(principal: Principal, *, region_code: str) -> bool:
    return principal.has_role(*DESK_ROLES) and principal.in_region(region_code)


def can_work_alert(principal: Principal, *, region_code: str, dispatched_region: str | None) -> bool:
    """An alert dispatched to another region is that region's to work too (一地投诉、区域联动):
    its inspectors see it, its referral package, and may resolve or close it."""
    return can_work(principal, region_code=region_code) or (
        dispatched_region is not None and can_work(principal, region_code=dispatched_region)
    )
