"""SQL twin of ``Principal.can_see_case``, for list queries filtered to the caller's scope.

A list must never show what a read by id would refuse, so the clause mirrors the three rules
of ``can_see_case`` exactly (own cases for workers; assignment; division-code prefixes), and
the service's staff roles gate the last two the same way its policy gates reads.

A division-code prefix is matched as a range (``code >= '4103' AND code < '4104'``), never as
``LIKE '4103%'``: PostgreSQL turns a LIKE prefix into an index range only under the C collation
(the databases run under C.UTF-8), and SQLite only with case-sensitive LIKE, so a LIKE filter
scans the table. A range uses the column's plain btree index on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from labornet_common.security.auth import NATIONWIDE, Principal, Role

_DIGITS = re.compile(r"[0-9]*")


def _after_prefix(prefix: str) -> str | None:
    """The least digit string above every code that starts with ``prefix`` ("4109" -> "411",
    "4199" -> "42"); None when there is none ("99")."""
    head = prefix.rstrip("9")
    return head[:-1] + str(int(head[-1]) + 1) if head else None


def division_prefix(column: ColumnElement[Any], prefix: str) -> ColumnElement[bool]:
    """Rows whose division code (GB/T 2260 digits) starts with ``prefix``, as a range that a
    btree index on ``column`` serves under any collation (see the module's note on LIKE)."""
    if not _DIGITS.fullmatch(prefix):
        raise ValueError(f"a division prefix is digits only: {prefix!r}")
    if not prefix:
        return true()
    upper = _after_prefix(prefix)
    return column >= prefix if upper is None else and_(column >= prefix, column < upper)


def visible_cases(
    principal: Principal,
    *,
    staff_roles: Iterable[Role],
    case_id: ColumnElement[Any],
    divisions: Sequence[ColumnElement[Any]],
    assigned_to: ColumnElement[Any] | None = None,
) -> ColumnElement[Any]:
    clauses: list[ColumnElement[Any]] = []
    if Role.worker in principal.roles and principal.case_ids:
        clauses.append(case_id.in_(sorted(principal.case_ids)))
    if principal.has_role(*staff_roles):
        if assigned_to is not None:
            clauses.append(assigned_to == principal.subject)
        for scope in principal.region_scopes:
            if scope == NATIONWIDE:
                clauses.append(true())
            else:
                clauses.extend(division_prefix(column, scope) for column in divisions)
    return or_(*clauses) if clauses else false()
