"""Case events for wage-arrears tests and the benchmark: builders with the law's numbers as
defaults, and a way to deliver them as the producers would (CloudEvents, per-case sequence)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from labornet_common.contracts import arbitration as arb
from labornet_common.contracts import court
from labornet_common.contracts import intake as it
from labornet_common.contracts import mediation as med
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.events import Envelope, EventData, KafkaRecord, new_event_id, to_kafka

LUOYANG = "410311"  # 洛龙区
GULOU = "350102"
USCC = "91350100M000100Y43"  # GB 32100 check digit verified (domain-rules.md §6)
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def wages(amount_fen: int, start: date | None = None, end: date | None = None) -> ClaimSummary:
    return ClaimSummary(category="labor_remuneration", amount_fen=amount_fen, period_from=start, period_to=end)


def complaint(case_id: str, *, at: datetime = T0, region: str = LUOYANG, employer: str = "洛阳某建筑工程有限公司",
              uscc: str | None = None, project: str | None = None, workers: int = 1,
              claims: list[ClaimSummary] | None = None, police: bool = False, **extra: Any) -> it.ComplaintReceived:
    return it.ComplaintReceived(
        case_id=case_id, tracking_number=f"{region}-{case_id}", channel="police_110" if police else "online",
        received_at=at, region_code=region, workplace_division=region, employer_name=employer,
        employer_uscc=uscc, project=project, worker_count=workers, collective=workers >= 10,
        claims=claims if claims is not None else [wages(1_000_000)], police_linked=police, **extra,
    )


def joined(case_id: str, *, workers: int, claims: list[ClaimSummary], region: str = LUOYANG) -> it.ComplaintJoined:
    return it.ComplaintJoined(case_id=case_id, filing_id=str(uuid.uuid4()), kind="grouped", region_code=region,
                              worker_count=workers, collective=workers >= 10, claims=claims)


def agreement(case_id: str, agreement_id: str, total_fen: int, *, region: str = LUOYANG,
              employer: str = "", uscc: str | None = None) -> med.MediationAgreementReached:
    term = med.AgreementTerm(payer="employer", payee="worker", item="labor_remuneration", amount_fen=total_fen,
                             due_on=date(2026, 11, 30))
    return med.MediationAgreementReached(case_id=case_id, division_code=region, agreement_id=agreement_id,
                                         effective_on=date(2026, 11, 16), terms=[term], total_fen=total_fen,
                                         employer_name=employer, employer_uscc=uscc)


def breached(case_id: str, agreement_id: str, unpaid_fen: int, *, region: str = LUOYANG) -> med.AgreementBreached:
    return med.AgreementBreached(case_id=case_id, division_code=region, agreement_id=agreement_id,
                                 unpaid_fen=unpaid_fen, recorded_on=date(2026, 12, 1))


def award(case_id: str, case_number: str, granted_fen: int, *, region: str = LUOYANG) -> arb.AwardIssued:
    item = arb.AwardItem(category="labor_remuneration", amount_fen=granted_fen, granted=True, final=True)
    return arb.AwardIssued(case_id=case_id, division_code=region, case_number=case_number, commission_id="c1",
                           issued_on=date(2026, 12, 10), kind="award", items=[item], total_granted_fen=granted_fen)


def effective(case_id: str, case_number: str, *, region: str = LUOYANG) -> arb.AwardEffective:
    return arb.AwardEffective(case_id=case_id, division_code=region, case_number=case_number,
                              effective_on=date(2026, 12, 10))


def enforcement(case_id: str) -> court.EnforcementApplied:
    return court.EnforcementApplied(case_id=case_id, court_name="洛阳市洛龙区人民法院", occurred_on=date(2027, 1, 5),
                                    callback_id=str(uuid.uuid4()))


@dataclass
class Stream:
    """Numbers events per (source, case) exactly as the producers' outboxes do."""

    sequences: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def envelope(self, event: EventData, *, case_id: str | None = None) -> Envelope:
        case = case_id or event.case_id  # type: ignore[attr-defined]
        producer = event.topic.split(".")[0]
        source = "/labornet/" + ("gateway" if producer == "court" else producer)  # court callbacks
        self.sequences[(source, case)] += 1
        return Envelope(id=new_event_id(), type=event.event_type, source=source, subject=case,
                        data=event.model_dump(mode="json"), sequence=self.sequences[(source, case)])

    def record(self, event: EventData) -> tuple[str, KafkaRecord]:
        return event.topic, to_kafka(self.envelope(event))


def scenario(cases: int = 60, *, run: str = "", employers: int = 6) -> list[EventData]:
    """A mixed, deterministic stream: six employers (three by USCC-less name) in two regions,
    with collective, 110-linked, repeated and crime-band complaints, breached agreements and
    awards taken to enforcement. Nothing is withdrawn, so no finding depends on arrival order.
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
        events.append(complaint(case_id, at=T0 + timedelta(days=n % 40), region=region, employer=employer,
                                project="安置房" if n % 2 else None, workers=workers, claims=[claim],
                                police=n % 11 == 0))
        if n % 5 == 0:
            events += [agreement(case_id, f"a{n}", 300_000, region=region),
                       breached(case_id, f"a{n}", 100_000 + n, region=region)]
        if n % 8 == 0:
            number = f"洛劳人仲案字〔2026〕第{n}号"
            events += [award(case_id, number, 400_000, region=region), effective(case_id, number, region=region),
                       enforcement(case_id)]
    return events
