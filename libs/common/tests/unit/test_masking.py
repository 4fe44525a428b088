"""Masking for display and PII redaction for log lines."""

import pytest

from labornet_common.standards import StandardError, mask_id_number, mask_phone, redact_pii


def test_mask_id_number_keeps_first_6_and_last_4():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("11010519491231002x") == "110105********002X"


@pytest.mark.parametrize(
    ("value", "code"),
    [("1101051949123100", "id_number.length"), ("1101051949123100AX", "id_number.characters")],
)
def test_mask_id_number_refuses_non_ids(value, code):
    with pytest.raises(StandardError) as caught:
        mask_id_number(value)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812341234", "138****1234"),
        ("+86 138 1234 5678", "138****5678"),
        ("0379-65123456", "0379-****3456"),
        ("0631-5212345", "0631-***2345"),
        ("0379-65123456-801", "0379-****3456-801"),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


def test_mask_phone_refuses_garbage():
    with pytest.raises(StandardError):
        mask_phone("12345")


def test_redact_masks_ids_and_mobiles_in_text():
    line = "申请人张三，身份证号11010519491231002X，手机13812341234，备用18612345678。"
    assert redact_pii(line) == ("申请人张三，身份证号110105********002X，手机138****1234，备用186****5678。")


def test_redact_masks_ids_whose_check_digit_is_wrong():
    # A mistyped ID number is still personal data.
    assert redact_pii("id=110105194912310021") == "id=110105********0021"


def test_redact_masks_formatted_and_prefixed_mobiles():
    assert redact_pii("call +86 138-1234-1234 now") == "call +86 138****1234 now"
    assert redact_pii("tel:8613812341234;") == "tel:86138****1234;"
    assert redact_pii('{"phone": "138 1234 1234"}') == '{"phone": "138****1234"}'


@pytest.mark.parametrize(
    "text",
    [
        "amount=1381234123456 fen",  # 13 digits: the 11-digit stretch is inside a longer run
        "order 213812341234",  # a digit before the stretch
        "total 13812341234.50 yuan",  # an amount with decimals
        "ref 0.13812341234",  # a decimal fraction
        "ts=20250101123456789",  # a long timestamp with a date-like stretch
        "account 6222021234567890123",  # a 19-digit bank-card-like run
        "code 12812341234",  # not a mobile prefix
        "born 19491231",  # a bare date
    ],
)
def test_redact_leaves_other_numbers_alone(text):
    assert redact_pii(text) == text


def test_redact_does_not_take_an_id_shape_with_an_impossible_date():
    assert redact_pii("no 110105194913310021") == "no 110105194913310021"


def test_redact_masks_several_values_and_keeps_the_rest():
    text = "a 11010519491231002X b 41031119900101001X c 13912345678 d 42"
    assert redact_pii(text) == "a 110105********002X b 410311********001X c 139****5678 d 42"
