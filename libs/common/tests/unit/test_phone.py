"""Mainland mobile and fixed-line numbers."""

import pytest

from labornet_common.standards import StandardError, is_mobile, normalise_phone


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812341234", "13812341234"),
        ("138 1234 1234", "13812341234"),
        ("138-1234-1234", "13812341234"),
        ("+86 138 1234 1234", "13812341234"),
        ("+8613812341234", "13812341234"),
        ("8613812341234", "13812341234"),
        ("0086 13812341234", "13812341234"),
        ("１９９１２３４５６７８", "19912345678"),  # full-width digits from a Chinese IME
    ],
)
def test_mobile_numbers(value, expected):
    assert normalise_phone(value) == expected
    assert is_mobile(normalise_phone(value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0379-65123456", "0379-65123456"),  # 洛阳
        ("(0379)65123456", "0379-65123456"),
        ("（0631）5212345", "0631-5212345"),  # 威海, 7-digit subscriber, full-width brackets
        ("0591 8765 4321", "0591-87654321"),  # 福州
        ("010-62345678", "010-62345678"),  # Beijing: 3-digit area code
        ("02087654321", "020-87654321"),  # Guangzhou: 3-digit area code
        ("+86 379 6512 3456", "0379-65123456"),  # international form drops the trunk 0
        ("+86 10 6234 5678", "010-62345678"),
    ],
)
def test_fixed_lines(value, expected):
    assert normalise_phone(value) == expected
    assert not is_mobile(normalise_phone(value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0379-65123456-801", "0379-65123456-801"),
        ("0379-65123456 转 801", "0379-65123456-801"),
        ("0379-65123456转801", "0379-65123456-801"),
        ("010-62345678 ext. 12", "010-62345678-12"),
        ("010-62345678x12", "010-62345678-12"),
        ("0379-65123456#6", "0379-65123456-6"),
        ("0379-65123456 分机 2201", "0379-65123456-2201"),
    ],
)
def test_extensions(value, expected):
    assert normalise_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "12812341234",  # 12x is not a mobile prefix
        "1381234123",  # 10 digits
        "138123412345",  # 12 digits
        "13812341234-801",  # mobiles have no extensions
        "0379-05123456",  # subscriber numbers never start with 0
        "0379-15123456",  # ... or 1
        "0379-651234",  # 6-digit subscriber
        "0379-651234567",  # 9-digit subscriber
        "011-62345678",  # 01x other than 010 is not an area code
        "62345678",  # fixed line without area code
        "+1 202 555 0100",
        "phone",
        "0379-65123456-1234567",  # extension too long
    ],
)
def test_invalid_numbers(value):
    with pytest.raises(StandardError) as caught:
        normalise_phone(value)
    assert caught.value.code == "phone.invalid"
    assert caught.value.message_zh.startswith("电话号码格式不正确")


def test_non_text_is_refused():
    with pytest.raises(StandardError):
        normalise_phone(13812341234)  # type: ignore[arg-type]
