"""Case events for wage-arrears tests and the benchmark: builders with the law's numbers as
defaults, and a way to deliver them as the producers would (CloudEvents, per-case sequence)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from labornet_common.contracts import arbitration as arb
from labornet_common.contracts import court
from labornet_common.contracts import intake as it
from labornet_common.contracts import mediation as med
from labornet_common.contracts import wage_arrears as wa
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import Envelope, EventData, KafkaRecord, new_event_id, to_kafka

LUOYANG = "410311"  # 洛龙区
GULOU = "350102"
USCC = "91350100M000100Y43"  # GB 32100 check digit verified (domain-rules.md §6)
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
AFTER_LIMITS = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)  # every order's limit below has run out by then


def wages(amount_fen: int, start: date | None = None, end: date | None = None) -> ClaimSummary:
    return ClaimSummary(category="labor_remuneration", amount_fen=amount_fen, period_from=start, period_to=end)


def complaint(
    case_id: str,
    *,
    at: datetime = T0,
    region: str = LUOYANG,
    employer: str = "洛阳某建筑工程有限公司",
    uscc: str | None = None,
    project: str | None = None,
    workers: int = 1,
    claims: list[ClaimSummary] | None = None,
    police: bool = False,
    **extra: Any,
) -> it.ComplaintReceived:
    return it.ComplaintReceived(
        case_id=case_id,
        tracking_number=f"{region}-{case_id}",
        channel="police_110" if police else "online",
        received_at=at,
        region_code=region,
        workplace_division=region,
        employer_name=employer,
        employer_uscc=uscc,
        project=project,
        worker_count=workers,
        collective=workers >= 10,
        claims=claims if claims is not None else [wages(1_000_000)],
        police_linked=police,
        **extra,
    )


def joined(case_id: str, *, workers: int, claims: list[ClaimSummary], region: str = LUOYANG) -> it.ComplaintJoined:
    return it.ComplaintJoined(
        case_id=case_id,
        filing_id=str(uuid.uuid4()),
        kind="grouped",
        region_code=region,
        worker_count=workers,
        collective=workers >= 10,
        claims=claims,
    )


def closed(case_id: str, *, region: str = LUOYANG, on: date = date(2026, 11, 3)) -> it.ComplaintClosed:
    return it.ComplaintClosed(case_id=case_id, region_code=region, reason="劳动者撤回投诉", closed_on=on)


def agreement(
    case_id: str,
    agreement_id: str,
    total_fen: int,
    *,
    region: str = LUOYANG,
    employer: str = "",
    uscc: str | None = None,
) -> med.MediationAgreementReached:
    term = med.AgreementTerm(
        payer="employer", payee="worker", item="labor_remuneration", amount_fen=total_fen, due_on=date(2026, 11, 30)
    )
    return med.MediationAgreementReached(
        case_id=case_id,
        division_code=region,
        agreement_id=agreement_id,
        effective_on=date(2026, 11, 16),
        terms=[term],
        total_fen=total_fen,
        employer_name=employer,
        employer_uscc=uscc,
    )


def breached(case_id: str, agreement_id: str, unpaid_fen: int, *, region: str = LUOYANG) -> med.AgreementBreached:
    return med.AgreementBreached(
        case_id=case_id,
        division_code=region,
        agreement_id=agreement_id,
        unpaid_fen=unpaid_fen,
        recorded_on=date(2026, 12, 1),
    )


def award(case_id: str, case_number: str, granted_fen: int, *, region: str = LUOYANG) -> arb.AwardIssued:
    item = arb.AwardItem(category="labor_remuneration", amount_fen=granted_fen, granted=True, final=True)
    return arb.AwardIssued(
        case_id=case_id,
        division_code=region,
        case_number=case_number,
        commission_id="c1",
        issued_on=date(2026, 12, 10),
        kind="award",
        items=[item],
        total_granted_fen=granted_fen,
    )


def effective(case_id: str, case_number: str, *, region: str = LUOYANG) -> arb.AwardEffective:
    return arb.AwardEffective(
        case_id=case_id, division_code=region, case_number=case_number, effective_on=date(2026, 12, 10)
    )


def enforcement(case_id: str) -> court.EnforcementApplied:
    return court.EnforcementApplied(
        case_id=case_id, court_name="洛阳市洛龙区人民法院", occurred_on=date(2027, 1, 5), callback_id=str(uuid.uuid4())
    )


def order(
    order_id: str,
    *,
    amount_fen: int,
    workers: int = 1,
    due: date = date(2026, 11, 30),
    issued: date = date(2026, 11, 16),
    region: str = LUOYANG,
    employer: str = "洛阳某建筑工程有限公司",
    uscc: str | None = None,
    case_ids: list[str] | None = None,
) -> wa.OrderToPayIssued:
    """A 限期整改指令书 of the county's labour inspection (劳动保障监察条例 Art. 26)."""
    return wa.OrderToPayIssued(
        order_id=order_id,
        region_code=region,
        employer_name=employer,
        employer_uscc=uscc,
        document_number=f"洛龙人社监令〔2026〕{order_id}号",
        kind="rectification_instruction",
        issued_on=issued,
        due_on=due,
        amount_fen=amount_fen,
        worker_count=workers,
        case_ids=case_ids or [],
    )


