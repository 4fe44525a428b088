"""The criminal referral package: what inspectors need to refer a 拒不支付劳动报酬 case to the
police (刑法 Art. 276-1; 2013 interpretation Arts. 3, 4; 国务院令310 Arts. 5, 8), gathered
from the case facts and the orders to pay with their service. Pure: a function of the alert,
its cases and the orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from labornet_common.platform.clock import local_date
from labornet_wage_arrears.domain.alerts import Alert
from labornet_wage_arrears.domain.facts import CaseFacts
from labornet_wage_arrears.domain.records import Order
from labornet_wage_arrears.domain.rules import _months_covered

COURT_ORDER_KINDS = ("payment_order",)  # a court's 支付令 on a breached agreement (LDA Art. 16)
CHECKLIST_ZH = (
    "责令支付：276-1条要求“经政府有关部门责令支付仍不支付”；附限期整改指令书或行政处理决定书及送达回证"
    "（2013年解释第四条：无法送达时张贴公告视为送达）。下列“行政责令”为本系统记录，须与原件核对。",
    "支付能力或逃匿、转移财产情形的证据（276-1条）。",
    "立案前已支付的，可不认为是犯罪（2013年解释第六条）：移送前核实是否已支付。",
    "移送时限：批准3日内、移送24小时内（国务院令第310号第五条、第八条）。",
)


def _case_entry(case: CaseFacts) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "tracking_number": case.tracking_number,
        "channel": case.channel,
        "received_at": case.received_at,
        "worker_count": case.worker_count,
        "collective": case.collective,
        "police_linked": case.police_linked,
        "claims": case.claims,
        "wages_fen": case.wages_fen,
        "wage_months_covered": _months_covered(case.wage_claims),
        "agreements": [{**a.__dict__, "unpaid_fen": a.unpaid} for a in case.agreements],
        "awards": [a.__dict__ for a in case.awards],
        "court_events": case.court,
        "dispute": case.where.summary() if case.where else None,
    }


def build_package(
    alert: Alert, cases: list[CaseFacts], *, generated_at: datetime, orders: list[Order] | None = None
) -> dict[str, Any]:
    """``orders`` are the administration's orders to pay against the employer in the region."""
    entries = [_case_entry(c) for c in cases]
    court_orders = [
        {"case_id": c.case_id, **event} for c in cases for event in c.court if event["kind"] in COURT_ORDER_KINDS
    ]
    orders = orders or []
    today = local_date(generated_at)
    served = [o for o in orders if o.served_on]
    return {
        "referral_id": alert.referral_id,
        "alert_id": alert.alert_id,
        "region_code": alert.region_code,
        "generated_at": generated_at.isoformat(),
        "employer": {"name": alert.employer_name, "uscc": alert.employer_uscc, "key": alert.employer_key},
        "project": alert.project,
        "source": alert.source,
        "summary_zh": alert.summary_zh,
        "basis": alert.basis,
        "worker_count": sum(c.worker_count for c in cases),
        "amount_fen": sum(c.wages_fen for c in cases),
        "cases": entries,
        "orders_to_pay": [o.as_of(today) for o in orders],
        "court_payment_orders": court_orders,
        "administrative_order_recorded": bool(orders),
        "administrative_order_served": bool(served),
        "administrative_order_lapsed": any(o.lapsed(today) for o in served),
        "checklist_zh": list(CHECKLIST_ZH),
    }
