"""Duplicate or grouped: who is the worker, who is the employer, what do the claims share."""

from __future__ import annotations

from datetime import UTC, datetime

from labornet_intake.domain.matching import OpenCase, employer_key, is_collective, match

T0, T1 = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)
WAGES = frozenset({"labor_remuneration"})


def _case(case_id: str, workers: set[str], categories: set[str], at: datetime = T0) -> OpenCase:
    return OpenCase(case_id, at, frozenset(workers), frozenset(categories))


def test_the_employer_is_its_credit_code_else_its_normalised_name_in_its_county() -> None:
    assert employer_key(name="甲公司", uscc="91350100M000100Y43", county="410311") == "uscc:91350100M000100Y43"
    assert employer_key(name="（洛阳） 某公司", uscc=None, county="410311007") == employer_key(
        name="(洛阳)某公司", uscc=None, county="410311"
    )
    in_luolong = employer_key(name="某公司", uscc=None, county="410311")
    assert in_luolong != employer_key(name="某公司", uscc=None, county="410307")


def test_the_same_worker_with_nothing_new_is_a_duplicate_of_the_oldest_case() -> None:
    cases = [_case("later", {"w1"}, WAGES, T1), _case("first", {"w1"}, WAGES | {"damages"}, T0)]
    found = match(worker_key="w1", categories=WAGES, open_cases=cases)
    assert found is not None and (found.case_id, found.kind) == ("first", "duplicate")


def test_the_same_worker_with_a_new_claim_is_not_a_duplicate() -> None:
    assert match(worker_key="w1", categories=frozenset({"dismissal"}), open_cases=[_case("c", {"w1"}, WAGES)]) is None


def test_another_worker_with_a_common_claim_is_grouped() -> None:
    found = match(worker_key="w2", categories=WAGES | {"damages"}, open_cases=[_case("c", {"w1"}, WAGES)])
    assert found is not None and (found.case_id, found.kind) == ("c", "grouped")
    assert match(worker_key="w2", categories=frozenset({"dismissal"}), open_cases=[_case("c", {"w1"}, WAGES)]) is None


def test_an_unidentified_worker_is_never_matched() -> None:
    assert match(worker_key=None, categories=WAGES, open_cases=[_case("c", {"w1"}, WAGES)]) is None


def test_ten_workers_with_a_common_claim_are_collective() -> None:
    # LDA Art. 7: ten or more workers with a common claim.
    assert is_collective(10, WAGES) and not is_collective(9, WAGES) and not is_collective(10, frozenset())
