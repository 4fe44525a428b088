"""Forms of the mediator's and arbitrator's actions: HTML fields to API bodies.

As with filing, the API validates; the console only converts what a form cannot say in JSON
(yuan to fen, a local date-time to one with Beijing's offset) and drops blank fields.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from starlette.datastructures import FormData

BEIJING_OFFSET = "+08:00"  # the console's users schedule in China Standard Time
TERM_ROWS = 3
TERM_FIELDS = ("payer", "payee", "item", "amount", "due_on")
_YUAN = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
_LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def text(form: FormData, name: str) -> str:
    return str(form.get(name) or "").strip()


def fen(amount: str) -> int | str:
    """Yuan as typed to fen; anything else is passed on as typed so the API names the field."""
    amount = amount.replace(",", "")
    return int(Decimal(amount) * 100) if _YUAN.match(amount) else amount


def beijing_time(value: str) -> str:
    """``2026-11-25T09:30`` from a datetime-local input, as 09:30 in Beijing."""
    return value + BEIJING_OFFSET if _LOCAL_DATETIME.match(value) else value


def blank_free(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v not in ("", None)}


def session_body(form: FormData) -> dict[str, Any]:
    return blank_free({"starts_at": beijing_time(text(form, "starts_at")), "place": text(form, "place")})


def failure_body(form: FormData) -> dict[str, Any]:
    return blank_free({"reason": text(form, "reason"), "note": text(form, "note")})


def agreement_body(form: FormData) -> dict[str, Any]:
    terms = []
    for row in range(TERM_ROWS):
        term = {f: text(form, f"terms.{row}.{f}") for f in TERM_FIELDS}
        if not term["amount"] and not term["due_on"]:
            continue  # an unused row
        amount = term.pop("amount")
        terms.append(blank_free({**term, "amount_fen": fen(amount) if amount else None}))
    return blank_free({
        "terms": terms,
        "signed_and_sealed": form.get("signed_and_sealed") == "on",
        "effective_on": text(form, "effective_on"),
    })


def form_field(api_field: str) -> str:
    """The form's name for an API field: ``terms.0.amount_fen`` is the ``terms.0.amount`` box."""
    return api_field.removesuffix("_fen")
