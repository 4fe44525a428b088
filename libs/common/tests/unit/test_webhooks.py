"""Standard Webhooks signing, cross-checked against the reference `standardwebhooks` package."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError as ReferenceError_

from labornet_common.security.webhooks import (
    WebhookVerificationError,
    build_headers,
    generate_secret,
    sign,
    verify,
)

# The specification's published test vector: standard-webhooks/standard-webhooks,
# libraries/python/tests/test_webhooks.py::test_sign_function (the installed wheel ships no
# tests). test_reference_library_agrees_with_the_vector re-derives it with the installed package.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_PAYLOAD = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

PAYLOAD = '{"type":"arbitration.award.issued","case_id":"C-2025-0001","仲裁委":"洛阳"}'.encode()


@pytest.fixture
def secret() -> str:
    return generate_secret()


def headers_now(secrets: list[str], *, payload: bytes = PAYLOAD, msg_id: str = "msg_1") -> dict:
    return build_headers(msg_id=msg_id, timestamp=int(time.time()), payload=payload, secrets=secrets)


def reason_of(**kwargs: object) -> str:
    with pytest.raises(WebhookVerificationError) as caught:
        verify(**kwargs)  # type: ignore[arg-type]
    error = caught.value
    assert error.code == f"webhook.{error.reason}"
    assert error.message_zh and error.message_en
    return error.reason


# --- the published vector -----------------------------------------------------------------
def test_sign_reproduces_the_specification_vector() -> None:
    signature = sign(
        msg_id=VECTOR_ID,
        timestamp=VECTOR_TIMESTAMP,
        payload=VECTOR_PAYLOAD,
        secrets=[VECTOR_SECRET],
    )
    assert signature == VECTOR_SIGNATURE


def test_reference_library_agrees_with_the_vector() -> None:
    stamp = datetime.fromtimestamp(VECTOR_TIMESTAMP, tz=UTC)
    reference = Webhook(VECTOR_SECRET).sign(VECTOR_ID, stamp, VECTOR_PAYLOAD.decode())
    assert reference == VECTOR_SIGNATURE


def test_verify_accepts_the_specification_vector() -> None:
    headers = {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": str(VECTOR_TIMESTAMP),
        "webhook-signature": VECTOR_SIGNATURE,
    }
    verify(headers=headers, payload=VECTOR_PAYLOAD, secrets=[VECTOR_SECRET], now=VECTOR_TIMESTAMP)
    assert (
        reason_of(
            headers=headers,
            payload=VECTOR_PAYLOAD[:-1] + b"5}",
            secrets=[VECTOR_SECRET],
            now=VECTOR_TIMESTAMP,
        )
        == "no_matching_signature"
    )


# --- interoperability with the reference implementation ---------------------------------------
def test_reference_library_accepts_our_signatures(secret: str) -> None:
    headers = headers_now([secret])
    assert Webhook(secret).verify(PAYLOAD, headers)["case_id"] == "C-2025-0001"


def test_we_accept_the_reference_librarys_signatures(secret: str) -> None:
    now = int(time.time())
    signature = Webhook(secret).sign("msg_ref", datetime.fromtimestamp(now, tz=UTC), PAYLOAD.decode())
    headers = {
        "webhook-id": "msg_ref",
        "webhook-timestamp": str(now),
        "webhook-signature": signature,
    }
    verify(headers=headers, payload=PAYLOAD, secrets=[secret])


def test_reference_library_rejects_our_signature_over_another_body(secret: str) -> None:
    headers = headers_now([secret])
    with pytest.raises(ReferenceError_):
        Webhook(secret).verify(PAYLOAD.replace(b"0001", b"0002"), headers)


# --- our own behaviour ----------------------------------------------------------------------
def test_build_headers_shape(secret: str) -> None:
    headers = build_headers(msg_id="msg_1", timestamp=1700000000, payload=b"{}", secrets=[secret])
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert headers["webhook-id"] == "msg_1" and headers["webhook-timestamp"] == "1700000000"
    version, _, encoded = headers["webhook-signature"].partition(",")
    assert version == "v1" and len(base64.b64decode(encoded, validate=True)) == 32


def test_round_trip_with_case_insensitive_header_names(secret: str) -> None:
    headers = {name.title(): value for name, value in headers_now([secret]).items()}
    verify(headers=headers, payload=PAYLOAD, secrets=[secret])


@pytest.mark.parametrize(
    "change",
    [
        {"payload": PAYLOAD + b" "},
        {"msg_id": "msg_2"},
        {"timestamp_delta": 1},
    ],
)
def test_any_change_breaks_the_signature(secret: str, change: dict) -> None:
    headers = headers_now([secret])
    if "msg_id" in change:
        headers["webhook-id"] = change["msg_id"]
    if "timestamp_delta" in change:
        headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) + 1)
    payload = change.get("payload", PAYLOAD)
    assert reason_of(headers=headers, payload=payload, secrets=[secret]) == "no_matching_signature"


def test_wrong_secret_is_refused(secret: str) -> None:
    headers = headers_now([secret])
    reason = reason_of(headers=headers, payload=PAYLOAD, secrets=[generate_secret()])
    assert reason == "no_matching_signature"


def test_timestamp_tolerance_both_ways(secret: str) -> None:
    headers = build_headers(msg_id="m", timestamp=1_700_000_000, payload=PAYLOAD, secrets=[secret])
    for now in (1_700_000_000 - 300, 1_700_000_000 + 300):
        verify(headers=headers, payload=PAYLOAD, secrets=[secret], now=now)
    too_old = reason_of(headers=headers, payload=PAYLOAD, secrets=[secret], now=1_700_000_301)
    too_new = reason_of(headers=headers, payload=PAYLOAD, secrets=[secret], now=1_699_999_699)
    assert (too_old, too_new) == ("timestamp_too_old", "timestamp_too_new")
    narrow = reason_of(headers=headers, payload=PAYLOAD, secrets=[secret], now=1_700_000_061, tolerance_s=60)
    assert narrow == "timestamp_too_old"


# --- rotation -----------------------------------------------------------------------------
def test_rotation_overlap_satisfies_old_and_new_receivers() -> None:
    old, new = generate_secret(), generate_secret()
    headers = headers_now([old, new])
    assert len(headers["webhook-signature"].split(" ")) == 2
    verify(headers=headers, payload=PAYLOAD, secrets=[old])
    verify(headers=headers, payload=PAYLOAD, secrets=[new])
    Webhook(old).verify(PAYLOAD, headers)
    Webhook(new).verify(PAYLOAD, headers)
    assert reason_of(headers=headers, payload=PAYLOAD, secrets=[generate_secret()]) == ("no_matching_signature")


def test_receiver_holding_both_secrets_accepts_either_sender() -> None:
    old, new = generate_secret(), generate_secret()
    for sender_secret in (old, new):
        verify(headers=headers_now([sender_secret]), payload=PAYLOAD, secrets=[old, new])


def test_signature_entries_follow_secret_order() -> None:
    old, new = generate_secret(), generate_secret()
    both = sign(msg_id="m", timestamp=1, payload=b"x", secrets=[old, new])
    assert both == " ".join(sign(msg_id="m", timestamp=1, payload=b"x", secrets=[s]) for s in (old, new))


# --- malformed input never escapes as another exception ----------------------------------------
@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_headers(secret: str, missing: str) -> None:
    headers = headers_now([secret])
    del headers[missing]
    assert reason_of(headers=headers, payload=PAYLOAD, secrets=[secret]) == "missing_headers"
    headers[missing] = ""
    assert reason_of(headers=headers, payload=PAYLOAD, secrets=[secret]) == "missing_headers"


@pytest.mark.parametrize(
    "timestamp",
    ["hello", "", " ", "1.5e9", "-1700000000", "1700000000.0", "１７００", "0x10", "9" * 40],
)
def test_malformed_timestamps(secret: str, timestamp: str) -> None:
    headers = headers_now([secret])
    headers["webhook-timestamp"] = timestamp
    assert reason_of(headers=headers, payload=PAYLOAD, secrets=[secret]) in {
        "invalid_timestamp",
        "missing_headers",  # empty or blank counts as absent
    }


@pytest.mark.parametrize(
    "signature",
    [
        "garbage",
        ",",
        "v1",
        "v1,",
        "v1,***not base64***",
        "v1,abc",  # bad padding
        "v2," + base64.b64encode(b"x" * 32).decode(),
        "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1 g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1," + "A" * 5000,
        "\x00\x01\x02",
    ],
)
def test_malformed_signature_headers(secret: str, signature: str) -> None:
    headers = headers_now([secret])
    headers["webhook-signature"] = signature
    assert reason_of(headers=headers, payload=PAYLOAD, secrets=[secret]) == ("invalid_signature_header")


def test_a_valid_entry_among_garbage_still_verifies(secret: str) -> None:
    headers = headers_now([secret])
    valid = headers["webhook-signature"]
    headers["webhook-signature"] = f"garbage v2,AAAA v1,*** {valid} v1,"
    verify(headers=headers, payload=PAYLOAD, secrets=[secret])


def test_an_oversized_signature_header_is_refused_even_with_a_valid_entry(secret: str) -> None:
    headers = headers_now([secret])
    headers["webhook-signature"] += " v1,AAAA" * 600
    assert reason_of(headers=headers, payload=PAYLOAD, secrets=[secret]) == ("invalid_signature_header")


def test_a_well_formed_but_wrong_signature(secret: str) -> None:
    headers = headers_now([secret])
    headers["webhook-signature"] = "v1," + base64.b64encode(b"\x00" * 32).decode()
    assert reason_of(headers=headers, payload=PAYLOAD, secrets=[secret]) == "no_matching_signature"


def test_non_string_header_values_count_as_missing(secret: str) -> None:
    headers: dict = headers_now([secret])
    headers["webhook-timestamp"] = int(headers["webhook-timestamp"])
    assert reason_of(headers=headers, payload=PAYLOAD, secrets=[secret]) == "missing_headers"


# --- secrets and arguments -------------------------------------------------------------------
def test_generate_secret_format() -> None:
    secrets = {generate_secret() for _ in range(10)}
    assert len(secrets) == 10
    for value in secrets:
        assert value.startswith("whsec_")
        assert len(base64.b64decode(value.removeprefix("whsec_"), validate=True)) == 32
    assert len(base64.b64decode(generate_secret(nbytes=24)[6:])) == 24
    with pytest.raises(ValueError):
        generate_secret(nbytes=16)


@pytest.mark.parametrize(
    "secrets",
    [[], ["whsec_!!!"], ["whsec_" + base64.b64encode(b"short").decode()], "whsec_abc"],
)
def test_misconfigured_secrets_are_value_errors(secrets: object) -> None:
    with pytest.raises(ValueError):
        sign(msg_id="m", timestamp=1, payload=b"x", secrets=secrets)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        verify(headers={}, payload=b"x", secrets=secrets)  # type: ignore[arg-type]


def test_secret_without_prefix_is_accepted(secret: str) -> None:
    bare = secret.removeprefix("whsec_")
    assert sign(msg_id="m", timestamp=1, payload=b"x", secrets=[bare]) == sign(
        msg_id="m", timestamp=1, payload=b"x", secrets=[secret]
    )


@pytest.mark.parametrize(
    ("msg_id", "timestamp"), [("", 1), ("has space", 1), ("line\nbreak", 1), ("m", -1), ("m", True)]
)
def test_sign_refuses_unsafe_ids_and_timestamps(secret: str, msg_id: str, timestamp: int) -> None:
    with pytest.raises(ValueError):
        sign(msg_id=msg_id, timestamp=timestamp, payload=b"x", secrets=[secret])


def test_payload_must_be_bytes(secret: str) -> None:
    with pytest.raises(TypeError):
        sign(msg_id="m", timestamp=1, payload="text", secrets=[secret])  # type: ignore[arg-type]
