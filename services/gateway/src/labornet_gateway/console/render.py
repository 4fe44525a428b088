"""Rendering pages: templates shipped in the package, strict security headers on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from labornet_gateway.console import labels
from labornet_gateway.console.desks import desks_for
from labornet_gateway.console.session import CSRF_FIELD, csrf_token, remember_presession
from labornet_gateway.console.timeline import chinese_date

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(
    labels=labels,
    label=labels.label,
    division_name=labels.division_name,
    yuan=labels.yuan,
    csrf_field=CSRF_FIELD,
    desks_nav=desks_for,
    chinese_date=chinese_date,
)

# Only this origin's own files: no CDN, no inline script, no framing (clickjacking).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # Pages show personal data and one-time access codes: never kept in a shared cache.
    "Cache-Control": "no-store",
}


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("session", None)
    context["csrf_token"] = csrf_token(request)
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    remember_presession(request, response)
    return response


def redirect(url: str) -> RedirectResponse:
    # 303: after a POST the browser follows with a GET (no re-submission on reload).
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
