"""Reference events (topic reference.organisations.v1): the register of enterprises named
和谐劳动关系 enterprises (创建示范单位) by a region's tripartite body, as administrators keep it at
the gateway. The monitoring dashboard checks each named enterprise against case data (动态核查);
a naming withdrawn is removed from the register and from that check.

Each named enterprise is its own stream (``enterprise:<id>``): its naming, then at most one
removal.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from labornet_common.contracts.events import EventData
from labornet_common.contracts.topics import ORGANISATIONS


def enterprise_stream(enterprise_id: str) -> str:
    return f"enterprise:{enterprise_id}"


class HarmoniousEnterpriseNamed(EventData, type="cn.labornet.organisations.enterprise.named.v1", topic=ORGANISATIONS):
    """An enterprise entered in the register as named by the tripartite body of ``region``."""

    enterprise_id: str
    name: str
    uscc: str = Field(default="", description="统一社会信用代码; empty when named by name alone")
    level: str = Field(default="", description="国家级 / 省级 / 市级 / 县级")
    named_on: date | None = None
    region: str = Field(description="the naming region's division code")
    named_by: str
    named_at: datetime


class HarmoniousEnterpriseRemoved(
    EventData, type="cn.labornet.organisations.enterprise.removed.v1", topic=ORGANISATIONS
):
    """The naming withdrawn (or entered in error): the enterprise leaves the register and the check."""

    enterprise_id: str
    region: str
    reason: str
    removed_by: str
    removed_at: datetime
