"""The audit journal's line format (pure): one answered request per line, numbered.

The gateway writes each answered request's entry to a local append-only journal before the
answer leaves; a sequencer drains the journal into the hash-chained trail in order. ``n``
numbers the journal's lines (1, 2, 3 … for the life of the journal): the trail's cursor says
how far it has taken them, so a line is chained exactly once, even across restarts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from labornet_gateway.domain.audit_chain import AuditEntry


class JournalCorrupt(ValueError):
    """A complete line that does not parse: the journal was damaged or edited."""


@dataclass(frozen=True)
class JournalLine:
    n: int
    entry: AuditEntry


def encode(line: JournalLine) -> bytes:
    values = asdict(line.entry)
    values["occurred_at"] = line.entry.occurred_at.isoformat()
    text = json.dumps({"n": line.n, "entry": values}, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8") + b"\n"


def decode(raw: bytes) -> JournalLine:
    try:
        record = json.loads(raw)
        values = dict(record["entry"])
        values["occurred_at"] = datetime.fromisoformat(values["occurred_at"])
        return JournalLine(int(record["n"]), AuditEntry(**values))
    except (ValueError, KeyError, TypeError) as exc:
        raise JournalCorrupt(f"unreadable journal line: {exc}") from None


def backlog(*, written_through: int, drained_through: int) -> int:
    """Answered requests in the journal not yet in the trail."""
    return max(0, written_through - drained_through)
