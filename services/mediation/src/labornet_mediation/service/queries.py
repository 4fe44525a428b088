"""Reading mediation cases through the caller's eyes: out of reach is the same as missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from labornet_common.auth import Principal
from labornet_common.pagination import Cursor, PageRequest
from labornet_common.uow import UnitOfWork
from labornet_mediation.adapters import repository
from labornet_mediation.domain import policy


@dataclass(frozen=True)
class CasePage:
    items: list[dict[str, Any]]
    next_cursor: str | None


def _readable(principal: Principal, case: dict[str, Any]) -> bool:
    return policy.can_read(
        principal,
        case_id=case["case_id"],
        division_code=case["division_code"],
        assigned_to=case["assigned_to"],
    )


async def get_case(*, uow: UnitOfWork, principal: Principal, case_id: str) -> dict[str, Any] | None:
    async with uow:
        row = await repository.get(session=uow.session, case_id=case_id)
    case = None if row is None else dict(row._mapping)
    return case if case is not None and _readable(principal, case) else None


async def list_cases(*, uow: UnitOfWork, principal: Principal, page: PageRequest) -> CasePage:
    async with uow:
        rows = [dict(r._mapping) for r in await repository.list_visible(
            session=uow.session, principal=principal, page=page
        )]
    items = [case for case in rows[: page.limit] if _readable(principal, case)]
    last = rows[page.limit - 1] if len(rows) > page.limit else None
    cursor = Cursor(at=last["opened_at"], id=last["case_id"]).encode() if last else None
    return CasePage(items=items, next_cursor=cursor)
