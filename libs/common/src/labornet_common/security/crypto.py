"""PII protection at rest: field encryption and blind indexes.

Workers' ID numbers and phone numbers are personal information (PIPL Art. 28 treats ID
numbers as sensitive), so services store them encrypted and look them up by a keyed hash.

* ``PiiCipher.encrypt`` -> ``v1.<key_id>.<base64url(nonce || ciphertext || tag)>``: plain ASCII,
  fits a TEXT column, and names its key so old keys keep decrypting after a rotation.
* AES-256-GCM, random 96-bit nonce. The associated data binds the visible header and a
  caller-chosen context (``'intake.worker.id_number'``), so a value copied into another
  column, or relabelled with another key id, fails authentication instead of decrypting.
* ``PiiCipher.blind_index`` -> HMAC-SHA256 under a separate key, for equality lookups
  (duplicate complaints by ID number) without decrypting. It cannot be rotated in place:
  a new index key means recomputing every stored index.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "DEV_ACTIVE_KEY_ID",
    "DEV_INDEX_KEY",
    "DEV_KEYRING",
    "CryptoError",
    "PiiCipher",
    "generate_key",
    "is_dev_key",
    "normalise_for_index",
]

FORMAT_VERSION = "v1"
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # 96-bit nonce, the size GCM is specified for
TAG_BYTES = 16
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")  # no '.', the ciphertext field separator
_B64URL = re.compile(r"[A-Za-z0-9_-]+")

_MESSAGES: dict[str, tuple[str, str]] = {
    "crypto.keyring_invalid": ("加密密钥配置无效", "The encryption keyring is invalid"),
    "crypto.ciphertext_malformed": ("加密数据格式错误", "The encrypted value is malformed"),
    "crypto.unknown_key": ("加密数据使用了未知密钥", "The encrypted value names an unknown key"),
    "crypto.decrypt_failed": ("加密数据校验失败", "The encrypted value failed authentication"),
    "crypto.invalid_input": ("待处理的数据无效", "The value to protect is invalid"),
}


class CryptoError(Exception):
    """A keyring, ciphertext or input problem. ``detail`` never contains key material."""

    def __init__(self, code: str, *, detail: str = "") -> None:
        self.code = code
        self.message_zh, self.message_en = _MESSAGES[code]
        self.detail = detail
        super().__init__(f"{code}: {self.message_en}" + (f" ({detail})" if detail else ""))


def generate_key() -> str:
    """A fresh random 256-bit key, standard base64, for an operator's keyring entry."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def _decode_key(text: str, *, label: str, exact: bool = True) -> bytes:
    # Accept the url-safe alphabet and missing padding: keys get pasted from many tools.
    cleaned = text.strip().replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise CryptoError("crypto.keyring_invalid", detail=f"{label} is not valid base64") from None
    if (exact and len(raw) != KEY_BYTES) or len(raw) < KEY_BYTES:
        need = f"exactly {KEY_BYTES}" if exact else f"at least {KEY_BYTES}"
        detail = f"{label} decodes to {len(raw)} bytes, need {need}"
        raise CryptoError("crypto.keyring_invalid", detail=detail)
    return raw


