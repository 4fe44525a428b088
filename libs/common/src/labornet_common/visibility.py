"""SQL twin of ``Principal.can_see_case``, for list queries filtered to the caller's scope.

A list must never show what a read by id would refuse, so the clause mirrors the three rules
of ``can_see_case`` exactly (own cases for workers; assignment; division-code prefixes), and
the service's staff roles gate the last two the same way its policy gates reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, false, or_, true

from labornet_common.auth import NATIONWIDE, Principal, Role


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
            else:  # scopes are validated digit strings: nothing to escape in LIKE
                clauses.extend(column.like(f"{scope}%") for column in divisions)
    return or_(*clauses) if clauses else false()