def served(
    order_id: str, on: date = date(2026, 11, 17), *, method: str = "direct", region: str = LUOYANG
) -> wa.OrderToPayServed:
    return wa.OrderToPayServed(order_id=order_id, region_code=region, served_on=on, method=method)  # type: ignore[arg-type]


def paid(order_id: str, total_fen: int, on: date = date(2026, 11, 25), *, region: str = LUOYANG) -> wa.OrderToPayPaid:
    return wa.OrderToPayPaid(order_id=order_id, region_code=region, paid_on=on, paid_total_fen=total_fen)


def incident(
    incident_id: str,
    *,
    serious: bool = True,
    kind: Literal["mass", "extreme"] = "mass",
    region: str = LUOYANG,
    employer: str = "洛阳某建筑工程有限公司",
    uscc: str | None = None,
) -> wa.IncidentRecorded:
    return wa.IncidentRecorded(
        incident_id=incident_id,
        region_code=region,
        employer_name=employer,
        employer_uscc=uscc,
        kind=kind,
        occurred_on=date(2026, 11, 20),
        serious_impact=serious,
        workers_involved=30,
    )


def record_key(event: EventData) -> str:
    """The stream an event belongs to: its case, or its order or incident."""
    for name in ("case_id", "order_id", "incident_id"):
        if (value := getattr(event, name, None)) is not None:
            return str(value)
    raise ValueError(f"{type(event).__name__} names no case, order or incident")


@dataclass
class Stream:
    """Numbers events per (source, case) exactly as the producers' outboxes do."""

    sequences: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def envelope(self, event: EventData, *, case_id: str | None = None) -> Envelope:
        case = case_id or record_key(event)
        producer = event.topic.split(".")[0]
        source = "/labornet/" + ("gateway" if producer == "court" else producer)  # court callbacks
        self.sequences[(source, case)] += 1
        return Envelope(
            id=new_event_id(),
            type=event.event_type,
            source=source,
            subject=case,
            data=event.model_dump(mode="json"),
            sequence=self.sequences[(source, case)],
        )

    def record(self, event: EventData) -> tuple[str, KafkaRecord]:
        return event.topic, to_kafka(self.envelope(event))


def scenario(cases: int = 60, *, run: str = "", employers: int = 6) -> list[EventData]:
    """A mixed, deterministic stream: six employers (three by USCC-less name) in two regions,
    with collective, 110-linked, repeated and crime-band complaints, breached agreements, awards
    taken to enforcement, and orders to pay left unpaid with an incident (their limit has run out
    by ``AFTER_LIMITS``). Nothing is withdrawn, so no finding depends on arrival order.
    ``run`` prefixes case ids and employer names, so runs sharing a broker stay apart;
    ``employers`` spreads the cases over more employers (the benchmark's larger streams)."""
    from datetime import timedelta

    events: list[EventData] = []
    names = ["甲建筑公司", "乙劳务公司", "丙餐饮店", "丁物业公司", "戊电子厂", "己装修队"]
    for n in range(cases):
        k = n % employers
        case_id, employer = f"{run}case-{n:04d}", f"{run}{names[k % 6]}{k // 6 or ''}"
        region = LUOYANG if n % 3 else GULOU
        workers = 12 if n % 7 == 0 else 1
        claim = wages(150_000 * workers + 1_000 * n, date(2026, 6, 1), date(2026, 9, 30))
        events.append(
            complaint(
                case_id,
                at=T0 + timedelta(days=n % 40),
                region=region,
                employer=employer,
                project="安置房" if n % 2 else None,
                workers=workers,
                claims=[claim],
                police=n % 11 == 0,
            )
        )
        if n % 5 == 0:
            events += [
                agreement(case_id, f"a{n}", 300_000, region=region),
                breached(case_id, f"a{n}", 100_000 + n, region=region),
            ]
        if n % 8 == 0:
            number = f"洛劳人仲案字〔2026〕第{n}号"
            events += [
                award(case_id, number, 400_000, region=region),
                effective(case_id, number, region=region),
                enforcement(case_id),
            ]
    # The inspectors' records: an order against the first employer left unpaid past its limit (ten
    # and more workers, over the Art. 3(二) figure), and a serious mass incident at the second.
    first, second = f"{run}{names[0]}", f"{run}{names[1 % employers % 6]}"
    events += [
        order(f"{run}order-1", amount_fen=4_000_000, workers=12, employer=first),
        served(f"{run}order-1"),
        paid(f"{run}order-1", 500_000),
        order(f"{run}order-2", amount_fen=200_000, workers=3, employer=second),
        served(f"{run}order-2"),
        incident(f"{run}incident-1", employer=second),
    ]
    return events
