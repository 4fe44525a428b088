"""Use cases of the inspectors' records: issue an order to pay, record its service and what was
paid, record an incident; and read them back through the caller's eyes.

Each command builds the event, applies it through the same fold the consumer uses (so the
employer's picture is refreshed in the same transaction) and writes it to the outbox. When the
event comes back from the topic, the fold finds nothing new and does nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from labornet_common.contracts import wage_arrears as wa
from labornet_common.contracts.events import EventData
from labornet_common.contracts.wage_arrears import OrderKind, ServiceMethod
from labornet_common.platform.clock import local_date
from labornet_common.platform.listing import ListQuery
from labornet_common.platform.problems import Conflict, InvalidInput, NotFound
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_wage_arrears.adapters import record_search, repository
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.domain.keys import employer_key
from labornet_wage_arrears.domain.policy import can_work
from labornet_wage_arrears.domain.records import ORDER, Incident, Order, Record
from labornet_wage_arrears.service.handlers import apply_record_event


@dataclass(frozen=True)
class NewOrder:
    """An order to pay (限期整改指令书 / 行政处理决定书) as the desk records it (the API checks the fields)."""

    region_code: str
    employer_name: str
    document_number: str
    kind: OrderKind
    issued_on: date
    due_on: date
    amount_fen: int
    worker_count: int
    employer_uscc: str | None = None
    project: str | None = None
    case_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OrderService:
    served_on: date
    method: ServiceMethod


@dataclass(frozen=True)
class OrderPayment:
    paid_on: date
    paid_total_fen: int


@dataclass(frozen=True)
class NewIncident:
    region_code: str
    employer_name: str
    kind: Literal["mass", "extreme"]
    occurred_on: date
    serious_impact: bool
    employer_uscc: str | None = None
    project: str | None = None
    workers_involved: int = 0
    description: str = ""
    case_ids: list[str] = field(default_factory=list)


_NAMESPACE = uuid.UUID("0b7e3c4e-8a0f-4d6e-9b1c-5f2a7d9e4c31")


def order_id_for(region_code: str, document_number: str) -> str:
    """One order per document number and issuing region: posting it twice records it once."""
    return str(uuid.uuid5(_NAMESPACE, f"order|{region_code}|{document_number.strip()}"))


def incident_id_for(body: NewIncident) -> str:
    """One incident per employer, day and kind: a second report of the same incident is the same one."""
    key = employer_key(uscc=body.employer_uscc, name=body.employer_name, region_code=body.region_code)
    return str(uuid.uuid5(_NAMESPACE, f"incident|{body.region_code}|{key}|{body.occurred_on}|{body.kind}"))


def _not_after_today(name: str, value: date, now: datetime) -> None:
    if value > local_date(now):
        raise InvalidInput.at(name, "wage_arrears.date_in_future")


def _check_reach(principal: Principal, region_code: str) -> None:
    # Recording for a region outside the caller's reach reads like any other unknown object.
    if not can_work(principal, region_code=region_code):
        raise NotFound()


async def _check_cases(uow: UnitOfWork, case_ids: list[str], region_code: str) -> None:
    """Named cases must be ones the desk knows, in the same county (a typo must not pass)."""
    if not case_ids:
        return
    known = await repository.case_regions(session=uow.session, case_ids=case_ids)
    for i, case_id in enumerate(case_ids):
        if known.get(case_id) != region_code[:6]:
            raise InvalidInput.at(f"case_ids.{i}", "wage_arrears.case_unknown")


async def _apply(uow: UnitOfWork, stream_id: str, event: EventData, *, now: datetime, book: RuleBook) -> bool:
    """Whether this call changed the record (False: it already said so)."""
    if await apply_record_event(uow=uow, event=event, now=now, book=book):
        uow.record(stream_id, event)
        return True
    return False


async def issue_order(
    *, uow: UnitOfWork, principal: Principal, body: NewOrder, now: datetime, book: RuleBook
) -> tuple[Order, bool]:
    """(the order, whether it is new). The same document posted again answers with the order;
    the same number with other content is a conflict."""
    _check_reach(principal, body.region_code)
    _not_after_today("issued_on", body.issued_on, now)
    if body.due_on < body.issued_on:
        raise InvalidInput.at("due_on", "wage_arrears.due_before_issue")
    order_id = order_id_for(body.region_code, body.document_number)
    event = wa.OrderToPayIssued(
        order_id=order_id,
        region_code=body.region_code,
        employer_name=body.employer_name.strip(),
        employer_uscc=body.employer_uscc,
        project=body.project,
        document_number=body.document_number.strip(),
        kind=body.kind,
        issued_on=body.issued_on,
        due_on=body.due_on,
        amount_fen=body.amount_fen,
        worker_count=body.worker_count,
        case_ids=body.case_ids,
        issued_by=principal.subject,
    )
    # A concurrent post of the same document may store it first, between the read below and the
    # insert (RecordTaken: try again and find it) or before the fold reads it (the fold changes
    # nothing): either way this post answers with the order already recorded, not as new.
    for attempt in (1, 2):
        try:
            async with uow:
                existing = await repository.get_record(session=uow.session, record_id=order_id, for_update=True)
                if existing is not None:
                    if not isinstance(existing, Order) or not _same_order(existing, event):
                        raise Conflict("wage_arrears.order_exists", extra={"order_id": order_id})
                    return existing, False
                await _check_cases(uow, body.case_ids, body.region_code)
                new = await _apply(uow, order_id, event, now=now, book=book)
                await uow.commit()
            break
        except repository.RecordTaken:
            if attempt == 2:
                raise
    return await _read_order(uow, order_id), new


def _same_order(order: Order, event: wa.OrderToPayIssued) -> bool:
    return (
        order.employer_name,
        order.employer_uscc,
        order.kind,
        order.issued_on,
        order.due_on,
        order.amount_fen,
        order.worker_count,
        sorted(order.case_ids),
    ) == (
        event.employer_name,
        event.employer_uscc,
        event.kind,
        event.issued_on.isoformat(),
        event.due_on.isoformat(),
        event.amount_fen,
        event.worker_count,
        sorted(event.case_ids),
    )


async def _order_for_update(uow: UnitOfWork, principal: Principal, order_id: str) -> Order:
    order = await repository.get_record(session=uow.session, record_id=order_id, for_update=True)
    if not isinstance(order, Order) or not can_work(principal, region_code=order.region_code):
        raise NotFound()
    return order


async def record_service(
    *, uow: UnitOfWork, principal: Principal, order_id: str, body: OrderService, now: datetime, book: RuleBook
) -> Order:
    """送达: the first service counts; recording the same service again changes nothing."""
    _not_after_today("served_on", body.served_on, now)
    async with uow:
        order = await _order_for_update(uow, principal, order_id)
        if body.served_on.isoformat() < (order.issued_on or ""):
            raise InvalidInput.at("served_on", "wage_arrears.served_before_issue")
        if order.served_on is not None and (order.served_on, order.service_method) != (
            body.served_on.isoformat(),
            body.method,
        ):
            raise Conflict("wage_arrears.already_served", extra={"served_on": order.served_on})
        event = wa.OrderToPayServed(
            order_id=order_id,
            region_code=order.region_code,
            served_on=body.served_on,
            method=body.method,
            recorded_by=principal.subject,
        )
        await _apply(uow, order_id, event, now=now, book=book)
        await uow.commit()
    return await _read_order(uow, order_id)


async def record_payment(
    *, uow: UnitOfWork, principal: Principal, order_id: str, body: OrderPayment, now: datetime, book: RuleBook
) -> Order:
    """What the employer has paid so far; the total never goes down (a correction is a new record
    by the administration, not an edit here)."""
    _not_after_today("paid_on", body.paid_on, now)
    async with uow:
        order = await _order_for_update(uow, principal, order_id)
        if body.paid_total_fen < order.paid_total_fen:
            raise InvalidInput.at("paid_total_fen", "wage_arrears.paid_total_decreases")
        if body.paid_on.isoformat() < (order.issued_on or ""):
            raise InvalidInput.at("paid_on", "wage_arrears.paid_before_issue")
        event = wa.OrderToPayPaid(
            order_id=order_id,
            region_code=order.region_code,
            paid_on=body.paid_on,
            paid_total_fen=body.paid_total_fen,
            recorded_by=principal.subject,
        )
        await _apply(uow, order_id, event, now=now, book=book)
        await uow.commit()
    return await _read_order(uow, order_id)


async def record_incident(
    *, uow: UnitOfWork, principal: Principal, body: NewIncident, now: datetime, book: RuleBook
) -> tuple[Incident, bool]:
    _check_reach(principal, body.region_code)
    _not_after_today("occurred_on", body.occurred_on, now)
    incident_id = incident_id_for(body)
    event = wa.IncidentRecorded(
        incident_id=incident_id,
        region_code=body.region_code,
        employer_name=body.employer_name.strip(),
        employer_uscc=body.employer_uscc,
        project=body.project,
        kind=body.kind,
        occurred_on=body.occurred_on,
        serious_impact=body.serious_impact,
        workers_involved=body.workers_involved,
        description=body.description,
        case_ids=body.case_ids,
        recorded_by=principal.subject,
    )
    new = False
    for attempt in (1, 2):  # as for orders: a concurrent post of the same incident stores it once
        try:
            async with uow:
                existing = await repository.get_record(session=uow.session, record_id=incident_id)
                await _check_cases(uow, body.case_ids, body.region_code)
                # A second report adds to the incident (it may change it) but is not a new one.
                new = await _apply(uow, incident_id, event, now=now, book=book) and existing is None
                await uow.commit()
            break
        except repository.RecordTaken:
            if attempt == 2:
                raise
    incident = await _read(uow, incident_id)
    assert isinstance(incident, Incident)
    return incident, new


async def _read(uow: UnitOfWork, record_id: str) -> Record | None:
    async with uow:
        return await repository.get_record(session=uow.session, record_id=record_id)


async def _read_order(uow: UnitOfWork, order_id: str) -> Order:
    order = await _read(uow, order_id)
    assert isinstance(order, Order)
    return order


# -- queries ----------------------------------------------------------------------------------


async def get_record(*, uow: UnitOfWork, principal: Principal, record_id: str, kind: str) -> Record | None:
    record = await _read(uow, record_id)
    wanted = Order if kind == ORDER else Incident
    if not isinstance(record, wanted) or not can_work(principal, region_code=record.region_code):
        return None
    return record


async def search_records(
    *,
    uow: UnitOfWork,
    principal: Principal,
    kind: str,
    region: str | None,
    employer_uscc: str | None,
    query: ListQuery,
) -> tuple[list[Record], str | None]:
    """A page of records of ``kind`` in scope. Orders: last changed first (``sort``: updated_desc,
    updated_asc; ``from``/``to`` on the day last changed). Incidents: the day they happened, newest
    first (``sort``: occurred_desc, occurred_asc, updated_desc, updated_asc; ``from``/``to`` on the
    day they happened). ``q`` finds the employer by its key (USCC, or the normalised name).
    Records carry no status or clock of their own to filter on."""
    async with uow:
        found, cursor = await record_search.record_page(
            session=uow.session,
            principal=principal,
            kind=kind,
            region=region,
            employer_uscc=employer_uscc,
            query=query,
        )
    return [r for r in found if can_work(principal, region_code=r.region_code)], cursor