def _parse_keyring(keyring: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for entry in (part.strip() for part in keyring.split(",")):
        key_id, sep, material = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not _KEY_ID.fullmatch(key_id):
            detail = "each entry must be '<key_id>:<base64 key>', key_id of [A-Za-z0-9_-]"
            raise CryptoError("crypto.keyring_invalid", detail=detail)
        if key_id in keys:
            raise CryptoError("crypto.keyring_invalid", detail=f"duplicate key id {key_id!r}")
        keys[key_id] = _decode_key(material, label=f"key {key_id!r}")
    return keys


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    if not _B64URL.fullmatch(text):
        raise CryptoError("crypto.ciphertext_malformed", detail="body is not base64url")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CryptoError("crypto.ciphertext_malformed", detail="body is not base64url") from None
    # Refuse non-canonical spellings, so that any edit of the stored text is an error.
    if _b64url(raw) != text:
        raise CryptoError("crypto.ciphertext_malformed", detail="body is not canonical base64url")
    return raw


def _require_context(context: str) -> bytes:
    if not context or "\x00" in context:
        raise CryptoError("crypto.invalid_input", detail="context must be a non-empty string")
    return context.encode("utf-8")


def normalise_for_index(value: str) -> str:
    """Canonical form for indexing: strip, NFKC, upper-case.

    NFKC folds full-width input from Chinese IMEs ('１１０…Ｘ'); upper-case folds the check
    digit 'x' of an ID number into 'X'.
    """
    return unicodedata.normalize("NFKC", value).strip().upper()


class PiiCipher:
    """Encrypts, decrypts and blind-indexes PII strings under a rotatable keyring."""

    __slots__ = ("_active_key_id", "_aeads", "_index_key")

    def __init__(self, *, keys: Mapping[str, bytes], active_key_id: str, index_key: bytes) -> None:
        if not keys:
            raise CryptoError("crypto.keyring_invalid", detail="the keyring is empty")
        for key_id, key in keys.items():
            if not _KEY_ID.fullmatch(key_id) or len(key) != KEY_BYTES:
                detail = f"key {key_id!r} needs an id of [A-Za-z0-9_-] and {KEY_BYTES} bytes"
                raise CryptoError("crypto.keyring_invalid", detail=detail)
        if active_key_id not in keys:
            detail = f"active key {active_key_id!r} is not in the keyring"
            raise CryptoError("crypto.keyring_invalid", detail=detail)
        if len(index_key) < KEY_BYTES or index_key in keys.values():
            # Key separation: an index key that is also an encryption key weakens both uses.
            detail = f"index key needs {KEY_BYTES}+ bytes and must differ from encryption keys"
            raise CryptoError("crypto.keyring_invalid", detail=detail)
        self._aeads = {key_id: AESGCM(bytes(key)) for key_id, key in keys.items()}
        self._active_key_id = active_key_id
        self._index_key = bytes(index_key)

    @classmethod
    def from_settings(cls, *, keyring: str, active: str, index_key: str) -> PiiCipher:
        """Build from settings strings: ``keyring='k1:<base64>,k2:<base64>'``, ``active='k2'``."""
        return cls(
            keys=_parse_keyring(keyring),
            active_key_id=active.strip(),
            index_key=_decode_key(index_key, label="index key", exact=False),
        )

    def __repr__(self) -> str:  # never print keys, even in a debugger or a log line
        return f"PiiCipher(key_ids={sorted(self._aeads)}, active={self._active_key_id!r})"

    @property
    def active_key_id(self) -> str:
        return self._active_key_id

    def encrypt(self, plaintext: str, *, context: str) -> str:
        header = f"{FORMAT_VERSION}.{self._active_key_id}"
        nonce = secrets.token_bytes(NONCE_BYTES)
        aad = _associated_data(header, context)
        sealed = self._aeads[self._active_key_id].encrypt(nonce, plaintext.encode("utf-8"), aad)
        return f"{header}.{_b64url(nonce + sealed)}"

    def decrypt(self, value: str, *, context: str) -> str:
        key_id, blob = self._split(value)
        aad = _associated_data(f"{FORMAT_VERSION}.{key_id}", context)
        nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
        try:
            plaintext = self._aeads[key_id].decrypt(nonce, sealed, aad)
        except InvalidTag:
            # Tampered bytes, the wrong context (column) and the wrong key all land here.
            raise CryptoError("crypto.decrypt_failed") from None
        return plaintext.decode("utf-8")

    def key_id_of(self, value: str) -> str:
        """The key id a stored value names (no decryption), e.g. to count what a rotation left."""
        return self._split(value)[0]

    def rotate(self, value: str, *, context: str) -> str:
        """Re-encrypt under the active key; a value already under it is returned unchanged.

        Returning the same string lets a rotation job skip the UPDATE when nothing changed.
        The value is decrypted either way, so a corrupt row is reported, not carried forward.
        """
        plaintext = self.decrypt(value, context=context)
        if self.key_id_of(value) == self._active_key_id:
            return value
        return self.encrypt(plaintext, context=context)

    def blind_index(self, value: str, *, context: str) -> str:
        """HMAC-SHA256 over the normalised value and its context, as 64 lower-case hex digits.

        Hex rather than base64url: it survives case-insensitive database collations.
        """
        normalised = normalise_for_index(value)
        if not normalised:
            # An empty index would make every blank value a "duplicate" of every other.
            raise CryptoError("crypto.invalid_input", detail="cannot index an empty value")
        message = b"labornet.blind-index.v1\x00" + _require_context(context) + b"\x00"
        digest = hmac.new(self._index_key, message + normalised.encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()

    def _split(self, value: str) -> tuple[str, bytes]:
        version, _, rest = value.partition(".")
        key_id, _, body = rest.partition(".")
        if version != FORMAT_VERSION or not key_id or not body:
            raise CryptoError("crypto.ciphertext_malformed", detail="expected 'v1.<key_id>.<data>'")
        if key_id not in self._aeads:
            raise CryptoError("crypto.unknown_key", detail=f"key id {key_id!r}")
        blob = _unb64url(body)
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise CryptoError("crypto.ciphertext_malformed", detail="data too short")
        return key_id, blob


def _associated_data(header: str, context: str) -> bytes:
    return header.encode("ascii") + b"\x00" + _require_context(context)


# --- Embedded demo mode ONLY ------------------------------------------------------------
# Derived from public phrases so anyone reading this file can recompute them: they protect
# demo data on a laptop and nothing else. Settings must refuse them in production.
def _dev_key(label: str) -> str:
    phrase = b"LaborNet embedded demo ONLY, public, never production: " + label.encode()
    return base64.b64encode(hashlib.sha256(phrase).digest()).decode("ascii")


DEV_ACTIVE_KEY_ID = "dev1"
DEV_KEYRING = f"{DEV_ACTIVE_KEY_ID}:{_dev_key('pii-encryption')}"
DEV_INDEX_KEY = _dev_key("pii-blind-index")
_DEV_KEY_BYTES = frozenset(base64.b64decode(_dev_key(label)) for label in ("pii-encryption", "pii-blind-index"))


def is_dev_key(value: str) -> bool:
    """True if a key, an index key or any entry of a keyring string is a public demo key."""
    for entry in value.split(","):
        material = entry.rpartition(":")[2].strip().replace("-", "+").replace("_", "/")
        try:
            raw = base64.b64decode(material + "=" * (-len(material) % 4), validate=True)
        except (binascii.Error, ValueError):
            continue
        if raw in _DEV_KEY_BYTES:
            return True
    return False
