"""The chain check reports every gap (missing sequence numbers), not only the first broken link;
the journal's line format round-trips exactly what is hashed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from labornet_gateway.domain.audit_chain import GENESIS_HASH, AuditEntry, ChainedEntry, Gap, chain_hash, verify_chain
from labornet_gateway.domain.audit_journal import JournalCorrupt, JournalLine, backlog, decode, encode


def _entry(n: int) -> AuditEntry:
    return AuditEntry.of(
        occurred_at=datetime(2026, 12, 4, 9, 30, 0, 123456, tzinfo=UTC),
        subject=f"demo:user{n}",
        roles="clerk",
        method="POST",
        route="/api/v1/complaints",
        status=201,
        case_id=None,
        client_ip="10.0.0.1",
        user_agent="张三的浏览器",
        request_id=f"req-{n}",
    )


def _chain(count: int) -> list[ChainedEntry]:
    items, prev = [], GENESIS_HASH
    for seq in range(1, count + 1):
        digest = chain_hash(prev, seq, _entry(seq))
        items.append(ChainedEntry(seq, _entry(seq), prev, digest))
        prev = digest
    return items


def _verify(items: list[ChainedEntry], full: list[ChainedEntry]):
    return verify_chain(items, anchor_seq=0, anchor_hash=GENESIS_HASH, head_seq=full[-1].seq, head_hash=full[-1].hash)


def test_a_whole_chain_has_no_gaps() -> None:
    full = _chain(6)
    result = _verify(full, full)
    assert result.ok and result.checked == 6 and result.gaps == () and result.missing == 0


def test_every_gap_is_listed_with_its_count() -> None:
    full = _chain(10)
    kept = [item for item in full if item.seq not in {3, 6, 7}]
    result = _verify(kept, full)
    assert not result.ok
    assert result.gaps == (Gap(3, 3), Gap(6, 7)) and result.missing == 3
    assert result.broken_at == 3 and "gap" in (result.reason or "")
    assert result.checked == 7  # the entries after each gap are still checked


def test_missing_newest_entries_are_a_gap_at_the_end() -> None:
    full = _chain(5)
    result = _verify(full[:3], full)
    assert not result.ok and result.gaps == (Gap(4, 5),) and result.missing == 2
    assert "end of the chain" in (result.reason or "")


def test_a_modified_entry_after_a_gap_is_still_caught() -> None:
    full = _chain(6)
    forged = ChainedEntry(5, _entry(99), full[4].prev_hash, full[4].hash)
    result = _verify([*full[:2], full[3], forged, full[5]], full)
    assert not result.ok and result.broken_at == 3 and result.gaps == (Gap(3, 3),)
    assert result.checked == 3  # 1, 2 and 4; the forged 5 stops the check


def test_a_broken_link_without_a_gap_stops_the_check() -> None:
    full = _chain(4)
    relinked = ChainedEntry(3, full[2].entry, "f" * 64, full[2].hash)
    result = _verify([full[0], full[1], relinked, full[3]], full)
    assert not result.ok and result.broken_at == 3 and "link" in (result.reason or "")


def test_journal_lines_round_trip_what_is_hashed() -> None:
    line = JournalLine(7, _entry(7))
    raw = encode(line)
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1
    back = decode(raw)
    assert back == line and chain_hash(GENESIS_HASH, 1, back.entry) == chain_hash(GENESIS_HASH, 1, line.entry)


def test_a_damaged_journal_line_is_refused_not_guessed() -> None:
    with pytest.raises(JournalCorrupt):
        decode(b'{"n": 1, "entry": {"subject": "x"}}\n')


def test_backlog_counts_answered_but_unchained_lines() -> None:
    assert backlog(written_through=12, drained_through=9) == 3
    assert backlog(written_through=9, drained_through=9) == 0
