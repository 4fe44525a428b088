"""Forms of the inspectors' records (orders to pay, their service and payment, incidents): HTML
fields to the wage-arrears API's bodies, and its field errors back onto the form's fields.

As elsewhere the API validates; the console converts yuan to fen, splits the list of case ids,
turns a checkbox into a boolean and drops blank fields.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData

from labornet_common.security.auth import NATIONWIDE, Principal
from labornet_common.standards.divisions import divisions
from labornet_gateway.console.action_forms import blank_free, fen, text
from labornet_gateway.console.clients.base import ApiError
from labornet_gateway.console.forms import AMOUNT_TEXT

EMPLOYER_FIELDS = ("region_code", "employer_name", "employer_uscc", "project")
ORDER_FIELDS = (
    *EMPLOYER_FIELDS,
    "document_number",
    "kind",
    "issued_on",
    "due_on",
    "amount",
    "worker_count",
    "case_ids",
)
INCIDENT_FIELDS = (
    *EMPLOYER_FIELDS,
    "kind",
    "occurred_on",
    "serious_impact",
    "workers_involved",
    "description",
    "case_ids",
)
AMOUNT_FIELDS = ("amount", "paid_total")
_CASE_ID_SEPARATORS = re.compile(r"[\s,，、;；]+")
# What the API means by a 404 on a new record: the region is outside the caller's scopes.
OUT_OF_SCOPE_TEXT = "该行政区划不在您的管辖范围内，请选择本辖区的县（市、区）"
MAX_REGION_CHOICES = 300


def case_ids(value: str) -> list[str]:
    """Case ids one per line (or separated by commas): the cases the record concerns."""
    return [part for part in _CASE_ID_SEPARATORS.split(value) if part]


def _employer(form: FormData) -> dict[str, Any]:
    return {name: text(form, name) for name in EMPLOYER_FIELDS} | {"case_ids": case_ids(text(form, "case_ids"))}


def order_body(form: FormData) -> dict[str, Any]:
    amount = text(form, "amount")
    return blank_free(
        {
            **_employer(form),
            "document_number": text(form, "document_number"),
            "kind": text(form, "kind"),
            "issued_on": text(form, "issued_on"),
            "due_on": text(form, "due_on"),
            "amount_fen": fen(amount) if amount else None,
            "worker_count": text(form, "worker_count"),
        }
    )


def service_body(form: FormData) -> dict[str, Any]:
    return blank_free({"served_on": text(form, "served_on"), "method": text(form, "method")})


def payment_body(form: FormData) -> dict[str, Any]:
    total = text(form, "paid_total")
    return blank_free({"paid_on": text(form, "paid_on"), "paid_total_fen": fen(total) if total else None})


def incident_body(form: FormData) -> dict[str, Any]:
    return blank_free(
        {
            **_employer(form),
            "kind": text(form, "kind"),
            "occurred_on": text(form, "occurred_on"),
            "serious_impact": form.get("serious_impact") == "on",
            "workers_involved": text(form, "workers_involved"),
            "description": text(form, "description"),
        }
    )


def form_field(api_field: str) -> str:
    """The form's name for an API field: ``case_ids.2`` is the case-id box, ``amount_fen`` the
    amount in yuan."""
    return api_field.split(".", 1)[0].removesuffix("_fen")


def field_errors(exc: ApiError, form: FormData, *, new_record: bool = False) -> dict[str, str]:
    """The API's refusal on the form's fields, in Chinese; empty when it names no field."""
    if new_record and exc.status == 404:
        return {"region_code": OUT_OF_SCOPE_TEXT}
    shown: dict[str, str] = {}
    for api_field, message in exc.field_errors.items():
        name = form_field(api_field)
        typed = text(form, name)
        if name in AMOUNT_FIELDS and typed and isinstance(fen(typed), str):
            message = AMOUNT_TEXT  # not yuan as typed: the API's words would be about fen
        shown.setdefault(name, message)
    return shown


def yuan_input(amount_fen: int | None) -> str:
    """Fen as a form's amount box shows it: ``60000000`` -> ``600000.00``."""
    return "" if amount_fen is None else f"{amount_fen // 100}.{amount_fen % 100:02d}"


def from_alert(alert: dict[str, Any]) -> dict[str, str]:
    """A new record's form filled in from the alert it answers: the employer and its cases."""
    return {
        "region_code": alert.get("region_code") or "",
        "employer_name": alert.get("employer_name") or "",
        "employer_uscc": alert.get("employer_uscc") or "",
        "project": alert.get("project") or "",
        "case_ids": "\n".join(alert.get("case_ids") or []),
        "worker_count": str(alert.get("worker_count") or ""),
        "workers_involved": str(alert.get("worker_count") or ""),
        "amount": yuan_input(alert.get("amount_fen") or None),
    }


def region_choices(principal: Principal) -> list[tuple[str, str]]:
    """(6-digit code, name) of the cities and counties in the user's scopes, where records are
    issued (劳动保障监察条例 Art. 13); empty for a nationwide scope, whose form takes a typed code."""
    registry = divisions()
    found: dict[str, str] = {}
    for scope in principal.region_scopes:
        if scope == NATIONWIDE:
            return []
        top = registry.get(scope)
        pending = [top] if top is not None else []
        while pending and len(found) <= MAX_REGION_CHOICES:
            division = pending.pop(0)
            if division.level in ("city", "county"):
                found[division.code.ljust(6, "0")] = division.full_name
            if division.level in ("province", "city"):
                pending.extend(registry.children(division.code))
    return sorted(found.items()) if len(found) <= MAX_REGION_CHOICES else []
