"""Password hashing for accounts the gateway itself holds (the embedded demo accounts)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import unicodedata

_N, _R, _P = 2**14, 8, 1
_MAXMEM = 64 * 1024 * 1024


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    # NFKC only: unlike access codes, passwords stay case-sensitive.
    secret = unicodedata.normalize("NFKC", password).encode("utf-8")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=dklen)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(_derive(password, salt, _N, _R, _P, 32))}"


def verify_password(password: str, hashed: str) -> bool:
    """Constant-time; a malformed hash verifies nothing."""
    parts = hashed.split("$")
    if len(parts) != 6 or parts[0] != "scrypt" or not all(x.isdigit() for x in parts[1:4]):
        return False
    n, r, p = (int(x) for x in parts[1:4])
    try:
        salt, expected = (base64.urlsafe_b64decode(x + "=" * (-len(x) % 4)) for x in parts[4:])
        actual = _derive(password, salt, n, r, p, len(expected))
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(actual, expected)
