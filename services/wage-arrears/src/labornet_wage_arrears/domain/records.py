"""The inspectors' own records about an employer: orders to pay and arrears incidents (pure Python).

Cases tell the desk what workers claim; these records tell it what the labour administration
did about it. The blacklist rule and the criminal referral read them: both the 拒不支付劳动报酬罪
(刑法 Art. 276-1: 经政府有关部门责令支付仍不支付) and the blacklist (人社部令第45号 Art. 5) need
a written order to pay that was served and left unpaid past its limit.

Records are folded from their events (contracts/wage_arrears.py), keyed by their own id, so the
picture rebuilt from the topics holds them too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from labornet_common.contracts import wage_arrears as wa
from labornet_common.contracts.events import EventData
from labornet_wage_arrears.domain.facts import iso
from labornet_wage_arrears.domain.keys import county_of, employer_key, project_key

ORDER, INCIDENT = "order", "incident"


@dataclass
class Order:
    """A 限期整改指令书 or 行政处理决定书 ordering the employer to pay (劳动保障监察条例 Art. 26)."""

    order_id: str
    region_code: str = ""
    employer_name: str = ""
    employer_uscc: str | None = None
    project: str | None = None
    document_number: str = ""
    kind: str = ""
    issued_on: str | None = None
    due_on: str | None = None
    amount_fen: int = 0
    worker_count: int = 0
    case_ids: list[str] = field(default_factory=list)
    issued_by: str = ""
    served_on: str | None = None
    service_method: str | None = None
    paid_total_fen: int = 0
    paid_on: str | None = None

    @property
    def unpaid_fen(self) -> int:
        return max(self.amount_fen - self.paid_total_fen, 0)

    @property
    def lapses_on(self) -> date | None:
        """The first day the order is overdue, when it was served and is not fully paid: the
        day after the limit (a limit ending on a given day runs to that day's end)."""
        if not (self.served_on and self.due_on and self.issued_on) or self.unpaid_fen == 0:
            return None
        return date.fromisoformat(self.due_on) + timedelta(days=1)

    def lapsed(self, today: date) -> bool:
        """Served, not fully paid, and the limit has passed (逾期未支付)."""
        lapses_on = self.lapses_on
        return lapses_on is not None and today >= lapses_on

    def as_of(self, today: date) -> dict[str, Any]:
        """The order with what follows from it on ``today``: unpaid amount, first overdue day, lapsed."""
        return {
            **asdict(self),
            "unpaid_fen": self.unpaid_fen,
            "lapses_on": iso(self.lapses_on),
            "lapsed": self.lapsed(today),
        }


@dataclass
class Incident:
    """A mass or extreme incident the arrears caused (人社部令第45号 Art. 5(二))."""

    incident_id: str
    region_code: str = ""
    employer_name: str = ""
    employer_uscc: str | None = None
    project: str | None = None
    kind: str = ""
    occurred_on: str | None = None
    serious_impact: bool = False
    workers_involved: int = 0
    description: str = ""
    case_ids: list[str] = field(default_factory=list)
    recorded_by: str = ""


Record = Order | Incident


def record_id(record: Record) -> str:
    return record.order_id if isinstance(record, Order) else record.incident_id


def kind_of(record: Record) -> str:
    return ORDER if isinstance(record, Order) else INCIDENT


def keys_of(record: Record) -> tuple[str, str, str]:
    """(employer key, county, project key): the subject the record belongs to."""
    key = employer_key(uscc=record.employer_uscc, name=record.employer_name, region_code=record.region_code)
    return key, county_of(record.region_code), project_key(record.project)


def to_row(record: Record) -> dict[str, Any]:
    return asdict(record)


def from_row(kind: str, row: dict[str, Any]) -> Record:
    cls = Order if kind == ORDER else Incident
    values = {k: v for k, v in row.items() if k in cls.__dataclass_fields__}
    values["case_ids"] = list(values.get("case_ids") or [])
    return cls(**values)


@dataclass(frozen=True)
class Records:
    """What the rules see of one employer's records in one region."""

    orders: tuple[Order, ...] = ()
    incidents: tuple[Incident, ...] = ()

    @classmethod
    def of(cls, records: list[Record]) -> Records:
        ordered = sorted(records, key=record_id)
        return cls(
            tuple(r for r in ordered if isinstance(r, Order)), tuple(r for r in ordered if isinstance(r, Incident))
        )

    def lapsed_orders(self, today: date) -> list[Order]:
        return [o for o in self.orders if o.lapsed(today)]


EMPTY = Records()


# -- folding record events ---------------------------------------------------------------------

RECORD_EVENTS: tuple[type[EventData], ...] = (
    wa.OrderToPayIssued,
    wa.OrderToPayServed,
    wa.OrderToPayPaid,
    wa.IncidentRecorded,
)


def id_of(event: EventData) -> str:
    return event.incident_id if isinstance(event, wa.IncidentRecorded) else event.order_id  # type: ignore[attr-defined]


def apply_record(record: Record | None, event: EventData) -> Record:
    """The record after the event. Every step only fills in or advances, so redelivery is a no-op."""
    if isinstance(event, wa.IncidentRecorded):
        return Incident(
            incident_id=event.incident_id,
            region_code=event.region_code,
            employer_name=event.employer_name,
            employer_uscc=event.employer_uscc,
            project=event.project,
            kind=event.kind,
            occurred_on=iso(event.occurred_on),
            serious_impact=event.serious_impact,
            workers_involved=event.workers_involved,
            description=event.description,
            case_ids=list(event.case_ids),
            recorded_by=event.recorded_by,
        )
    order = record if isinstance(record, Order) else Order(order_id=id_of(event))
    if isinstance(event, wa.OrderToPayIssued):
        order.region_code, order.employer_name, order.employer_uscc = (
            event.region_code,
            event.employer_name,
            event.employer_uscc,
        )
        order.project, order.document_number, order.kind = event.project, event.document_number, event.kind
        order.issued_on, order.due_on = iso(event.issued_on), iso(event.due_on)
        order.amount_fen, order.worker_count = event.amount_fen, event.worker_count
        order.case_ids, order.issued_by = list(event.case_ids), event.issued_by
    elif isinstance(event, wa.OrderToPayServed):
        if order.served_on is None:  # the first service counts; the time limit runs from the order
            order.served_on, order.service_method = iso(event.served_on), event.method
    elif isinstance(event, wa.OrderToPayPaid):
        if event.paid_total_fen >= order.paid_total_fen:
            order.paid_total_fen, order.paid_on = event.paid_total_fen, iso(event.paid_on)
    return order
