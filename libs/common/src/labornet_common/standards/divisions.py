"""Administrative division codes: provinces, cities, counties and townships.

# GB/T 2260: 6-digit county codes = province 2 + city 2 + county 2; GB/T 10114: township 3 more.
Codes are held in their short canonical form: province ``41``, city ``4103``, county
``410311``, township ``410311001``. Padded forms are accepted on input (``410000``, ``410300``,
12-digit statistical codes ending in ``000``). The reference data (NBS 统计用区划代码 2023, see
``data/divisions/SOURCE.md``) is read on first use; the 41k townships only when first needed.
"""

from __future__ import annotations

import csv
import gzip
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from labornet_common.standards.errors import StandardError

Level = Literal["province", "city", "county", "township"]
LEVELS: tuple[Level, ...] = get_args(Level)
_LEVEL_BY_LENGTH: dict[int, Level] = {2: "province", 4: "city", 6: "county", 9: "township"}
_PARENT_LENGTH = {4: 2, 6: 4, 9: 6}
_CHILD_LENGTH = {2: 4, 4: 6}
# Padding that may follow a shorter code: 12 -> 9 (village 000), 9 -> 6, 6 -> 4, 4 -> 2.
_UNPADDED_LENGTH = {12: 9, 9: 6, 6: 4, 4: 2}
# cities.csv rows that only group counties (municipal districts, counties administered by the
# province); they keep the code hierarchy intact but are not part of anyone's address.
GROUPING_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "divisions"


class TownshipKind(StrEnum):
    """GB/T 10114 ranges of the 3-digit township part of a statistical division code."""

    SUBDISTRICT = "subdistrict"  # 001-099 街道
    TOWN = "town"  # 100-199 镇
    TOWNSHIP = "township"  # 200-399 乡 (including 民族乡 and 苏木)
    COMBINED = "combined"  # 400-599 政企合一 units: farms, forestry bureaus, development zones


_TOWNSHIP_RANGES = (
    (1, 99, TownshipKind.SUBDISTRICT),
    (100, 199, TownshipKind.TOWN),
    (200, 399, TownshipKind.TOWNSHIP),
    (400, 599, TownshipKind.COMBINED),
)


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: Level
    parent: str | None
    full_name: str  # e.g. "河南省 洛阳市 洛龙区", without grouping rows such as 市辖区


def canonical_forms(code: str) -> list[str]:
    """The short codes ``code`` may stand for, most specific first.

    ``410300`` -> ``['410300', '4103']``: a 6-digit code ending in 00 is usually a padded city,
    but 东莞 (441900) and a few other cities without counties are listed as counties ending in 00.
    """
    if not (isinstance(code, str) and code.isascii() and code.isdigit()):
        raise StandardError("division.malformed")
    if len(code) not in (2, 4, 6, 9, 12):
        raise StandardError("division.malformed")
    forms = [code] if len(code) in _LEVEL_BY_LENGTH else []
    while (shorter := _unpadded(code)) is not None:
        code = shorter
        forms.append(code)
    return forms


def _unpadded(code: str) -> str | None:
    length = _UNPADDED_LENGTH.get(len(code))
    if length is None or code[length:].strip("0"):
        return None
    return code[:length]


def is_within(code: str, prefix: str) -> bool:
    """Whether ``code`` lies inside the region scope ``prefix`` (e.g. ``4103`` or ``350102``)."""
    return _scope_form(code).startswith(_scope_form(prefix))


def _scope_form(code: str) -> str:
    forms = canonical_forms(code)
    return forms[-1] if forms else code  # a 12-digit village code is compared as it is


def township_kind(code: str) -> TownshipKind | None:
    """The GB/T 10114 kind of a 9-digit township code (or a 12-digit code's township part)."""
    canonical_forms(code)
    if len(code) not in (9, 12):
        raise StandardError("division.level", expected=["township"])
    number = int(code[6:9])
    for low, high, kind in _TOWNSHIP_RANGES:
        if low <= number <= high:
            return kind
    return None


