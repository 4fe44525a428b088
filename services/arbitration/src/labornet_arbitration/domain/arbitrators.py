"""The arbitrators of each commission (the 仲裁员名册): seed data shipped with the service."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROSTER_FILE = Path(__file__).resolve().parent.parent / "data" / "arbitrators.json"


@dataclass(frozen=True, slots=True)
class Arbitrator:
    id: str
    name: str
    commission_id: str
    subject: str | None  # the staff account that signs in as this arbitrator, if any


class Roster:
    def __init__(self, arbitrators: list[Arbitrator]) -> None:
        self.by_id = {a.id: a for a in arbitrators}

    def of_commission(self, commission_id: str) -> list[Arbitrator]:
        return [a for a in self.by_id.values() if a.commission_id == commission_id]

    def get(self, arbitrator_id: str) -> Arbitrator | None:
        return self.by_id.get(arbitrator_id)


@lru_cache(maxsize=1)
def roster() -> Roster:
    raw = json.loads(ROSTER_FILE.read_text(encoding="utf-8"))
    return Roster([Arbitrator(**a) for a in raw["arbitrators"]])
