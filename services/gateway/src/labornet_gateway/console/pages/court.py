"""The court liaison's workspace (裁审衔接): look a case up by its 案号, and the awards of the
court's jurisdiction with their service, suit and set-aside windows, the lawsuits and set-aside
applications the court has reported back (its signed callbacks) and what they did to the award.

Everything comes from the public API as the liaison: the court's look-up (``/court/cases``,
scoped to the court's regions) and the arbitration list, which the liaison reads but cannot act
on. The list is searched and filtered like every list, and exports to CSV and XLSX.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.security.auth import Role
from labornet_gateway.console import listing
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.labels import ARBITRATION_STATUSES
from labornet_gateway.console.render import page
from labornet_gateway.console.session import SessionDep

router = APIRouter()
COURT_ROLES = (Role.court_liaison, Role.admin)
LIST_PATH = "/api/v1/arbitration/applications"
# Awards and what became of them: the statuses the court's work touches (LDA Arts. 47-50).
AWARD_STATUSES = {k: ARBITRATION_STATUSES[k] for k in ("AWARDED", "EFFECTIVE", "IN_COURT", "SET_ASIDE")}
EFFECT_STATES = {
    "pending": "待生效（起诉期内）",
    "effective": "已生效",
    "set_aside_applied": "用人单位已申请撤销",
    "challenged_by_worker": "劳动者已起诉",
    "not_effective_in_court": "已诉至法院，未生效",
    "set_aside": "已被撤销",
}


def _award_filters(request: Request) -> dict[str, Any]:
    params = listing.filters(request)
    params.setdefault("status", list(AWARD_STATUSES))  # awards only, unless one status is chosen
    return params


async def _look_up(api: Api, case_number: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]], str]:
    """The case a 案号 names (court look-up) and its arbitration file(s); a message if none."""
    try:
        found = await api.get("/api/v1/court/cases", params={"case_number": case_number})
    except ApiError as exc:
        if exc.status == 404:
            return None, [], "本辖区内没有该案号的案件。"
        if exc.status == 422:
            return None, [], next(iter(exc.field_errors.values()), exc.title_zh)
        raise
    files = await listing.read_list(api, LIST_PATH, {"q": found["case_id"]})
    return found, [a for a in files.items if a["case_id"] == found["case_id"]], ""


@router.get("/console/court")
async def workspace(request: Request, session: SessionDep, case_number: str = "") -> Response:
    require_role(session, *COURT_ROLES)
    api = Api(request, session.token)
    found: dict[str, Any] | None = None
    files: list[dict[str, Any]] = []
    message = ""
    if case_number.strip():
        found, files, message = await _look_up(api, case_number.strip()[:100])
    view = await listing.read_list(api, LIST_PATH, _award_filters(request))
    return page(
        request,
        "court/workspace.html",
        session=session,
        case_number=case_number,
        found=found,
        files=files,
        message=message,
        view=view,
        awards=view.items,
        statuses=AWARD_STATUSES,
        effect_states=EFFECT_STATES,
    )


@router.get("/console/court/export")
async def export_awards(request: Request, session: SessionDep, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The awards as filtered on the page, as CSV or XLSX (noted in the trail of exports)."""
    require_role(session, *COURT_ROLES)
    return await listing.export(Api(request, session.token), LIST_PATH, _award_filters(request), format)
