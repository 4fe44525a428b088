"""Where a case is mediated and where a failed one goes: the centre's 派出庭 when it has one,
else the commission with jurisdiction over the workplace or the employer (LDA Art. 21)."""

from __future__ import annotations

import pytest

from labornet_common.reference import organisation_directory
from labornet_mediation.domain.routing import resolve_centre, transfer_destination

DIRECTORY = organisation_directory()


def test_intakes_named_centre_wins_and_an_unknown_one_falls_back_to_the_workplace() -> None:
    named = resolve_centre(DIRECTORY, target_org_id="med-410311002", divisions=["410311007"])
    assert named is not None and named.id == "med-410311002"
    fallback = resolve_centre(DIRECTORY, target_org_id="med-nowhere", divisions=["410311007"])
    assert fallback is not None and fallback.id == "med-410311007"
    county = resolve_centre(DIRECTORY, target_org_id=None, divisions=["410311"])
    assert county is not None and county.id == "med-410311"
    assert resolve_centre(DIRECTORY, target_org_id=None, divisions=["110105"]) is None


@pytest.mark.parametrize(
    ("centre", "commission", "tribunal"),
    [
        ("med-410311007", "arb-4103", "trib-410311-007"),  # 科技园街道 → its 派出庭
        ("med-park-410371", "arb-4103", "trib-410371"),  # 洛阳高新区 park → its 派出庭
        ("med-350102001", "arb-350102", "trib-350102-001"),  # 鼓东街道 → its 派出庭
        ("med-park-371071", "arb-3710", "trib-371071"),
    ],
)
def test_a_centre_with_a_dispatched_tribunal_transfers_to_it(centre: str, commission: str, tribunal: str) -> None:
    to = transfer_destination(DIRECTORY, centre_id=centre, workplace_division="", employer_division=None)
    assert to is not None and (to.commission_id, to.tribunal_id) == (commission, tribunal)
    assert to.venue_name.endswith("派出仲裁庭")


@pytest.mark.parametrize(
    ("centre", "workplace", "commission"),
    [
        ("med-410311002", "410311002", "arb-4103"),  # 开元路街道: no 派出庭 → 洛阳市仲裁委
        ("med-410307", "410307", "arb-410307"),  # 偃师区 has its own commission
        ("med-371003", "371003", "arb-371003"),
        ("med-350102002", "350102002", "arb-350102"),
        (None, "410308", "arb-410307"),  # 孟津区 is served by 偃师's commission (LDA Art. 17)
    ],
)
def test_otherwise_the_commission_serving_the_workplace(centre: str | None, workplace: str, commission: str) -> None:
    to = transfer_destination(DIRECTORY, centre_id=centre, workplace_division=workplace, employer_division=None)
    assert to is not None and (to.commission_id, to.tribunal_id) == (commission, None)
    assert to.venue_name == DIRECTORY.name_of(commission)


def test_the_employers_seat_when_the_workplace_has_no_commission() -> None:
    to = transfer_destination(DIRECTORY, centre_id=None, workplace_division="110105", employer_division="371082")
    assert to is not None and to.commission_id == "arb-371082"
    assert transfer_destination(DIRECTORY, centre_id=None, workplace_division="110105", employer_division=None) is None
