"""Who may read which mediation case (pure rules over a Principal).

Out of reach reads as missing (404), for ids and lists alike.
"""

from __future__ import annotations

from labornet_common.auth import Principal, Role

# Station staff work the queue (mediators, clerks); arbitration receives failed mediations;
# court liaison handles judicial confirmation of agreements (Civil Procedure Law Art. 205);
# labor inspection has no part in mediation files.
READ_ROLES = frozenset({Role.mediator, Role.clerk, Role.arbitrator, Role.court_liaison, Role.admin})


def can_read(
    principal: Principal, *, case_id: str, division_code: str, assigned_to: str | None
) -> bool:
    if Role.worker in principal.roles and case_id in principal.case_ids:
        return True
    return principal.has_role(*READ_ROLES) and principal.can_see_case(
        case_id=case_id, division_codes=[division_code], assigned_to=assigned_to
    )

# Who works a case at the centre: its mediators and the station's clerks (admins for support).
ACT_ROLES = frozenset({Role.mediator, Role.clerk, Role.admin})


def can_act(
    principal: Principal, *, case_id: str, division_code: str, assigned_to: str | None
) -> bool:
    return principal.has_role(*ACT_ROLES) and principal.can_see_case(
        case_id=case_id, division_codes=[division_code], assigned_to=assigned_to
    )


def can_see_centre(principal: Principal, division_code: str) -> bool:
    """Centres and their mediators are shown to staff serving the centre's region."""
    return principal.has_role(*READ_ROLES) and principal.in_region(division_code)
