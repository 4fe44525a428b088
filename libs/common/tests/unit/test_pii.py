"""PII keys from settings, and the sealed column pair a repository stores."""

from __future__ import annotations

import pytest

from labornet_common.platform.settings import BaseServiceSettings
from labornet_common.security.crypto import DEV_INDEX_KEY, DEV_KEYRING, generate_key
from labornet_common.security.pii import PiiField, cipher_from_settings
from labornet_common.standards import normalise_phone, validate_id_number

SECRET = "a-real-secret-from-the-vault-0123456789"
ID_NUMBER = "11010519491231002X"
ID_FIELD = PiiField(
    name="worker_id_number",
    context="test.worker_id_number",
    index_context="worker.id_number",
    normalise=lambda v: validate_id_number(v).number,
)
PHONE_FIELD = PiiField(
    name="worker_phone", context="test.worker_phone", index_context="worker.phone", normalise=normalise_phone
)


def _settings(**values: str) -> BaseServiceSettings:
    return BaseServiceSettings(service_name="t", **values)


@pytest.mark.parametrize("environment", ["embedded", "development", "test"])
def test_outside_production_unset_keys_fall_back_to_the_demo_keys(environment: str) -> None:
    # (A development deployment needs its own internal secret; the PII demo keys still serve it.)
    cipher = cipher_from_settings(_settings(environment=environment, internal_secret=SECRET))
    sealed = ID_FIELD.seal(cipher, ID_NUMBER)
    assert ID_FIELD.open(cipher, sealed) == ID_NUMBER


def test_production_refuses_missing_keys() -> None:
    with pytest.raises(ValueError, match="PII_KEYRING"):
        cipher_from_settings(_settings(environment="production", internal_secret=SECRET))


def test_production_refuses_the_demo_keys() -> None:
    demo = _settings(
        environment="production",
        internal_secret=SECRET,
        pii_keyring=DEV_KEYRING,
        pii_active_key="dev1",
        pii_index_key=generate_key(),
    )
    with pytest.raises(ValueError, match="demo"):
        cipher_from_settings(demo)
    demo_index = _settings(
        environment="production",
        internal_secret=SECRET,
        pii_keyring=f"k1:{generate_key()}",
        pii_active_key="k1",
        pii_index_key=DEV_INDEX_KEY,
    )
    with pytest.raises(ValueError, match="demo"):
        cipher_from_settings(demo_index)


def test_production_accepts_real_keys() -> None:
    real = _settings(
        environment="production",
        internal_secret=SECRET,
        pii_keyring=f"k1:{generate_key()}",
        pii_active_key="k1",
        pii_index_key=generate_key(),
    )
    cipher = cipher_from_settings(real)
    assert cipher.active_key_id == "k1"


def test_sealed_columns_hold_no_plaintext_and_index_equal_spellings_equally() -> None:
    cipher = cipher_from_settings(_settings(environment="test"))
    sealed = ID_FIELD.seal(cipher, ID_NUMBER)
    assert set(sealed) == {"worker_id_number_enc", "worker_id_number_bidx"}
    assert all(ID_NUMBER not in v and "110105" not in v for v in sealed.values() if v)
    lower_x = ID_FIELD.seal(cipher, "11010519491231002x")
    assert lower_x["worker_id_number_bidx"] == sealed["worker_id_number_bidx"]
    assert lower_x["worker_id_number_enc"] != sealed["worker_id_number_enc"]  # random nonce
    assert ID_FIELD.index_of(cipher, " 11010519491231002x ") == sealed["worker_id_number_bidx"]
    assert PHONE_FIELD.seal(cipher, "+86 138-1234-1234")["worker_phone_bidx"] == PHONE_FIELD.index_of(
        cipher, "13812341234"
    )


def test_empty_values_seal_to_nulls() -> None:
    cipher = cipher_from_settings(_settings(environment="test"))
    for empty in (None, "", "  "):
        assert ID_FIELD.seal(cipher, empty) == {"worker_id_number_enc": None, "worker_id_number_bidx": None}
    assert ID_FIELD.open(cipher, {"worker_id_number_enc": None}) is None


def test_ciphertext_moved_to_another_column_does_not_decrypt() -> None:
    from labornet_common.security.crypto import CryptoError

    cipher = cipher_from_settings(_settings(environment="test"))
    sealed = PHONE_FIELD.seal(cipher, "13812341234")
    with pytest.raises(CryptoError):
        ID_FIELD.open(cipher, {"worker_id_number_enc": sealed["worker_phone_enc"]})