class DivisionRegistry:
    """Look-ups over the shipped division list; loads its files lazily and only once."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self._data_dir = data_dir
        self._lock = threading.Lock()
        self._upper: dict[str, str] | None = None  # provinces, cities, counties: code -> name
        self._townships: dict[str, str] | None = None
        self._townships_by_county: dict[str, list[str]] = {}

    is_within = staticmethod(is_within)
    township_kind = staticmethod(township_kind)

    def get(self, code: str) -> Division | None:
        try:
            forms = canonical_forms(code)
        except StandardError:
            return None
        for form in forms:
            name = self._names(len(form)).get(form)
            if name is not None:
                return self._division(form, name)
        return None

    def exists(self, code: str) -> bool:
        return self.get(code) is not None

    def validate_division(self, code: str, *, levels: Iterable[Level] | None = None) -> Division:
        canonical_forms(code)  # raises division.malformed first
        division = self.get(code)
        if division is None:
            raise StandardError("division.unknown")
        accepted = _accepted_levels(levels)
        if division.level not in accepted:
            raise StandardError("division.level", expected=sorted(accepted), actual=division.level)
        return division

    def county_of(self, code: str) -> Division | None:
        """The county a county or township code belongs to; None above county level."""
        division = self.get(code)
        if division is None or division.level in ("province", "city"):
            return None
        return self.get(division.code[:6])

    def children(self, code: str) -> list[Division]:
        """Direct children in the code hierarchy (a municipality's child is its 市辖区 row)."""
        parent = self.get(code)
        if parent is None or parent.level == "township":
            return []
        if parent.level == "county":
            self._load_townships()
            child_codes = self._townships_by_county.get(parent.code, [])
        else:
            length = _CHILD_LENGTH[len(parent.code)]
            upper = self._load_upper()
            child_codes = [c for c in upper if len(c) == length and c.startswith(parent.code)]
        return [self._division(c, self._names(len(c))[c]) for c in child_codes]

    def search(
        self,
        name_fragment: str,
        within: str | None = None,
        *,
        levels: Iterable[Level] | None = None,
        limit: int = 50,
    ) -> list[Division]:
        """Divisions whose name contains ``name_fragment``, in code order."""
        needle = unicodedata.normalize("NFKC", name_fragment).strip()
        if not needle:
            return []
        scope = _scope_form(within) if within else ""
        accepted = _accepted_levels(levels)
        sources = [self._load_upper()]
        if "township" in accepted:
            sources.append(self._load_townships())
        found = [
            code
            for names in sources
            for code, name in names.items()
            if needle in name
            and name not in GROUPING_NAMES
            and code.startswith(scope)
            and _LEVEL_BY_LENGTH[len(code)] in accepted
        ]
        return [self._division(c, self._names(len(c))[c]) for c in sorted(found)[:limit]]

    def _division(self, code: str, name: str) -> Division:
        parent_length = _PARENT_LENGTH.get(len(code))
        return Division(
            code=code,
            name=name,
            level=_LEVEL_BY_LENGTH[len(code)],
            parent=code[:parent_length] if parent_length else None,
            full_name=self._full_name(code, name),
        )

    def _full_name(self, code: str, name: str) -> str:
        parts: list[str] = []
        for length in (2, 4, 6):
            ancestor = self._names(length).get(code[:length]) if length < len(code) else None
            # Skip grouping rows (北京市 市辖区) and repeats (广东省 东莞市 东莞市).
            if ancestor and ancestor not in GROUPING_NAMES and ancestor not in parts:
                parts.append(ancestor)
        if name not in parts:
            parts.append(name)
        return " ".join(parts)

    def _names(self, length: int) -> dict[str, str]:
        return self._load_townships() if length == 9 else self._load_upper()

    def _load_upper(self) -> dict[str, str]:
        if self._upper is None:
            with self._lock:
                if self._upper is None:
                    upper: dict[str, str] = {}
                    for filename in ("provinces.csv", "cities.csv", "areas.csv"):
                        upper.update(self._read(filename))
                    self._upper = upper
        return self._upper

    def _load_townships(self) -> dict[str, str]:
        if self._townships is None:
            with self._lock:
                if self._townships is None:
                    townships = self._read("streets.csv.gz")
                    for code in townships:
                        self._townships_by_county.setdefault(code[:6], []).append(code)
                    self._townships = townships
        return self._townships

    def _read(self, filename: str) -> dict[str, str]:
        path = self._data_dir / filename
        if filename.endswith(".gz"):
            handle = gzip.open(path, "rt", encoding="utf-8", newline="")
        else:
            handle = path.open(encoding="utf-8", newline="")
        with handle:
            return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def _accepted_levels(levels: Iterable[Level] | None) -> frozenset[str]:
    if levels is None:
        return frozenset(LEVELS)
    accepted = frozenset((levels,) if isinstance(levels, str) else levels)
    unknown = accepted - set(LEVELS)
    if unknown:
        raise ValueError(f"unknown division levels: {sorted(unknown)}")
    return accepted


@lru_cache(maxsize=1)
def divisions() -> DivisionRegistry:
    """The process-wide registry (its data is read once, on first use)."""
    return DivisionRegistry()
