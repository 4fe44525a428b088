import pytest

from labornet_common.reference.organisations import DirectoryError, OrganisationDirectory, organisation_directory
from labornet_common.standards import division_registry


@pytest.fixture(scope="module")
def directory() -> OrganisationDirectory:
    return organisation_directory()


def test_a_street_with_its_own_centre_is_served_by_it(directory):
    centre = directory.centre_serving("410311007")
    assert centre is not None and centre.id == "med-410311007"
    assert directory.tribunal_of_centre(centre.id).commission_id == "arb-4103"


def test_a_street_without_a_centre_falls_back_to_its_county(directory):
    assert directory.centre_serving("410311005").id == "med-410311"
    assert directory.centre_serving("410311005000").id == "med-410311"  # 12-digit statistical form


def test_unknown_region_has_no_centre(directory):
    assert directory.centre_serving("110101001") is None
    assert directory.centre_serving("not-a-code") is None


def test_commissions_serve_several_counties(directory):
    # LDA Art. 17: commissions are not set up one per division.
    assert [c.id for c in directory.commissions_serving("410305001")] == ["arb-4103"]
    assert [c.id for c in directory.commissions_serving("410308")] == ["arb-410307"]
    assert directory.commissions_serving("110101") == []


def test_every_code_in_the_register_is_a_real_division(directory):
    registry = division_registry()
    codes = [a for c in directory.commissions.values() for a in c.service_areas]
    codes += [code for c in directory.centres.values() for code in c.serves]
    codes += [t.division_code for t in directory.tribunals.values()]
    assert codes and all(registry.exists(code) for code in codes)


def test_broken_references_are_refused():
    with pytest.raises(DirectoryError):
        OrganisationDirectory(
            {"tribunals": [{"id": "t", "name": "x", "commission_id": "nope", "division_code": "410311"}]}
        )


def test_a_commission_acts_through_its_dispatched_tribunals(directory):
    # 派出仲裁庭: venues of their commission, which dockets their cases (local practice)
    assert directory.bodies_of_commission("arb-4103") == ("arb-4103", "trib-410311-007", "trib-410371")
    assert directory.bodies_of_commission("arb-410307") == ("arb-410307",)
