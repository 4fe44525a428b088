from datetime import UTC, datetime

import pytest

from labornet_common.contracts.events import Envelope, MalformedEvent, from_kafka, to_kafka
from labornet_common.contracts.intake import ComplaintReceived


def _envelope(**over) -> Envelope:
    data = dict(
        id="0b7e8f4e-0000-4000-8000-000000000001",
        type=ComplaintReceived.event_type,
        source="/labornet/intake",
        subject="case-1",
        data={
            "case_id": "case-1",
            "tracking_number": "410311-20261121-ABCDEF",
            "channel": "online",
            "received_at": "2026-11-21T08:00:00Z",
            "region_code": "410311",
            "workplace_division": "410311",
            "employer_name": "某公司",
        },
        sequence=7,
        time=datetime(2026, 11, 21, 8, 0, tzinfo=UTC),
        traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    )
    data.update(over)
    return Envelope(**data)


def test_binary_mode_headers_and_key() -> None:
    rec = to_kafka(_envelope())
    headers = dict(rec.headers)
    assert rec.key == b"case-1"  # Kafka key = partitionkey = case id
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_partitionkey"] == b"case-1"
    assert headers["ce_sequence"] == b"0000000000000000007"  # zero-padded: lexical = numeric order
    assert headers["ce_traceparent"].startswith(b"00-4bf92f35")
    assert headers["content-type"] == b"application/json"
    assert headers["ce_dataschema"] == b"urn:labornet:schema:" + ComplaintReceived.event_type.encode()


def test_round_trip_keeps_every_attribute() -> None:
    original = _envelope()
    rec = to_kafka(original)
    back = from_kafka(key=rec.key, value=rec.value, headers=rec.headers)
    assert back == original
    assert isinstance(back.payload(), ComplaintReceived)
    assert back.payload().employer_name == "某公司"


@pytest.mark.parametrize(
    "headers, value",
    [
        ([], b"{}"),  # no CloudEvents headers at all
        ([("ce_specversion", b"1.0"), ("ce_id", b"x"), ("ce_type", b"t"), ("ce_source", b"/s")], b"{}"),
        (
            [
                ("ce_specversion", b"1.0"),
                ("ce_id", b"x"),
                ("ce_type", b"t"),
                ("ce_source", b"/s"),
                ("ce_subject", b"c"),
                ("ce_sequence", b"one"),
                ("content-type", b"application/json"),
            ],
            b"{}",
        ),
        (
            [
                ("ce_specversion", b"1.0"),
                ("ce_id", b"x"),
                ("ce_type", b"t"),
                ("ce_source", b"/s"),
                ("ce_subject", b"c"),
                ("ce_sequence", b"1"),
                ("content-type", b"application/json"),
            ],
            b"[1]",
        ),
    ],
)
def test_anything_off_spec_is_malformed(headers, value) -> None:
    with pytest.raises(MalformedEvent):
        from_kafka(key=b"c", value=value, headers=headers)


def test_sequence_sorts_as_strings_like_numbers() -> None:
    """CloudEvents sequence extension: values compare as strings, so "10" must not sort before "9"."""
    numbers = [1, 2, 9, 10, 11, 99, 100, 12_345, 2**63 - 1]
    texts = [dict(to_kafka(_envelope(sequence=n)).headers)["ce_sequence"] for n in numbers]
    assert sorted(texts) == texts
    assert {len(t) for t in texts} == {19}


@pytest.mark.parametrize("raw, number", [(b"7", 7), (b"0000000000000000007", 7), (b"10", 10), (b"0", 0)])
def test_unpadded_sequences_of_older_events_still_read(raw: bytes, number: int) -> None:
    headers = [(k, raw if k == "ce_sequence" else v) for k, v in to_kafka(_envelope()).headers]
    rec = to_kafka(_envelope())
    assert from_kafka(key=rec.key, value=rec.value, headers=headers).sequence == number


@pytest.mark.parametrize("raw", [b"-1", b"+7", b" 7", b"\xd9\xa3"])  # sign, space, Arabic-Indic three
def test_a_sequence_that_is_not_plain_digits_is_malformed(raw: bytes) -> None:
    rec = to_kafka(_envelope())
    headers = [(k, raw if k == "ce_sequence" else v) for k, v in rec.headers]
    with pytest.raises(MalformedEvent):
        from_kafka(key=rec.key, value=rec.value, headers=headers)
