"""GB 11643-1999 citizen identity numbers, with the standard's own test vector."""

from datetime import date

import pytest

from labornet_common.standards import StandardError, id_check_char, is_valid_id_number
from labornet_common.standards.id_number import age_on, validate_id_number

TODAY = date(2026, 5, 1)
VECTOR = "11010519491231002X"  # GB 11643-1999 example: Beijing 朝阳区, born 1949-12-31, female


def reason(value: str) -> str:
    with pytest.raises(StandardError) as caught:
        validate_id_number(value, today=TODAY)
    return caught.value.code


def test_standard_vector_is_valid_and_decoded():
    person = validate_id_number(VECTOR, today=TODAY)
    assert person.number == VECTOR
    assert person.division_code == "110105"
    assert person.birth_date == date(1949, 12, 31)
    assert person.sex == "F"  # sequence 002 is even


def test_check_char_of_vector_prefix_is_x():
    # S = 1*7+1*9+0+1*5+0+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0+0+2*2 = 167; 167 mod 11 = 2 -> X
    assert id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [
        # S = 145, 145 mod 11 = 2 -> X; sequence 001 odd -> male
        ("41031119900101001X", date(1990, 1, 1), "M"),
        # S = 197, 197 mod 11 = 10 -> 2; a 29 February birth date
        ("371002200002290042", date(2000, 2, 29), "F"),
        # S = 165, 165 mod 11 = 0 -> 1
        ("110105194912310011", date(1949, 12, 31), "M"),
    ],
)
def test_hand_computed_vectors(number, birth, sex):
    person = validate_id_number(number, today=TODAY)
    assert (person.birth_date, person.sex) == (birth, sex)


def test_input_is_normalised():
    assert validate_id_number(" 110105 19491231 002x ", today=TODAY).number == VECTOR
    full_width = "１１０１０５１９４９１２３１００２Ｘ"
    assert validate_id_number(full_width, today=TODAY).number == VECTOR


@pytest.mark.parametrize("value", ["11010519491231002", "11010519491231002X1", "110105491231002", ""])
def test_wrong_length(value):
    assert reason(value) == "id_number.length"


@pytest.mark.parametrize("value", ["1101051949123100XX", "11010519491231A02X", "11010519491231002Y"])
def test_wrong_characters(value):
    assert reason(value) == "id_number.characters"


def test_non_text_is_refused():
    with pytest.raises(StandardError) as caught:
        validate_id_number(11010519491231002, today=TODAY)  # type: ignore[arg-type]
    assert caught.value.code == "id_number.characters"


@pytest.mark.parametrize("birth", ["19490231", "19491301", "20010229", "19490000"])
def test_impossible_birth_date(birth):
    prefix = "110105" + birth + "002"
    assert reason(prefix + id_check_char(prefix)) == "id_number.birth_date"


@pytest.mark.parametrize("birth", ["18991231", "20260502", "20300101"])
def test_birth_date_before_1900_or_after_today(birth):
    prefix = "110105" + birth + "002"
    assert reason(prefix + id_check_char(prefix)) == "id_number.birth_date_range"


def test_birth_date_of_today_is_accepted():
    prefix = "110105" + TODAY.strftime("%Y%m%d") + "002"
    assert validate_id_number(prefix + id_check_char(prefix), today=TODAY).birth_date == TODAY


def test_wrong_check_digit():
    assert reason("110105194912310021") == "id_number.check_digit"
    assert reason("11010519491231003X") == "id_number.check_digit"


def test_every_single_digit_change_is_caught():
    # MOD 11-2 weights are all non-zero mod 11, so any one-digit change alters S mod 11.
    for position in range(17):
        for digit in "0123456789":
            if digit == VECTOR[position]:
                continue
            changed = VECTOR[:position] + digit + VECTOR[position + 1 :]
            code = reason(changed)
            if not 6 <= position < 14:  # outside the birth date the only fault is the checksum
                assert code == "id_number.check_digit", changed


def test_errors_carry_both_languages():
    with pytest.raises(StandardError) as caught:
        validate_id_number("110105194912310021", today=TODAY)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.message_zh == "身份证号码校验位错误，请核对号码"
    assert "check digit" in error.message_en
    assert "110105194912310021" not in str(error)  # no personal data in messages


def test_is_valid_id_number():
    assert is_valid_id_number(VECTOR, today=TODAY)
    assert not is_valid_id_number("110105194912310021", today=TODAY)


def test_repr_is_masked():
    assert repr(validate_id_number(VECTOR, today=TODAY)) == "IdNumber(110105********002X)"


def test_age_on_counts_completed_years():
    assert age_on(VECTOR, date(2025, 12, 30)) == 75
    assert age_on(VECTOR, date(2025, 12, 31)) == 76
    assert age_on(validate_id_number(VECTOR, today=TODAY), date(1949, 12, 31)) == 0


def test_age_on_29_february_birthday_is_reached_on_1_march():
    leapling = validate_id_number("371002200002290042", today=TODAY)
    assert age_on(leapling, date(2018, 2, 28)) == 17
    assert age_on(leapling, date(2018, 3, 1)) == 18
    assert age_on(leapling, date(2016, 2, 29)) == 16


def test_age_on_before_birth_is_an_error():
    with pytest.raises(ValueError):
        age_on(VECTOR, date(1949, 12, 30))
