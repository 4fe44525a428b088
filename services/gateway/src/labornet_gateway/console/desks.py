"""Which desks (screens) each role works at; the layout's navigation comes from here."""

from __future__ import annotations

from dataclasses import dataclass

from labornet_common.security.auth import Principal, Role
from labornet_gateway.console.session import ConsoleSession


@dataclass(frozen=True)
class Desk:
    url: str
    title: str
    roles: frozenset[Role]
    # A working desk: a user with one lands on it after signing in. Shared pages every role may
    # open (the monitoring dashboard) do not count.
    working: bool = True


DESKS = (
    Desk("/console/clerk/complaints/new", "窗口登记投诉", frozenset({Role.clerk, Role.admin})),
    Desk("/console/clerk/complaints", "投诉登记簿", frozenset({Role.clerk, Role.admin})),
    Desk("/console/mediation", "调解案件", frozenset({Role.mediator, Role.admin})),
    Desk("/console/arbitration", "仲裁案件", frozenset({Role.arbitrator, Role.admin})),
    Desk("/console/alerts", "欠薪预警", frozenset({Role.inspector, Role.admin})),
    Desk("/console/orders", "责令支付文书", frozenset({Role.inspector, Role.admin})),
    Desk("/console/referrals", "涉嫌犯罪移送", frozenset({Role.inspector, Role.admin})),
    Desk("/console/incidents", "欠薪事件", frozenset({Role.inspector, Role.admin})),
    Desk("/console/court", "裁审衔接", frozenset({Role.court_liaison, Role.admin})),
    Desk("/console/reports", "劳动关系监测", frozenset(Role) - {Role.worker}, working=False),
    Desk("/console/admin/roster", "调解组织与调解员名册", frozenset({Role.admin})),
    Desk("/console/admin/arbitrators", "仲裁员名册", frozenset({Role.admin})),
    Desk("/console/admin/webhooks", "Webhook 接收端", frozenset({Role.admin})),
    Desk("/console/admin/audit", "审计日志核验", frozenset({Role.admin})),
)


def desks_for(principal: Principal) -> list[Desk]:
    return [d for d in DESKS if principal.has_role(*d.roles)]


class NotYourDesk(Exception):
    pass


def require_role(session: ConsoleSession, *roles: Role) -> None:
    """Navigation only: the API behind each screen still decides what this user may do."""
    if not session.principal.has_role(*roles):
        raise NotYourDesk
