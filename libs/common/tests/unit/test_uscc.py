"""GB 32100-2015 unified social credit codes and the embedded GB 11714 organisation code."""

import pytest

from labornet_common.standards import StandardError
from labornet_common.standards.uscc import (
    ALPHABET,
    WEIGHTS,
    is_valid_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_uscc,
)

VECTOR = "91350100M000100Y43"  # domain-rules §6: org check 4, USCC check 3


def reason(value: str) -> str:
    with pytest.raises(StandardError) as caught:
        validate_uscc(value)
    return caught.value.code


def test_vector_is_valid_and_decoded():
    code = validate_uscc(VECTOR)
    assert code.code == VECTOR
    assert code.registration_authority == "9"
    assert code.organisation_category == "1"
    assert code.category == "91"
    assert code.division_code == "350100"
    assert code.org_code == "M000100Y4"


def test_vector_check_characters_by_hand():
    # Org code M000100Y: M=22*3 + 1*5 + Y=34*2 = 139; 139 mod 11 = 7; 11 - 7 = 4.
    assert org_code_check_char("M000100Y") == "4"
    # USCC: 9 + 3 + 27 + 135 + 26 + M=21*20 + 8 + Y=30*30 + 4*28 = 1640; 1640 mod 31 = 28 -> 3.
    assert uscc_check_char("91350100M000100Y4") == "3"


def test_alphabet_and_weights_follow_the_standard():
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)
    assert WEIGHTS == tuple(pow(3, i, 31) for i in range(17))
    assert WEIGHTS[:4] == (1, 3, 9, 27)


@pytest.mark.parametrize(
    ("first8", "check"),
    [
        ("12345678", "8"),  # S = 201, 201 mod 11 = 3, 11 - 3 = 8
        ("00000000", "0"),  # S = 0, 11 - 0 = 11 -> 0
        ("12345671", "0"),  # S = 187, 187 mod 11 = 0 -> 11 -> 0
        ("MJD12345", "X"),  # S = 386, 386 mod 11 = 1, 11 - 1 = 10 -> X (J = 19 in GB 11714)
        ("MA000000", "7"),  # S = 136, 136 mod 11 = 4 -> 7
    ],
)
def test_org_code_check_char(first8, check):
    assert org_code_check_char(first8) == check


@pytest.mark.parametrize(
    ("code", "reason_note"),
    [
        ("91410311MA0000007Q", "S = 1092, 1092 mod 31 = 7, 31 - 7 = 24 -> Q"),
        ("914123111234567100", "S = 713 = 23 * 31 -> (31 - 0) mod 31 = 0"),
        ("52371002MJD12345XG", "org check X is itself weighted as 29"),
    ],
)
def test_hand_checked_codes_are_valid(code, reason_note):
    assert validate_uscc(code).code == code, reason_note
    assert uscc_check_char(code[:17]) == code[17]


def test_input_is_normalised():
    assert validate_uscc(" 91350100m000100y43 ").code == VECTOR
    assert validate_uscc("９１３５０１００Ｍ０００１００Ｙ４３").code == VECTOR


@pytest.mark.parametrize("value", ["91350100M000100Y4", "91350100M000100Y431", ""])
def test_wrong_length(value):
    assert reason(value) == "uscc.length"


@pytest.mark.parametrize(("letter", "position"), [("I", 9), ("O", 9), ("S", 9), ("V", 1), ("Z", 18)])
def test_letters_outside_the_alphabet(letter, position):
    value = VECTOR[: position - 1] + letter + VECTOR[position:]
    with pytest.raises(StandardError) as caught:
        validate_uscc(value)
    assert caught.value.code == "uscc.character"
    assert caught.value.details == {"position": position}


def test_punctuation_is_a_bad_character():
    assert reason("91350100M0001-0Y43") == "uscc.character"


def test_division_code_must_be_digits():
    first17 = "9135A100M000100Y4"
    assert reason(first17 + uscc_check_char(first17)) == "uscc.division_code"


def test_bad_org_code_check_is_reported_before_the_final_check():
    assert reason("91350100M000100Y53") == "uscc.org_check"
    # Even with a matching final character the org code's own check must hold.
    first17 = "91350100M000100Y5"
    assert reason(first17 + uscc_check_char(first17)) == "uscc.org_check"


def test_bad_final_check():
    assert reason("91350100M000100Y44") == "uscc.check_digit"


def test_every_single_change_of_the_first_17_characters_is_caught():
    for position in range(17):
        for char in ALPHABET:
            if char == VECTOR[position]:
                continue
            changed = VECTOR[:position] + char + VECTOR[position + 1 :]
            assert not is_valid_uscc(changed), changed


def test_errors_carry_both_languages():
    with pytest.raises(StandardError) as caught:
        validate_uscc("91350100M000100Y44")
    assert caught.value.message_zh == "统一社会信用代码校验位错误，请核对代码"
    assert "check character" in caught.value.message_en


def test_non_text_is_refused():
    assert not is_valid_uscc(None)  # type: ignore[arg-type]
