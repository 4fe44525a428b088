"""The web console at /console: clerks, mediators, arbitrators, the wage-arrears desk (alerts,
orders to pay, incidents), and the workers' status page. Server-rendered (Jinja2), Chinese, no
script or style from elsewhere.

Every read and write goes through the public API as the signed-in user (clients/base.py), so
the services' scope and object checks and the gateway's audit trail apply unchanged.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from labornet_gateway.console.clients.base import ApiError
from labornet_gateway.console.desks import NotYourDesk
from labornet_gateway.console.pages import (
    account,
    admin_ops,
    alerts,
    arbitration,
    arbitration_documents,
    arbitrator_roster,
    clerk,
    complaint,
    court,
    mediation,
    mediation_practice,
    orders,
    reports,
    roster,
    status,
)
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CsrfRejected, SignInRequired, end_session, sign_in_url

STATIC_DIR = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)
for _pages in (
    account,
    admin_ops,
    alerts,
    arbitration,
    arbitration_documents,
    arbitrator_roster,
    clerk,
    complaint,
    court,
    mediation,
    mediation_practice,
    orders,
    reports,
    roster,
    status,
):
    router.include_router(_pages.router)


async def _sign_in_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    response = redirect(sign_in_url(exc.next_path))
    end_session(request, response)
    return response


CSRF_TEXT = "此操作被拒绝：表单已过期或来源不明，请返回重新打开页面后再提交。"
NOT_YOUR_DESK_TEXT = "您的账号没有使用此页面的权限。"


async def _refused(request: Request, exc: Exception) -> Response:
    message = CSRF_TEXT if isinstance(exc, CsrfRejected) else NOT_YOUR_DESK_TEXT
    return page(request, "error.html", status_code=403, message=message)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    if exc.status == 401:  # the token expired or was revoked mid-session
        return await _sign_in_required(request, SignInRequired(request.url.path))
    message = "未找到该案件，或您无权查看。" if exc.status == 404 else (exc.title_zh or "服务暂时不可用，请稍后再试。")
    return page(request, "error.html", status_code=exc.status, message=message)


def install(app: FastAPI) -> None:
    """Static files and the console's own error pages (see main.py)."""
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    app.add_exception_handler(SignInRequired, _sign_in_required)
    app.add_exception_handler(CsrfRejected, _refused)
    app.add_exception_handler(NotYourDesk, _refused)
    app.add_exception_handler(ApiError, _api_error)
