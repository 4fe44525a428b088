"""Standard Webhooks signatures (https://www.standardwebhooks.com), both directions.

The gateway signs what it delivers to the court liaison and verifies the court's callbacks
with the same scheme, so either side can use any Standard Webhooks library.

* Signed content: ``{webhook-id}.{webhook-timestamp}.{raw body bytes}``, HMAC-SHA256.
* ``webhook-signature``: space-delimited ``v1,<base64 signature>`` entries, one per secret:
  during a secret rotation the sender signs with old and new, so receivers holding either
  one keep verifying while they switch.
* Secrets: ``whsec_`` + base64 of the key bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets as _random
import time
from collections.abc import Mapping, Sequence

__all__ = [
    "SECRET_PREFIX",
    "WebhookVerificationError",
    "build_headers",
    "generate_secret",
    "sign",
    "verify",
]

SECRET_PREFIX = "whsec_"  # noqa: S105 - a format prefix, not a secret
_MIN_SECRET_BYTES = 24  # the specification's lower bound for secret size
_MAX_SIGNATURE_HEADER = 4096  # a few dozen entries at most; more is an attack, not a rotation
_MSG_ID = re.compile(r"[\x21-\x7e]{1,256}")  # printable ASCII, no spaces: safe in a header
_SIGNATURE_BYTES = hashlib.sha256().digest_size
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # integer seconds; ASCII digits only

_MESSAGES: dict[str, tuple[str, str]] = {
    "missing_headers": ("缺少 Webhook 签名请求头", "Missing webhook signature headers"),
    "invalid_timestamp": ("Webhook 时间戳格式错误", "The webhook timestamp is malformed"),
    "timestamp_too_old": ("Webhook 消息已过期", "The webhook timestamp is too old"),
    "timestamp_too_new": ("Webhook 时间戳超前", "The webhook timestamp is in the future"),
    "invalid_signature_header": ("Webhook 签名格式错误", "The webhook signature is malformed"),
    "no_matching_signature": ("Webhook 签名不匹配", "No webhook signature matches"),
}


class WebhookVerificationError(Exception):
    """The request is not an authentic, fresh webhook. ``reason`` is a machine-readable key."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.code = f"webhook.{reason}"
        self.message_zh, self.message_en = _MESSAGES[reason]
        super().__init__(f"{self.code}: {self.message_en}")


def generate_secret(*, nbytes: int = 32) -> str:
    """A new endpoint secret: ``whsec_`` + base64 of ``nbytes`` (24 to 64) random bytes."""
    if not _MIN_SECRET_BYTES <= nbytes <= 64:
        raise ValueError("a webhook secret has 24 to 64 bytes")
    return SECRET_PREFIX + base64.b64encode(_random.token_bytes(nbytes)).decode("ascii")


def _secret_key(secret: str) -> bytes:
    # Configuration errors are ValueError: our own setup is wrong, not the sender's request.
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a webhook secret must be 'whsec_' + base64") from None
    if len(key) < _MIN_SECRET_BYTES:
        raise ValueError(f"a webhook secret needs at least {_MIN_SECRET_BYTES} bytes")
    return key


def _keys(secrets: Sequence[str]) -> list[bytes]:
    if isinstance(secrets, str) or not secrets:
        raise ValueError("pass a non-empty list of secrets (a bare string is a common slip)")
    return [_secret_key(secret) for secret in secrets]


def _signature(key: bytes, *, msg_id: str, timestamp: int | str, payload: bytes) -> bytes:
    # The body is signed as raw bytes: re-encoding it (e.g. re-serialising JSON) would break it.
    if not isinstance(payload, bytes | bytearray):
        raise TypeError("payload must be the raw body bytes")
    signed = f"{msg_id}.{timestamp}.".encode() + bytes(payload)
    return hmac.new(key, signed, hashlib.sha256).digest()


def sign(*, msg_id: str, timestamp: int, payload: bytes, secrets: Sequence[str]) -> str:
    """The ``webhook-signature`` value: one ``v1,<base64>`` entry per secret, in order."""
    if not _MSG_ID.fullmatch(msg_id):
        raise ValueError("msg_id must be 1-256 printable ASCII characters without spaces")
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or timestamp < 0:
        raise ValueError("timestamp must be a non-negative integer (Unix seconds)")
    entries = (_signature(key, msg_id=msg_id, timestamp=timestamp, payload=payload) for key in _keys(secrets))
    return " ".join("v1," + base64.b64encode(sig).decode("ascii") for sig in entries)


def build_headers(*, msg_id: str, timestamp: int, payload: bytes, secrets: Sequence[str]) -> dict[str, str]:
    signature = sign(msg_id=msg_id, timestamp=timestamp, payload=payload, secrets=secrets)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


def _header_values(headers: Mapping[str, str]) -> tuple[str, str, str]:
    # HTTP header names are case-insensitive; a non-str value counts as missing.
    lowered = {str(name).lower(): value for name, value in headers.items()}
    names = ("webhook-id", "webhook-timestamp", "webhook-signature")
    values = [lowered.get(name) for name in names]
    msg_id, timestamp, signature = (value if isinstance(value, str) else "" for value in values)
    if not (msg_id and timestamp and signature):
        raise WebhookVerificationError("missing_headers")
    return msg_id, timestamp.strip(), signature


def _check_timestamp(raw: str, *, tolerance_s: int, now: float) -> None:
    if not _TIMESTAMP.fullmatch(raw):
        raise WebhookVerificationError("invalid_timestamp")
    # Bounding the age is what makes a captured request useless for replay later
    # (a receiver that also remembers webhook-ids for the window stops replays entirely).
    if int(raw) < now - tolerance_s:
        raise WebhookVerificationError("timestamp_too_old")
    if int(raw) > now + tolerance_s:
        raise WebhookVerificationError("timestamp_too_new")


def _v1_signatures(header: str) -> list[bytes]:
    """The decodable ``v1`` entries; other versions are skipped as the specification asks."""
    if len(header) > _MAX_SIGNATURE_HEADER:
        raise WebhookVerificationError("invalid_signature_header")
    found: list[bytes] = []
    for entry in header.split():
        version, comma, encoded = entry.partition(",")
        if version != "v1" or not comma:
            continue
        try:
            signature = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            continue  # a garbled entry proves nothing; another entry may still match
        if len(signature) == _SIGNATURE_BYTES:
            found.append(signature)
    if not found:
        raise WebhookVerificationError("invalid_signature_header")
    return found


def verify(
    *,
    headers: Mapping[str, str],
    payload: bytes,
    secrets: Sequence[str],
    tolerance_s: int = 300,
    now: float | None = None,
) -> None:
    """Return quietly if the request is authentic and fresh, else raise WebhookVerificationError.

    Any secret in ``secrets`` may match, so a receiver can hold old and new during rotation.
    """
    keys = _keys(secrets)  # before reading the request: a misconfiguration is not its fault
    msg_id, raw_timestamp, signature_header = _header_values(headers)
    _check_timestamp(raw_timestamp, tolerance_s=tolerance_s, now=time.time() if now is None else now)
    candidates = _v1_signatures(signature_header)
    for key in keys:
        # Sign the header's own digits, as the sender did, rather than a re-rendered number.
        expected = _signature(key, msg_id=msg_id, timestamp=raw_timestamp, payload=payload)
        # compare_digest on every candidate: how far a guess matched must not show in timing.
        if any(hmac.compare_digest(expected, candidate) for candidate in candidates):
            return
    raise WebhookVerificationError("no_matching_signature")
