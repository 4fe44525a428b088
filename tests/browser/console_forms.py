"""Driving the console's forms over HTTP, as a browser would: the CSRF token of a page, and
signing in with a demo account."""

from __future__ import annotations

import re

import httpx

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text
    return found.group(1)


async def sign_in(console: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    form = await console.get("/console/login")
    return await console.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(form), "next": "/console/"},
    )
