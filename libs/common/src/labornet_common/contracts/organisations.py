"""Reference events (topic reference.organisations.v1): the organisations register as
administrators change it: at the mediation service, mediation centres (LDA Art. 10, enterprise
committees included), dispatched tribunals (派出仲裁庭) and the mediators who serve at a centre;
at the arbitration service, the arbitrators on a commission's roster (LDA Art. 20).

Each body is its own stream (its id); a later event of the same body replaces what an earlier
one said, so a reader keeps the latest per id. The shipped register file stays the base; these
events add to it or retire its entries.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from labornet_common.contracts.events import EventData
from labornet_common.contracts.topics import ORGANISATIONS

CentreKindName = Literal["street", "township", "park", "enterprise", "industry"]


class CommitteeComposition(BaseModel):
    """An enterprise labour-dispute mediation committee (LDA Art. 10 ¶2): workers' and the
    enterprise's representatives; the chair a union member or elected by both sides."""

    worker_representatives: int = Field(ge=1, description="职工代表: union members or elected by all workers")
    employer_representatives: int = Field(ge=1, description="企业代表: designated by the enterprise's head")
    chair: Literal["union_member", "elected_by_both"] = Field(description="主任")


class CentreRegistered(EventData, type="cn.labornet.organisations.centre.registered.v1", topic=ORGANISATIONS):
    """A mediation centre was added to the register, or its entry changed."""

    centre_id: str
    kind: CentreKindName
    name: str
    division_code: str
    serves: list[str] = Field(default_factory=list, description="street (9-digit) or county (6-digit) codes")
    tribunal_id: str | None = None
    industry: str | None = None
    employer_uscc: str | None = Field(default=None, description="an enterprise committee's own enterprise")
    employer_name: str | None = None
    composition: CommitteeComposition | None = None
    changed_by: str
    changed_on: date


class CentreRetired(EventData, type="cn.labornet.organisations.centre.retired.v1", topic=ORGANISATIONS):
    """The centre takes no new cases; routing passes it over. Its closed cases keep its name."""

    centre_id: str
    division_code: str
    retired_by: str
    retired_on: date


class TribunalRegistered(EventData, type="cn.labornet.organisations.tribunal.registered.v1", topic=ORGANISATIONS):
    """A dispatched tribunal (派出仲裁庭): a venue of its parent commission, at a centre."""

    tribunal_id: str
    name: str
    commission_id: str
    centre_id: str | None = None
    division_code: str
    changed_by: str
    changed_on: date


class TribunalRetired(EventData, type="cn.labornet.organisations.tribunal.retired.v1", topic=ORGANISATIONS):
    """Transfers from its centre go to the commission with jurisdiction (LDA Art. 21) instead."""

    tribunal_id: str
    division_code: str
    retired_by: str
    retired_on: date


class MediatorEnrolled(EventData, type="cn.labornet.organisations.mediator.enrolled.v1", topic=ORGANISATIONS):
    mediator_id: str
    subject: str = Field(description="the principal subject the mediator signs in with")
    name: str
    centre_id: str
    division_code: str
    enrolled_by: str
    enrolled_on: date


class MediatorMoved(EventData, type="cn.labornet.organisations.mediator.moved.v1", topic=ORGANISATIONS):
    """The mediator now serves at another centre. Open cases stay at their centre (the case's
    clock runs there, LDA Art. 14) and pass to another mediator of it: ``reassigned``."""

    mediator_id: str
    from_centre_id: str
    centre_id: str
    division_code: str
    moved_by: str
    moved_on: date
    reassigned: dict[str, str | None] = Field(
        default_factory=dict, description="open case id -> its new mediator id (null: waits for one)"
    )


class MediatorRetired(EventData, type="cn.labornet.organisations.mediator.retired.v1", topic=ORGANISATIONS):
    """The mediator serves no longer: closed cases keep their name, open ones are reassigned."""

    mediator_id: str
    centre_id: str
    division_code: str
    retired_by: str
    retired_on: date
    reason: str = ""
    reassigned: dict[str, str | None] = Field(
        default_factory=dict, description="open case id -> its new mediator id (null: waits for one)"
    )


class ArbitratorEnrolled(EventData, type="cn.labornet.organisations.arbitrator.enrolled.v1", topic=ORGANISATIONS):
    """An arbitrator added to a commission's roster (仲裁员名册, LDA Art. 20)."""

    arbitrator_id: str
    subject: str | None = Field(default=None, description="the principal subject the arbitrator signs in with")
    name: str
    commission_id: str
    division_code: str = Field(description="the commission's seat")
    enrolled_by: str
    enrolled_on: date


class ArbitratorMoved(EventData, type="cn.labornet.organisations.arbitrator.moved.v1", topic=ORGANISATIONS):
    """The arbitrator now serves another commission. The unfinished tribunals they sat on at the
    former one are listed in ``open_cases``: each was formed again, in the same change, with a
    serving arbitrator of that commission (each case publishes its own TribunalFormed)."""

    arbitrator_id: str
    from_commission_id: str
    commission_id: str
    division_code: str
    moved_by: str
    moved_on: date
    open_cases: list[str] = Field(
        default_factory=list, description="application ids whose tribunal was formed again in this change"
    )


class ArbitratorRetired(EventData, type="cn.labornet.organisations.arbitrator.retired.v1", topic=ORGANISATIONS):
    """The arbitrator is off the roster: closed cases keep their tribunal; they sit on no new
    one; the unfinished tribunals they sat on are listed in ``open_cases``, each formed again, in
    the same change, with a serving arbitrator of the commission (each case publishes its own
    TribunalFormed)."""

    arbitrator_id: str
    commission_id: str
    division_code: str
    retired_by: str
    retired_on: date
    reason: str = ""
    open_cases: list[str] = Field(
        default_factory=list, description="application ids whose tribunal was formed again in this change"
    )
