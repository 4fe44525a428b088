"""Mediation's read rule: staff roles of the service, in region or assigned; workers their own."""

from __future__ import annotations

import pytest

from labornet_common.auth import Principal, Role
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
