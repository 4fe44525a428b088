"""Forms of the mediator's and arbitrator's actions: HTML fields to API bodies.

As with filing, the API validates; the console only converts what a form cannot say in JSON
(yuan to fen, a local date-time to one with Beijing's offset) and drops blank fields.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from starlette.datastructures import FormData

from labornet_common.contracts.mediation import NON_MONETARY_ITEMS

BEIJING_OFFSET = "+08:00"  # the console's users schedule in China Standard Time
TERM_ROWS = 3
TERM_FIELDS = ("payer", "payee", "item", "amount", "description", "due_on")
_YUAN = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
_LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")
_OUTCOME_FIELD = re.compile(r"^items\.(\d{1,2})\.outcome$")


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
        if not term["amount"] and not term["due_on"] and not term["description"]:
            continue  # an unused row
        amount = term.pop("amount")
        # One list of items: a non-monetary obligation (恢复劳动关系…) makes a non-monetary term.
        kind = "non_monetary" if term["item"] in NON_MONETARY_ITEMS else "monetary"
        terms.append(blank_free({**term, "kind": kind, "amount_fen": fen(amount) if amount else None}))
    return blank_free(
        {
            "terms": terms,
            "signed_and_sealed": form.get("signed_and_sealed") == "on",
            "effective_on": text(form, "effective_on"),
        }
    )


def performance_rows(form: FormData) -> list[str]:
    """The rows (one per term) given an outcome, in the form's order; rows left at "未记录" are not sent."""
    rows = [m.group(1) for key in form if (m := _OUTCOME_FIELD.match(key))]
    return [row for row in rows if text(form, f"items.{row}.outcome") in ("performed", "breached")]


def performance_body(form: FormData) -> dict[str, Any]:
    items = []
    for row in performance_rows(form):
        breached = text(form, f"items.{row}.outcome") == "breached"
        unpaid = text(form, f"items.{row}.unpaid") if breached else ""
        items.append(
            blank_free(
                {
                    "term_no": text(form, f"items.{row}.term_no"),
                    "outcome": text(form, f"items.{row}.outcome"),
                    "unpaid_fen": fen(unpaid) if unpaid else None,
                    "not_done": text(form, f"items.{row}.not_done") if breached else "",
                }
            )
        )
    return {"items": items}


def rows_renamed(errors: dict[str, Any], rows: list[str]) -> dict[str, Any]:
    """The API names ``items.1`` the second term sent: on the form that is the row it came from."""
    renamed = {}
    for name, error in errors.items():
        parts = name.split(".")
        if parts[0] == "items" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
            parts[1] = rows[int(parts[1])]
        renamed[".".join(parts)] = error
    return renamed


def form_field(api_field: str) -> str:
    """The form's name for an API field: ``terms.0.amount_fen`` is the ``terms.0.amount`` box."""
    return api_field.removesuffix("_fen")
