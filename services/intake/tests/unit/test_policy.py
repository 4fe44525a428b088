"""Intake's access rules, one by one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from labornet_common.security.auth import Principal, Role
from labornet_intake.domain import policy
from labornet_intake.domain.model import Complaint
from labornet_intake.domain.routing import Decision


def _complaint(division: str = "410311", filed_by: str | None = None) -> Complaint:
    return Complaint.file(
        channel="window" if filed_by else "online",
        workplace_division=division,
        worker_name="张三",
        employer_name="某公司",
        facts="",
        claims=[],
        received_at=datetime(2026, 11, 21, tzinfo=UTC),
        access_code_hash="scrypt$x",
        filed_by=filed_by,
        worker_id_number="11010519491231002X",
        worker_phone="0379-65123456",
    )


def _staff(role: Role, scope: str = "4103", subject: str = "s") -> Principal:
    return Principal(subject=subject, roles=frozenset({role}), region_scopes=(scope,))


@pytest.mark.parametrize("channel", ["window", "hotline_12333", "police_110", "referral"])
def test_clerk_channels_need_a_clerk_of_the_workplace_region(channel: str) -> None:
    assert policy.may_file(_staff(Role.clerk), channel=channel, workplace_division="410311")
    assert not policy.may_file(_staff(Role.clerk, "3710"), channel=channel, workplace_division="410311")
    assert not policy.may_file(_staff(Role.mediator), channel=channel, workplace_division="410311")
    assert not policy.may_file(None, channel=channel, workplace_division="410311")


def test_anyone_may_file_online() -> None:
    assert policy.may_file(None, channel="online", workplace_division="350102")
    assert policy.filer_of(None) is None and policy.filer_of(_staff(Role.mediator)) is None
    assert policy.filer_of(_staff(Role.clerk, subject="c1")) == "c1"


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.worker])
def test_reading_needs_a_reading_role_in_the_region(role: Role) -> None:
    complaint = _complaint()
    assert policy.can_read(_staff(role), complaint) is (role in policy.READ_ROLES)
    assert not policy.can_read(_staff(role, "350102"), complaint)


def test_a_worker_reads_only_their_case() -> None:
    complaint = _complaint()
    own = Principal(subject="w", roles=frozenset({Role.worker}), case_ids=frozenset({complaint.case_id}))
    other = Principal(subject="w2", roles=frozenset({Role.worker}), case_ids=frozenset({"another"}))
    assert policy.can_read(own, complaint) and not policy.can_read(other, complaint)


def test_personal_data_is_masked_except_for_the_worker_and_the_filing_clerk() -> None:
    complaint = _complaint(filed_by="clerk-1")
    worker = Principal(subject="w", roles=frozenset({Role.worker}), case_ids=frozenset({complaint.case_id}))
    for who in (worker, _staff(Role.clerk, subject="clerk-1")):
        seen = policy.as_seen_by(who, complaint)
        assert (seen.worker_id_number, seen.worker_phone) == ("11010519491231002X", "0379-65123456")
    others = (_staff(Role.clerk, subject="clerk-2"), _staff(Role.admin, "*"), _staff(Role.mediator, subject="clerk-1"))
    for who in others:
        seen = policy.as_seen_by(who, complaint)
        assert (seen.worker_id_number, seen.worker_phone) == ("110105********002X", "0379-****3456")


def test_events_carry_no_id_number_or_phone() -> None:
    complaint = _complaint()
    complaint.apply_routing(Decision("mediation", "410311"))
    for event in complaint.pull_events():
        text = event.data.model_dump_json()
        assert "11010519491231002X" not in text and "65123456" not in text


def test_a_clerk_accepts_for_another_region_only_when_asking_for_joint_acceptance() -> None:
    # 一地投诉、区域联动受理: a deliberate act of the accepting clerk, never an accident.
    gulou = _staff(Role.clerk, "350102")
    assert not policy.may_file(gulou, channel="window", workplace_division="410311")
    assert policy.may_file(gulou, channel="window", workplace_division="410311", joint_acceptance=True)
    assert policy.is_joint(gulou, workplace_division="410311", joint_acceptance=True)
    assert not policy.is_joint(gulou, workplace_division="350102001", joint_acceptance=True)
    assert not policy.may_file(
        _staff(Role.mediator, "350102"), channel="window", workplace_division="410311", joint_acceptance=True
    )
    assert policy.filing_region(_staff(Role.clerk, "4103")) == "410300"
    assert policy.filing_region(_staff(Role.mediator, "4103")) is None


def test_both_regions_read_a_case_accepted_for_another() -> None:
    complaint = _complaint()
    complaint.accepted_in_region = "350102"
    assert policy.can_read(_staff(Role.clerk, "350102"), complaint)
    assert policy.can_read(_staff(Role.clerk, "4103"), complaint)
    assert not policy.can_read(_staff(Role.clerk, "3710"), complaint)
