"""Is a new filing the same complaint again, another worker's share of an open case, or new?

The worker is recognised by the blind index of the ID number (never the number itself); the
employer by its unified social credit code when known, else its normalised name and county.
A filing without an ID number cannot be told apart from someone else's, so it always opens a
case of its own, is never joined by later filings, and staff link it by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

OPEN_STATUSES = ("RECEIVED", "ROUTED", "FORWARDED")
# Brackets, spaces and punctuation people type differently: （洛阳）某公司 == (洛阳)某公司 == 洛阳 某公司.
_NOISE = re.compile(r"[\s()（）\[\]【】·.,，。、\-—_\"'“”]+")


def employer_key(*, name: str, uscc: str | None, county: str) -> str:
    if uscc:
        return f"uscc:{uscc}"
    folded = _NOISE.sub("", unicodedata.normalize("NFKC", name)).casefold()
    return f"name:{county[:6]}:{folded}"


@dataclass(frozen=True)
class OpenCase:
    case_id: str
    received_at: datetime
    worker_keys: frozenset[str]  # blind indexes of every worker on the case
    categories: frozenset[str]  # every claim category any filing on the case made


@dataclass(frozen=True)
class Match:
    case_id: str
    kind: str  # duplicate | grouped


def match(*, worker_key: str | None, categories: frozenset[str], open_cases: Iterable[OpenCase]) -> Match | None:
    """The oldest open case this filing belongs to (cases of the same employer only)."""
    if worker_key is None:
        return None
    ordered = sorted(open_cases, key=lambda c: (c.received_at, c.case_id))
    for case in ordered:
        # The same worker, nothing the case does not already cover: the same complaint again.
        if worker_key in case.worker_keys and categories <= case.categories:
            return Match(case.case_id, "duplicate")
    for case in ordered:
        # Another worker with a claim in common: one case (LDA Art. 7 when 10 or more).
        if worker_key not in case.worker_keys and categories & case.categories:
            return Match(case.case_id, "grouped")
    return None


COLLECTIVE_THRESHOLD = 10  # LDA Art. 7: ten or more workers with a common claim


def is_collective(worker_count: int, categories: frozenset[str]) -> bool:
    return worker_count >= COLLECTIVE_THRESHOLD and bool(categories)
