"""Who may read which mediation case (pure rules over a Principal).

Out of reach reads as missing (404), for ids and lists alike. Reading goes by region; acting
goes by organisation too: mediators and clerks act for their own centre.
"""

from __future__ import annotations

from labornet_common.security.auth import Principal, Role

# Station staff work the queue (mediators, clerks); arbitration receives failed mediations;
# court liaison handles judicial confirmation of agreements (Civil Procedure Law Art. 205);
# labor inspection has no part in mediation files.
READ_ROLES = frozenset({Role.mediator, Role.clerk, Role.arbitrator, Role.court_liaison, Role.admin})


def can_read(principal: Principal, *, case_id: str, division_code: str, assigned_to: str | None) -> bool:
    if Role.worker in principal.roles and case_id in principal.case_ids:
        return True
    return principal.has_role(*READ_ROLES) and principal.can_see_case(
        case_id=case_id, division_codes=[division_code], assigned_to=assigned_to
    )


# Who works a case at the centre: its mediators and the station's clerks (admins for support).
ACT_ROLES = frozenset({Role.mediator, Role.clerk, Role.admin})


def can_act(
    principal: Principal, *, case_id: str, division_code: str, assigned_to: str | None, centre_id: str | None
) -> bool:
    """Staff act for their own centre (Principal.org_id), not for every centre of their region;
    a mediator to whom the case was assigned (cross-region joint acceptance) works it too;
    admins act anywhere. Others who may read it get 403."""
    if not principal.has_role(*ACT_ROLES):
        return False
    if assigned_to is not None and assigned_to == principal.subject:
        return True
    in_scope = principal.can_see_case(case_id=case_id, division_codes=[division_code])
    return in_scope and principal.acts_for([centre_id] if centre_id else [])


def can_act_for_centre(principal: Principal, *, centre_id: str, division_code: str) -> bool:
    """Opening a case at a centre (an application made there, LDA Art. 12): its own staff."""
    return principal.has_role(*ACT_ROLES) and principal.in_region(division_code) and principal.acts_for([centre_id])


def can_see_centre(principal: Principal, division_code: str) -> bool:
    """Centres and their mediators are shown to staff serving the centre's region."""
    return principal.has_role(*READ_ROLES) and principal.in_region(division_code)


def can_manage_roster(principal: Principal, division_code: str) -> bool:
    """Administrators keep the register and the rosters of their own region (a nationwide admin
    everywhere); everyone else is refused."""
    return principal.has_role(Role.admin) and principal.in_region(division_code)
