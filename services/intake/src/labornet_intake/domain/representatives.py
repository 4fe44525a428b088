"""Representatives of a collective dispute (pure).

LDA Art. 7: "劳动者一方在十人以上，并有共同请求的，可以推举代表参加调解、仲裁或者诉讼活动".
The arbitration rules fix how many: three to five (劳动人事争议仲裁办案规则 Art. 6). A case that
is not collective has no representatives; one that becomes collective as co-workers join gets
them later. ID numbers and phones are personal data: stored encrypted, read masked, never in
an event (events name the representatives only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from labornet_common.standards import mask_id_number, mask_phone

# 劳动人事争议仲裁办案规则 Art. 6: the workers choose three to five representatives.
MIN_REPRESENTATIVES, MAX_REPRESENTATIVES = 3, 5
FIELD = "representatives"


@dataclass(frozen=True)
class Representative:
    name: str
    id_number: str | None = None  # plaintext in memory only: stored encrypted
    phone: str | None = None

    def masked(self) -> Representative:
        return replace(
            self,
            id_number=mask_id_number(self.id_number) if self.id_number else None,
            phone=mask_phone(self.phone) if self.phone else None,
        )

    @property
    def key(self) -> str:
        """Who this is: the ID number when given, else the name."""
        return f"id:{self.id_number}" if self.id_number else f"name:{self.name.strip()}"


def problems(chosen: Sequence[Representative], *, collective: bool) -> list[tuple[str, str]]:
    """(field, message code) for representatives this case may not have as given."""
    if not chosen:
        return []
    if not collective:
        return [(FIELD, "representatives.not_collective")]  # LDA Art. 7
    found = []
    if not MIN_REPRESENTATIVES <= len(chosen) <= MAX_REPRESENTATIVES:
        found.append((FIELD, "representatives.count"))  # 办案规则 Art. 6
    seen: set[str] = set()
    for index, person in enumerate(chosen):
        if not person.name.strip():
            found.append((f"{FIELD}.{index}.name", "representatives.name_required"))
        elif person.key in seen:
            found.append((f"{FIELD}.{index}", "representatives.duplicate"))
        seen.add(person.key)
    return found


def names(chosen: Sequence[Representative]) -> list[str]:
    return [person.name.strip() for person in chosen]


def describe(chosen: Sequence[Representative]) -> str:
    """The line in the case's history (names only: the history is the worker's page)."""
    return f"劳动者推举代表：{'、'.join(names(chosen))}（劳动争议调解仲裁法第七条）"
