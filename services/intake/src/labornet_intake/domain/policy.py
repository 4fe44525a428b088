"""Who may file, read and see in full which complaint (pure rules over a Principal).

Reads outside a caller's reach are answered exactly like a missing complaint (404), so an
id or a list never reveals that another region's case exists.
"""

from __future__ import annotations

from dataclasses import replace

from labornet_common.security.auth import Principal, Role
from labornet_common.standards import mask_id_number, mask_phone, redact_pii
from labornet_intake.domain.model import Complaint

# Staff who work complaints: the window, mediation and arbitration (routing and transfers),
# labor inspection (wage-arrears referrals) and administrators. Court liaison works from
# arbitration and court events, not from intake files.
READ_ROLES = frozenset({Role.clerk, Role.mediator, Role.arbitrator, Role.inspector, Role.admin})
# Anyone may complain online (一窗受理 includes the online window); the other channels are a
# clerk registering a complaint made in person, by 12333, by 110 or by referral.
OPEN_CHANNELS = frozenset({"online"})


def may_file(
    principal: Principal | None, *, channel: str, workplace_division: str, joint_acceptance: bool = False
) -> bool:
    """Online: anyone. Other channels: a clerk of the workplace's region, or, when the clerk
    says so, a clerk of another region accepting it on that region's behalf (一地投诉、区域联动)."""
    if channel in OPEN_CHANNELS:
        return True
    if principal is None or not principal.has_role(Role.clerk):
        return False
    if principal.in_region(workplace_division):
        return True
    return joint_acceptance and filing_region(principal) is not None


def is_joint(principal: Principal | None, *, workplace_division: str, joint_acceptance: bool) -> bool:
    """Accepted here for another region: the clerk asked, and the workplace is outside their scope."""
    return joint_acceptance and principal is not None and not principal.in_region(workplace_division)


def filing_region(principal: Principal | None) -> str | None:
    """The clerk's own region as a 6-digit code ('4103' -> '410300'), where a case is accepted."""
    if principal is None or not principal.has_role(Role.clerk):
        return None
    scope = next((s for s in principal.region_scopes if s.isdigit()), None)
    return None if scope is None else scope[:6].ljust(6, "0")


def filer_of(principal: Principal | None) -> str | None:
    """Recorded so the registering clerk keeps full view of what they typed in."""
    if principal is not None and principal.has_role(Role.clerk):
        return principal.subject
    return None


def is_own_case(principal: Principal, complaint: Complaint) -> bool:
    return Role.worker in principal.roles and complaint.case_id in principal.case_ids


def can_read(principal: Principal, complaint: Complaint) -> bool:
    if is_own_case(principal, complaint):
        return True
    return principal.has_role(*READ_ROLES) and principal.can_see_case(
        case_id=complaint.case_id, division_codes=complaint.divisions
    )


def sees_personal_data(principal: Principal, complaint: Complaint) -> bool:
    """ID number and phone in full only for the worker and the clerk who registered them
    (PIPL Art. 28/51: sensitive data shown only where the task needs it)."""
    if is_own_case(principal, complaint):
        return True
    return complaint.filed_by is not None and principal.subject == complaint.filed_by and principal.has_role(Role.clerk)


# Staff who record a collective dispute's representatives as its workers choose them (LDA Art. 7).
REPRESENTATIVE_ROLES = frozenset({Role.clerk, Role.mediator, Role.arbitrator, Role.admin})


def may_record_representatives(principal: Principal) -> bool:
    return principal.has_role(*REPRESENTATIVE_ROLES)


def as_seen_by(principal: Principal, complaint: Complaint) -> Complaint:
    """The complaint with ID number and phone masked unless this caller may see them.
    Representatives' ID numbers and phones are always masked: no read needs them in full."""
    complaint = replace(complaint, representatives=[r.masked() for r in complaint.representatives])
    if sees_personal_data(principal, complaint):
        return complaint
    return replace(
        complaint,
        worker_id_number=mask_id_number(complaint.worker_id_number) if complaint.worker_id_number else None,
        worker_phone=mask_phone(complaint.worker_phone) if complaint.worker_phone else None,
        facts=redact_pii(complaint.facts),
    )
