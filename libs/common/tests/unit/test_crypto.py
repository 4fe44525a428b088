"""PII field encryption and blind indexes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from labornet_common.security.crypto import (
    DEV_ACTIVE_KEY_ID,
    DEV_INDEX_KEY,
    DEV_KEYRING,
    CryptoError,
    PiiCipher,
    generate_key,
    is_dev_key,
)

ID_NUMBER = "11010519491231002X"
CONTEXT = "intake.worker.id_number"
K1, K2, INDEX = os.urandom(32), os.urandom(32), os.urandom(32)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def cipher() -> PiiCipher:
    return PiiCipher(keys={"k1": K1}, active_key_id="k1", index_key=INDEX)


@pytest.fixture
def rotated() -> PiiCipher:
    return PiiCipher(keys={"k1": K1, "k2": K2}, active_key_id="k2", index_key=INDEX)


# --- encryption -------------------------------------------------------------------------
def test_round_trip_keeps_unicode(cipher: PiiCipher) -> None:
    for value in (ID_NUMBER, "13800138000", "张三 · 福州鼓楼", ""):
        assert cipher.decrypt(cipher.encrypt(value, context=CONTEXT), context=CONTEXT) == value


def test_format_is_compact_ascii_naming_the_key(cipher: PiiCipher) -> None:
    token = cipher.encrypt(ID_NUMBER, context=CONTEXT)
    version, key_id, body = token.split(".")
    assert (version, key_id) == ("v1", "k1")
    assert token.isascii() and "=" not in body
    # nonce (12) + ciphertext (same length as the plaintext) + tag (16)
    assert len(b64url_decode(body)) == 12 + len(ID_NUMBER) + 16
    assert ID_NUMBER not in token


def test_output_is_standard_aes_gcm_with_header_and_context_as_aad(cipher: PiiCipher) -> None:
    # Decrypt independently with the primitive, to pin the documented format.
    token = cipher.encrypt(ID_NUMBER, context=CONTEXT)
    blob = b64url_decode(token.split(".")[2])
    aad = b"v1.k1\x00" + CONTEXT.encode()
    assert AESGCM(K1).decrypt(blob[:12], blob[12:], aad) == ID_NUMBER.encode()


def test_each_encryption_uses_a_fresh_nonce(cipher: PiiCipher) -> None:
    tokens = {cipher.encrypt(ID_NUMBER, context=CONTEXT) for _ in range(50)}
    assert len(tokens) == 50
    assert len({b64url_decode(t.split(".")[2])[:12] for t in tokens}) == 50


@pytest.mark.parametrize("position", [0, 5, 11, 12, 20, -17, -1])
def test_flipping_any_byte_is_detected(cipher: PiiCipher, position: int) -> None:
    token = cipher.encrypt(ID_NUMBER, context=CONTEXT)
    header, body = token.rsplit(".", 1)
    blob = bytearray(b64url_decode(body))
    blob[position] ^= 0x01
    with pytest.raises(CryptoError) as caught:
        cipher.decrypt(f"{header}.{b64url_encode(bytes(blob))}", context=CONTEXT)
    assert caught.value.code == "crypto.decrypt_failed"


def test_editing_any_character_of_the_text_is_detected(cipher: PiiCipher) -> None:
    token = cipher.encrypt(ID_NUMBER, context=CONTEXT)
    prefix = len("v1.k1.")
    for index in range(prefix, len(token)):
        replacement = "A" if token[index] != "A" else "B"
        edited = token[:index] + replacement + token[index + 1 :]
        with pytest.raises(CryptoError):
            cipher.decrypt(edited, context=CONTEXT)


def test_non_canonical_base64_is_refused(cipher: PiiCipher) -> None:
    # 46 bytes encode to 62 characters whose last one carries 4 unused bits: flipping one of
    # them spells the same bytes differently. The stored text must still count as edited.
    token = cipher.encrypt(ID_NUMBER, context=CONTEXT)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    twin = token[:-1] + alphabet[alphabet.index(token[-1]) ^ 1]
    assert b64url_decode(twin.rsplit(".", 1)[1]) == b64url_decode(token.rsplit(".", 1)[1])
    with pytest.raises(CryptoError) as caught:
        cipher.decrypt(twin, context=CONTEXT)
    assert caught.value.code == "crypto.ciphertext_malformed"


def test_other_context_cannot_decrypt(cipher: PiiCipher) -> None:
    token = cipher.encrypt(ID_NUMBER, context=CONTEXT)
    with pytest.raises(CryptoError) as caught:
        cipher.decrypt(token, context="intake.worker.phone")
    assert caught.value.code == "crypto.decrypt_failed"


def test_relabelling_the_key_id_fails_even_when_that_key_exists(rotated: PiiCipher) -> None:
    token = rotated.encrypt(ID_NUMBER, context=CONTEXT)  # under k2
    with pytest.raises(CryptoError) as caught:
        rotated.decrypt(token.replace("v1.k2.", "v1.k1.", 1), context=CONTEXT)
    assert caught.value.code == "crypto.decrypt_failed"


def test_a_different_key_cannot_decrypt() -> None:
    writer = PiiCipher(keys={"k1": K1}, active_key_id="k1", index_key=INDEX)
    reader = PiiCipher(keys={"k1": K2}, active_key_id="k1", index_key=INDEX)
    with pytest.raises(CryptoError) as caught:
        reader.decrypt(writer.encrypt(ID_NUMBER, context=CONTEXT), context=CONTEXT)
    assert caught.value.code == "crypto.decrypt_failed"


def test_unknown_key_id_is_reported(cipher: PiiCipher, rotated: PiiCipher) -> None:
    token = rotated.encrypt(ID_NUMBER, context=CONTEXT)  # k2, which `cipher` lacks
    with pytest.raises(CryptoError) as caught:
        cipher.decrypt(token, context=CONTEXT)
    assert caught.value.code == "crypto.unknown_key"


@pytest.mark.parametrize(
    "value",
    ["", "plaintext", "v1", "v1.k1", "v1.k1.", "v2.k1.AAAA", "v1.k1.***", "v1.k1.AAAA", "v1.k1.A"],
)
def test_malformed_values_raise_crypto_error(cipher: PiiCipher, value: str) -> None:
    with pytest.raises(CryptoError) as caught:
        cipher.decrypt(value, context=CONTEXT)
    assert caught.value.code == "crypto.ciphertext_malformed"
    assert caught.value.message_zh and caught.value.message_en


def test_empty_context_is_refused(cipher: PiiCipher) -> None:
    with pytest.raises(CryptoError) as caught:
        cipher.encrypt(ID_NUMBER, context="")
    assert caught.value.code == "crypto.invalid_input"


# --- rotation ---------------------------------------------------------------------------
def test_old_values_decrypt_and_new_ones_use_the_active_key(cipher: PiiCipher, rotated: PiiCipher) -> None:
    old = cipher.encrypt(ID_NUMBER, context=CONTEXT)
    assert rotated.decrypt(old, context=CONTEXT) == ID_NUMBER
    assert rotated.key_id_of(rotated.encrypt(ID_NUMBER, context=CONTEXT)) == "k2"


def test_rotate_moves_a_value_to_the_active_key(cipher: PiiCipher, rotated: PiiCipher) -> None:
    old = cipher.encrypt(ID_NUMBER, context=CONTEXT)
    new = rotated.rotate(old, context=CONTEXT)
    assert rotated.key_id_of(new) == "k2"
    assert rotated.decrypt(new, context=CONTEXT) == ID_NUMBER
    # k1 can now be retired: a cipher holding only k2 reads the rotated value.
    only_k2 = PiiCipher(keys={"k2": K2}, active_key_id="k2", index_key=INDEX)
    assert only_k2.decrypt(new, context=CONTEXT) == ID_NUMBER


def test_rotate_leaves_current_values_untouched(rotated: PiiCipher) -> None:
    current = rotated.encrypt(ID_NUMBER, context=CONTEXT)
    assert rotated.rotate(current, context=CONTEXT) == current


def test_rotate_refuses_a_corrupt_value(cipher: PiiCipher, rotated: PiiCipher) -> None:
    old = cipher.encrypt(ID_NUMBER, context=CONTEXT)
    with pytest.raises(CryptoError):
        rotated.rotate(old, context="intake.worker.phone")


# --- blind index ------------------------------------------------------------------------
def test_blind_index_is_stable_and_normalised(cipher: PiiCipher) -> None:
    index = cipher.blind_index(ID_NUMBER, context=CONTEXT)
    assert len(index) == 64 and int(index, 16) >= 0
    assert cipher.blind_index(f"  {ID_NUMBER.lower()} ", context=CONTEXT) == index
    full_width = "１１０１０５１９４９１２３１００２Ｘ"  # as typed with a Chinese IME
    assert cipher.blind_index(full_width, context=CONTEXT) == index


def test_blind_index_is_hmac_sha256_under_the_index_key(cipher: PiiCipher) -> None:
    message = b"labornet.blind-index.v1\x00" + CONTEXT.encode() + b"\x00" + ID_NUMBER.encode()
    expected = hmac.new(INDEX, message, hashlib.sha256).hexdigest()
    assert cipher.blind_index(ID_NUMBER, context=CONTEXT) == expected


def test_blind_index_differs_by_value_context_and_key(cipher: PiiCipher) -> None:
    index = cipher.blind_index(ID_NUMBER, context=CONTEXT)
    assert cipher.blind_index("110105194912310038", context=CONTEXT) != index
    assert cipher.blind_index(ID_NUMBER, context="mediation.party.id_number") != index
    other_key = PiiCipher(keys={"k1": K1}, active_key_id="k1", index_key=os.urandom(32))
    assert other_key.blind_index(ID_NUMBER, context=CONTEXT) != index


def test_blind_index_refuses_empty_values(cipher: PiiCipher) -> None:
    with pytest.raises(CryptoError) as caught:
        cipher.blind_index("   ", context=CONTEXT)
    assert caught.value.code == "crypto.invalid_input"


# --- configuration ----------------------------------------------------------------------
def test_from_settings_parses_a_keyring() -> None:
    k1, k2 = generate_key(), generate_key()
    cipher = PiiCipher.from_settings(keyring=f" k1:{k1} , k2:{k2}", active="k2", index_key=generate_key())
    assert cipher.active_key_id == "k2"
    token = cipher.encrypt(ID_NUMBER, context=CONTEXT)
    assert cipher.key_id_of(token) == "k2"
    only_k2 = PiiCipher(keys={"k2": base64.b64decode(k2)}, active_key_id="k2", index_key=INDEX)
    assert only_k2.decrypt(token, context=CONTEXT) == ID_NUMBER


def test_from_settings_accepts_url_safe_unpadded_keys() -> None:
    raw = bytes(range(200, 232))
    url_safe = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    cipher = PiiCipher.from_settings(keyring=f"k1:{url_safe}", active="k1", index_key=b64(INDEX))
    reference = PiiCipher(keys={"k1": raw}, active_key_id="k1", index_key=INDEX)
    assert reference.decrypt(cipher.encrypt("x", context=CONTEXT), context=CONTEXT) == "x"


@pytest.mark.parametrize(
    ("keyring", "active", "fragment"),
    [
        ("", "k1", "'<key_id>:<base64 key>'"),
        ("k1", "k1", "'<key_id>:<base64 key>'"),
        (f"k.1:{b64(K1)}", "k.1", "'<key_id>:<base64 key>'"),
        ("k1:not*base64", "k1", "not valid base64"),
        (f"k1:{b64(K1[:16])}", "k1", "decodes to 16 bytes, need exactly 32"),
        (f"k1:{b64(K1 + b'x')}", "k1", "decodes to 33 bytes"),
        (f"k1:{b64(K1)},k1:{b64(K2)}", "k1", "duplicate key id 'k1'"),
        (f"k1:{b64(K1)}", "k9", "active key 'k9' is not in the keyring"),
    ],
    # Named by what is wrong, not by the random keys: every test process collects the same ids.
    ids=["empty", "no_key", "bad_key_id", "not_base64", "short", "long", "duplicate_id", "active_missing"],
)
def test_from_settings_explains_bad_keyrings(keyring: str, active: str, fragment: str) -> None:
    with pytest.raises(CryptoError) as caught:
        PiiCipher.from_settings(keyring=keyring, active=active, index_key=b64(INDEX))
    assert caught.value.code == "crypto.keyring_invalid"
    assert fragment in str(caught.value)
    assert b64(K1) not in str(caught.value)  # never echo key material


def test_index_key_must_be_long_and_separate() -> None:
    with pytest.raises(CryptoError, match="index key"):
        PiiCipher(keys={"k1": K1}, active_key_id="k1", index_key=os.urandom(16))
    with pytest.raises(CryptoError, match="index key"):
        PiiCipher(keys={"k1": K1}, active_key_id="k1", index_key=K1)


def test_generate_key_is_random_32_bytes() -> None:
    keys = {generate_key() for _ in range(10)}
    assert len(keys) == 10
    assert all(len(base64.b64decode(key, validate=True)) == 32 for key in keys)


def test_repr_hides_keys(rotated: PiiCipher) -> None:
    text = repr(rotated)
    assert "k1" in text and "k2" in text
    for key in (K1, K2, INDEX):
        assert b64(key) not in text and key.hex() not in text and repr(key) not in text


# --- embedded demo keys -----------------------------------------------------------------
def test_dev_keys_work_and_are_recognised() -> None:
    cipher = PiiCipher.from_settings(keyring=DEV_KEYRING, active=DEV_ACTIVE_KEY_ID, index_key=DEV_INDEX_KEY)
    assert cipher.decrypt(cipher.encrypt("x", context=CONTEXT), context=CONTEXT) == "x"
    assert is_dev_key(DEV_KEYRING)
    assert is_dev_key(DEV_INDEX_KEY)
    assert is_dev_key(f"prod1:{generate_key()},{DEV_KEYRING}")  # a dev key left in a ring
    url_safe = DEV_INDEX_KEY.replace("+", "-").replace("/", "_").rstrip("=")
    assert is_dev_key(url_safe)  # a re-encoded copy is still the same key


def test_real_keys_are_not_dev_keys() -> None:
    assert not is_dev_key(f"k1:{generate_key()},k2:{generate_key()}")
    assert not is_dev_key(generate_key())
    assert not is_dev_key("")
    assert not is_dev_key("not base64 at all!")
