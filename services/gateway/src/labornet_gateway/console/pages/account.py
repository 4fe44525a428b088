"""Sign-in, sign-out and the home page that sends each role to its desk."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.security.auth import Role
from labornet_gateway.console.clients import auth
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import desks_for
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import (
    CSRF_FIELD,
    SessionDep,
    check_csrf,
    end_session,
    ensure_presession,
    safe_next,
    start_session,
)

router = APIRouter()


@router.get("/console/login")
async def login_form(request: Request, next: str = "") -> Response:
    ensure_presession(request)
    return page(request, "login.html", next=safe_next(next), username="", error="")


@router.post("/console/login")
async def login(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    next_path = safe_next(str(form.get("next") or ""))
    try:
        token = await auth.sign_in(Api(request), username=username, password=password)
    except ApiError as exc:
        ensure_presession(request)
        error = exc.title_zh or "登录失败"
        return page(request, "login.html", status_code=exc.status, next=next_path, username=username, error=error)
    response = redirect(next_path)
    start_session(request, response, token=token.access_token, expires_in=token.expires_in)
    return response


@router.post("/console/logout")
async def logout(request: Request, session: SessionDep) -> Response:
    check_csrf(request, (await request.form()).get(CSRF_FIELD))
    response = redirect("/console/login")
    end_session(request, response)
    return response


@router.get("/console/")
async def home(request: Request, session: SessionDep) -> Response:
    desks = desks_for(session.principal)
    working = [d for d in desks if d.working]
    if len(working) == 1 and not session.has_role(Role.admin):
        return redirect(working[0].url)
    return page(request, "home.html", session=session, desks=desks)


@router.get("/console")
async def console_root() -> Response:
    return redirect("/console/")
