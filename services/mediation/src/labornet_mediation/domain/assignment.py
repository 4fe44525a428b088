"""Choosing a mediator: the least loaded at the centre, never one who stepped aside."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from labornet_common.platform.roster import rules as roster_rules
from labornet_mediation.domain.model import MediatorRef


class RecusalGround(StrEnum):
    """Grounds modelled on LDA Art. 33 (the arbitrators' recusal article), which centres follow."""

    near_relative = "near_relative"  # 是本案当事人或者当事人、代理人的近亲属
    interest = "interest"  # 与本案有利害关系
    other_relationship = "other_relationship"  # 与本案当事人、代理人有其他关系，可能影响公正
    private_contact = "private_contact"  # 私自会见当事人、代理人，或者接受请客送礼


RECUSAL_GROUNDS_ZH = {
    RecusalGround.near_relative: "系当事人或者代理人的近亲属",
    RecusalGround.interest: "与本案有利害关系",
    RecusalGround.other_relationship: "与当事人、代理人有其他关系，可能影响公正调解",
    RecusalGround.private_contact: "私自会见当事人、代理人或者接受请客送礼",
}


def least_loaded(
    candidates: Iterable[MediatorRef], *, open_cases: Mapping[str, int], excluded: Iterable[str] = ()
) -> MediatorRef | None:
    """Fewest open cases first; ties go to the lowest mediator id, so the choice is repeatable."""
    return roster_rules.least_loaded(candidates, key=mediator_id, load=open_cases, excluded=excluded)


def mediator_id(mediator: MediatorRef) -> str:
    return mediator.mediator_id
