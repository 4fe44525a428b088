"""The audit trail's hash chain (pure): what an entry is, how it is hashed, how a chain is checked.

Each entry stores ``hash = SHA-256(prev_hash || "\\n" || canonical(entry))``. Changing any
stored field breaks that entry's hash; deleting an entry leaves a gap in ``seq`` and a
``prev_hash`` that no longer matches; deleting the newest entries leaves the chain short of
the head row. Retention removes the oldest entries and records where the chain now starts
(the anchor), so pruning is not mistaken for tampering, and deleting more is still caught.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64
# Column widths (adapters.audit_tables): values are cut before hashing so stored == hashed.
_LIMITS = {
    "subject": 200,
    "roles": 200,
    "route": 300,
    "client_ip": 64,
    "user_agent": 300,
    "request_id": 64,
    "method": 10,
}


@dataclass(frozen=True)
class AuditEntry:
    occurred_at: datetime
    subject: str
    roles: str
    method: str
    route: str
    status: int
    case_id: str | None
    client_ip: str
    user_agent: str
    request_id: str

    @classmethod
    def of(cls, **values: object) -> AuditEntry:
        for name, limit in _LIMITS.items():
            values[name] = str(values.get(name) or "")[:limit]
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ChainedEntry:
    seq: int
    entry: AuditEntry
    prev_hash: str
    hash: str


def _utc_text(at: datetime) -> str:
    # SQLite returns naive UTC, PostgreSQL aware: one spelling for both.
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(seq: int, entry: AuditEntry) -> bytes:
    values = [seq] + [
        _utc_text(getattr(entry, f.name)) if f.name == "occurred_at" else getattr(entry, f.name)
        for f in fields(AuditEntry)
    ]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def chain_hash(prev_hash: str, seq: int, entry: AuditEntry) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(seq, entry)).hexdigest()


@dataclass(frozen=True)
class Gap:
    """Sequence numbers ``first``..``last`` are missing from the trail."""

    first: int
    last: int


MAX_GAPS_LISTED = 100


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    head_seq: int
    broken_at: int | None = None
    reason: str | None = None
    gaps: tuple[Gap, ...] = ()
    missing: int = 0  # entries missing in all the gaps (listed or not)


class ChainVerifier:
    """Checks entries fed in seq order (those after the anchor), then against the head.

    Streaming, so a long trail is verified without holding it in memory. A gap in ``seq`` is
    noted and checking goes on after it (the entry after a gap cannot be linked, its own hash
    still is), so every gap is reported; a broken link or hash stops the check.
    """

    def __init__(self, *, anchor_seq: int, anchor_hash: str, head_seq: int, head_hash: str) -> None:
        self._expected_seq, self._expected_prev = anchor_seq + 1, anchor_hash
        self._head_seq, self._head_hash = head_seq, head_hash
        self.checked = 0
        self.failure: Verification | None = None
        self.first_problem: tuple[int, str] | None = None
        self.gaps: list[Gap] = []
        self.missing = 0

    def feed(self, item: ChainedEntry) -> bool:
        """False once the chain is broken (``failure`` says where and why)."""
        if self.failure is not None:
            return False
        linked = True
        if item.seq > self._expected_seq:
            self._gap(self._expected_seq, item.seq - 1)
            linked = False
        elif item.seq != self._expected_seq:
            return self._broken(item.seq, "entry out of sequence")
        if linked and item.prev_hash != self._expected_prev:
            return self._broken(item.seq, "entry does not link to its predecessor")
        if chain_hash(item.prev_hash, item.seq, item.entry) != item.hash:
            return self._broken(item.seq, "entry content does not match its hash")
        self._expected_seq, self._expected_prev = item.seq + 1, item.hash
        self.checked += 1
        return True

    def result(self) -> Verification:
        if self.failure is not None:
            return self.failure
        if self._expected_seq - 1 < self._head_seq:
            self._gap(self._expected_seq, self._head_seq)
        elif self._expected_seq - 1 != self._head_seq or self._expected_prev != self._head_hash:
            self._broken(self._expected_seq, "entries missing at the end of the chain")
            assert self.failure is not None
            return self.failure
        if self.first_problem is not None:
            at, reason = self.first_problem
            return self._verification(False, at, reason)
        return self._verification(True, None, None)

    def _gap(self, first: int, last: int) -> None:
        at_end = last == self._head_seq
        reason = "entries missing at the end of the chain" if at_end else "entry missing (gap in sequence)"
        if self.first_problem is None:
            self.first_problem = (first, reason)
        if len(self.gaps) < MAX_GAPS_LISTED:
            self.gaps.append(Gap(first, last))
        self.missing += last - first + 1

    def _verification(self, ok: bool, at: int | None, reason: str | None) -> Verification:
        return Verification(
            ok,
            self.checked,
            self._head_seq,
            broken_at=at,
            reason=reason,
            gaps=tuple(self.gaps),
            missing=self.missing,
        )

    def _broken(self, at: int, reason: str) -> bool:
        if self.first_problem is not None and self.first_problem[0] < at:
            at, reason = self.first_problem
        self.failure = self._verification(False, at, reason)
        return False


def verify_chain(
    entries: Iterable[ChainedEntry], *, anchor_seq: int, anchor_hash: str, head_seq: int, head_hash: str
) -> Verification:
    verifier = ChainVerifier(anchor_seq=anchor_seq, anchor_hash=anchor_hash, head_seq=head_seq, head_hash=head_hash)
    for item in entries:
        if not verifier.feed(item):
            break
    return verifier.result()
