"""Mediation's read rule: staff roles of the service, in region or assigned; workers their own."""

from __future__ import annotations

import pytest

from labornet_common.security.auth import Principal, Role
from labornet_mediation.domain import policy


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.worker])
def test_in_region_by_role_out_of_region_only_by_assignment(role: Role) -> None:
    local = Principal(subject="p", roles=frozenset({role}), region_scopes=("4103",))
    remote = Principal(subject="p", roles=frozenset({role}), region_scopes=("350102",))
    reads = role in policy.READ_ROLES
    assert policy.can_read(local, case_id="c", division_code="410311", assigned_to=None) is reads
    assert not policy.can_read(remote, case_id="c", division_code="410311", assigned_to=None)
    assert policy.can_read(remote, case_id="c", division_code="410311", assigned_to="p") is reads


def test_inspectors_have_no_part_in_mediation_files() -> None:
    assert Role.inspector not in policy.READ_ROLES


def test_a_worker_reads_their_own_case_only() -> None:
    worker = Principal(subject="w", roles=frozenset({Role.worker}), case_ids=frozenset({"c"}))
    assert policy.can_read(worker, case_id="c", division_code="410311", assigned_to=None)
    assert not policy.can_read(worker, case_id="d", division_code="410311", assigned_to=None)


def _staff(role: Role, org: str | None, scope: str = "4103", subject: str = "p") -> Principal:
    return Principal(subject=subject, roles=frozenset({role}), region_scopes=(scope,), org_id=org)


@pytest.mark.parametrize("role", [Role.mediator, Role.clerk])
def test_staff_act_for_their_own_centre_only(role: Role) -> None:
    case = {"case_id": "c", "division_code": "410311", "assigned_to": None, "centre_id": "med-410311"}
    assert policy.can_act(_staff(role, "med-410311"), **case)
    street = _staff(role, "med-410311007")  # 科技园街道's centre, in the same region: reads, never acts
    assert policy.can_read(street, case_id="c", division_code="410311", assigned_to=None)
    assert not policy.can_act(street, **case)
    assert not policy.can_act(_staff(role, None), **case)  # a token naming no centre acts for none
    assert not policy.can_act(_staff(role, "med-410311"), **{**case, "centre_id": None})


def test_an_assigned_mediator_of_another_region_and_admins_act() -> None:
    case = {"case_id": "c", "division_code": "410311", "assigned_to": "helper", "centre_id": "med-410311"}
    helper = _staff(Role.mediator, "med-350102", scope="350102", subject="helper")  # joint acceptance
    assert policy.can_act(helper, **case)
    admin = Principal(subject="a", roles=frozenset({Role.admin}), region_scopes=("*",))
    assert policy.can_act(admin, **case)
    assert not policy.can_act(_staff(Role.arbitrator, "med-410311"), **case)  # reads mediation files only


def test_opening_a_case_at_a_centre_is_for_its_own_staff() -> None:
    assert policy.can_act_for_centre(
        _staff(Role.clerk, "med-410311002"), centre_id="med-410311002", division_code="410311002"
    )
    assert not policy.can_act_for_centre(
        _staff(Role.clerk, "med-410311007"), centre_id="med-410311002", division_code="410311002"
    )
    assert not policy.can_act_for_centre(
        _staff(Role.clerk, "med-350102", scope="350102"), centre_id="med-350102", division_code="410311"
    )
