"""Search, filters and exports on the console's list pages, over the API's list parameters.

Each list page takes the API's own query parameters (``q``, ``status``, ``clock``, ``from``,
``to``, ``sort``), reads every page of the list (no silent cap) and offers the same filtered list
as CSV and XLSX through the API's ``/export`` sibling: the file holds exactly what the page
shows, masked as on screen, and each export lands in the gateway's trail of exports. What the
API refuses (an unknown status, a start date after the end date) is shown next to the filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from labornet_gateway.console.clients.base import Api, ApiError

FILTER_NAMES = ("q", "status", "clock", "from", "to", "sort", "centre")
EXPORT_HEADERS = ("content-type", "content-disposition", "x-export-rows", "x-export-list", "x-export-format")
PAGE_SIZE = 100


@dataclass
class ListView:
    """A list page's filters as asked, its rows and what the API refused."""

    params: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""

    def value(self, name: str) -> str:
        value = self.params.get(name, "")
        return value[0] if isinstance(value, list) else str(value)

    def chosen(self, name: str) -> list[str]:
        value = self.params.get(name, [])
        return value if isinstance(value, list) else [value]

    def query(self, **extra: Any) -> str:
        """The filters (and ``extra``) as a query string for a link."""
        return urlencode({**self.params, **extra}, doseq=True)


def filters(request: Request, *, defaults: dict[str, str] | None = None) -> dict[str, Any]:
    """The list parameters of the page's URL; empty ones left out; ``status`` repeatable."""
    out: dict[str, Any] = dict(defaults or {})
    for name in FILTER_NAMES:
        values = [v.strip() for v in request.query_params.getlist(name) if v.strip()]
        if not values:
            continue
        out[name] = values if name == "status" else values[0]
    return out


async def read_list(api: Api, path: str, params: dict[str, Any]) -> ListView:
    """Every item of the list at ``path`` with these filters, following the cursors."""
    view = ListView(params=params)
    query: dict[str, Any] = {**params, "limit": PAGE_SIZE}
    try:
        while True:
            page = await api.get(path, params=query)
            view.items.extend(page["items"])
            if not page.get("next_cursor"):
                return view
            query = {**query, "cursor": page["next_cursor"]}
    except ApiError as exc:
        if exc.status != 422:
            raise
        view.items = []
        view.errors = exc.field_errors
        view.message = exc.title_zh or "筛选条件有误，请修改后重试。"
        return view


async def export(api: Api, path: str, params: dict[str, Any], fmt: str) -> Response:
    """The filtered list at ``path`` as a file, from the API's export of that list."""
    response = await api.send("GET", f"{path}/export", params={**params, "format": fmt})
    if not response.is_success:
        raise ApiError.from_response(response)
    headers = {k: v for k, v in response.headers.items() if k.lower() in EXPORT_HEADERS}
    headers["cache-control"] = "no-store"
    return Response(response.content, status_code=200, headers=headers)
