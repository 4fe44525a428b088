"""Who may read or act on an arbitration application (pure rules over a Principal).

A read outside scope answers like a missing object (404). Court liaison reads in its region
(裁审衔接) and never writes; the commission's clerks (立案) handle receipt and acceptance; the
arbitrators also run the tribunal, hearings and awards.

Reading goes by region; acting goes by organisation as well: staff act only for their own
commission, whose 派出仲裁庭 are its venues and docket its cases (no national article; local
practice), so a city commission's arbitrator reads a county commission's application in the
city's region but cannot docket it (403). Admins act anywhere; a token naming no organisation
may read but not act.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from labornet_common.security.auth import Principal, Role

READ_ROLES = frozenset({Role.clerk, Role.arbitrator, Role.court_liaison, Role.admin})
DOCKET_ROLES = frozenset({Role.clerk, Role.arbitrator, Role.admin})
TRIBUNAL_ROLES = frozenset({Role.arbitrator, Role.admin})


def can_read(principal: Principal, *, case_id: str, divisions: Sequence[str]) -> bool:
    if Role.worker in principal.roles and case_id in principal.case_ids:
        return True
    return principal.has_role(*READ_ROLES) and principal.can_see_case(case_id=case_id, division_codes=divisions)


def can_act(principal: Principal, roles: frozenset[Role], *, divisions: Sequence[str], bodies: Collection[str]) -> bool:
    """``bodies``: the commission holding the application and its dispatched tribunals."""
    in_region = any(principal.in_region(d) for d in divisions)
    return principal.has_role(*roles) and in_region and principal.acts_for(bodies)


def can_manage_roster(principal: Principal, division_code: str) -> bool:
    """Administrators keep the arbitrator roster of the commissions seated in their region (a
    nationwide admin everywhere); everyone else is refused."""
    return principal.has_role(Role.admin) and principal.in_region(division_code)
