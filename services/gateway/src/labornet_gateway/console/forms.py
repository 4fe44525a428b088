"""The window filing form: HTML form fields to the intake API's JSON body, and the API's field
errors back onto the form's fields.

Validation is the API's: the console converts (yuan to fen, blank to absent) and sends; what
the API refuses comes back by field, in Chinese, and is shown next to that field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from labornet_gateway.console.action_forms import fen

CLAIM_ROWS = 3
CLAIM_FIELDS = ("category", "amount", "period_from", "period_to", "description")
# A collective dispute's representatives (LDA Art. 7): three to five rows.
REP_ROWS = 5
REP_FIELDS = ("name", "id_number", "phone")
# When the complaint actually arrived (the clerk's record): a date, and optionally the time.
RECEIPT_FIELDS = ("received_on", "received_time")
TEXT_FIELDS = (
    "channel",
    "requested_route",
    "workplace_division",
    "worker_name",
    "worker_id_number",
    "worker_phone",
    "worker_count",
    "employer_name",
    "employer_uscc",
    "project",
    "facts",
)
_API_CLAIM_FIELD = re.compile(r"^claims\.(\d+)(?:\.(\w+))?$")
_API_REP_FIELD = re.compile(r"^representatives\.(\d+)(?:\.(\w+))?$")
_TIME = re.compile(r"^\d{2}:\d{2}$")
# Texts for API answers whose generic wording would puzzle a clerk on this form.
AMOUNT_TEXT = "金额应为数字，单位为元，最多两位小数"
PERIOD_TEXT = "起止日期有误：开始日期不能晚于结束日期"


@dataclass
class FilingForm:
    values: dict[str, str] = field(default_factory=dict)
    # claims[i] is the form row sent as the API's claims[i] (blank rows are not sent)
    sent_rows: list[int] = field(default_factory=list)
    sent_reps: list[int] = field(default_factory=list)  # likewise for representatives

    @classmethod
    def parse(cls, form: FormData) -> FilingForm:
        names = [
            *TEXT_FIELDS,
            *RECEIPT_FIELDS,
            *(f"claims.{i}.{f}" for i in range(CLAIM_ROWS) for f in CLAIM_FIELDS),
            *(f"representatives.{i}.{f}" for i in range(REP_ROWS) for f in REP_FIELDS),
        ]
        return cls(values={n: str(form.get(n) or "").strip() for n in names})

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {n: self.values[n] for n in TEXT_FIELDS if self.values.get(n)}
        body["claims"] = []
        self.sent_rows = []
        for row in range(CLAIM_ROWS):
            claim = self._claim(row)
            if claim:
                body["claims"].append(claim)
                self.sent_rows.append(row)
        if self.values.get("received_on"):
            body["received_at"] = self._received_at()
        body.update(self._representatives())
        return body

    def _received_at(self) -> str:
        """A date alone means that day; with a time, that time in China (the window's clock)."""
        day, at = self.values["received_on"], self.values.get("received_time", "")
        return f"{day}T{at}:00+08:00" if _TIME.match(at) else day

    def _representatives(self) -> dict[str, Any]:
        people, self.sent_reps = [], []
        for row in range(REP_ROWS):
            person = {f: self.values.get(f"representatives.{row}.{f}", "") for f in REP_FIELDS}
            if any(person.values()):
                people.append({k: v for k, v in person.items() if v})
                self.sent_reps.append(row)
        return {"representatives": people} if people else {}

    def _claim(self, row: int) -> dict[str, Any]:
        value = {f: self.values.get(f"claims.{row}.{f}", "") for f in CLAIM_FIELDS}
        if not any(value[f] for f in ("amount", "period_from", "period_to", "description")):
            return {}  # a row with only the default category chosen is an unused row
        claim: dict[str, Any] = {k: v for k, v in value.items() if v and k != "amount"}
        if value["amount"]:
            claim["amount_fen"] = fen(value["amount"])
        return claim

    def errors_by_field(self, api_errors: dict[str, str]) -> dict[str, str]:
        """API field names (``claims.0.amount_fen``) to this form's (``claims.2.amount``)."""
        shown: dict[str, str] = {}
        for name, text in api_errors.items():
            shown[self._form_field(name)] = self._text(name, text)
        return shown

    def _form_field(self, api_field: str) -> str:
        if api_field in ("received_at", "representatives"):
            return "received_on" if api_field == "received_at" else api_field
        rep = _API_REP_FIELD.match(api_field)
        if rep:
            index = int(rep.group(1))
            row = self.sent_reps[index] if index < len(self.sent_reps) else 0
            return f"representatives.{row}.{rep.group(2) or 'name'}"
        found = _API_CLAIM_FIELD.match(api_field)
        if not found:
            return api_field if api_field in TEXT_FIELDS else "form"
        index, part = int(found.group(1)), found.group(2)
        row = self.sent_rows[index] if index < len(self.sent_rows) else 0
        part = {"amount_fen": "amount", None: "period_to"}.get(part, part)
        return f"claims.{row}.{part}"

    @staticmethod
    def _text(api_field: str, text: str) -> str:
        if api_field.endswith(".amount_fen"):
            return AMOUNT_TEXT
        if _API_CLAIM_FIELD.match(api_field) and api_field.count(".") == 1:
            return PERIOD_TEXT
        return text
