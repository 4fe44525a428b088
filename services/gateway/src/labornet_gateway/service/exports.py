"""Noting each list export in the trail of exports (see adapters.export_log)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from labornet_common.contracts.events import new_event_id, utcnow
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_gateway.adapters import export_log

# Paging and the file type are not filters: the trail keeps what narrowed the list.
NOT_FILTERS = {"cursor", "limit", "format"}


def filters_of(params: list[tuple[str, str]]) -> dict[str, Any]:
    """The query string's filters; a repeated parameter (``status``) as a list."""
    out: dict[str, Any] = {}
    for name, value in params:
        if name in NOT_FILTERS:
            continue
        if name in out:
            out[name] = [*out[name], value] if isinstance(out[name], list) else [out[name], value]
        else:
            out[name] = value
    return out


async def record_export(
    *,
    uow: UnitOfWork,
    principal: Principal | None,
    list_name: str,
    route: str,
    params: list[tuple[str, str]],
    fmt: str,
    rows: int,
    request_id: str,
) -> None:
    async with uow:
        await export_log.record(
            uow.session,
            export_id=new_event_id(),
            occurred_at=utcnow(),
            subject=(principal.subject if principal else "anonymous")[:200],
            roles=",".join(sorted(principal.roles))[:200] if principal else "",
            list_name=list_name[:80],
            route=route[:300],
            filters=filters_of(params),
            format=fmt[:10],
            rows=rows,
            request_id=request_id[:64],
        )
        await uow.commit()


async def recent_exports(
    *, uow: UnitOfWork, limit: int, before: datetime | None, subject: str | None
) -> list[dict[str, Any]]:
    async with uow:
        return await export_log.recent(uow.session, limit=limit, before=before, subject=subject)
