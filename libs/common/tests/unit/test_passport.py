"""The case passport: the same dispute folds to the same stage, holder, parties and worker count
whatever order the services' topics interleave in."""

from __future__ import annotations

import itertools
import json
import random
from typing import Any

from labornet_common.contracts.passport import Passport, employer_key, fold, folds

CASE = "c-1"
USCC = "91350100M000100Y43"


def _event(name: str, /, **data: Any) -> tuple[str, dict[str, Any]]:
    return f"cn.labornet.{name}.v1", data


INTAKE = [
    _event(
        "intake.complaint.received",
        tracking_number="410311-20261204-ABCDEF",
        region_code="410311",
        employer_name="洛阳某公司",
        employer_uscc=USCC,
        worker_count=1,
        worker_keys=["w1"],
        claims=[{"category": "labor_remuneration"}],
    ),
    _event(
        "intake.complaint.routed", route="mediation", target_org_id="med-410311-007", target_org_name="科技园调解中心"
    ),
    _event(
        "intake.complaint.joined",
        kind="grouped",
        worker_count=2,
        worker_keys=["w2"],
        claims=[{"category": "economic_compensation"}],
    ),
]
MEDIATION = [
    _event(
        "mediation.case.opened",
        centre_id="med-410311-007",
        centre_name="科技园调解中心",
        division_code="410311007",
        employer_name="洛阳某公司",
        employer_uscc=USCC,
        worker_count=1,
    ),
    _event("mediation.case.failed", reason="timed_out"),
    _event(
        "mediation.case.transferred",
        commission_id="arb-4103",
        tribunal_id="trib-410311-007",
        venue_name="科技园派出仲裁庭",
        worker_count=2,
    ),
]
ARBITRATION = [
    _event(
        "arbitration.application.received",
        commission_id="arb-4103",
        tribunal_id="trib-410311-007",
        division_code="410311007",
        worker_count=2,
        employer_uscc=USCC,
        claims=[{"category": "labor_remuneration"}],
    ),
    _event("arbitration.application.accepted", commission_id="arb-4103", case_number="洛劳人仲案字〔2026〕第7号"),
    _event("arbitration.parties.joined", worker_count=3, claims=[{"category": "damages"}]),
]


def _fold(events: list[tuple[str, dict[str, Any]]]) -> Passport | None:
    passport = None
    for event_type, data in events:
        passport = fold(passport, case_id=CASE, event_type=event_type, data=data)
    return passport


def _canonical(passport: Passport | None) -> str:
    return json.dumps(passport.to_dict() if passport else None, sort_keys=True, ensure_ascii=False)


def _interleavings(streams: list[list[Any]], limit: int = 400) -> list[list[Any]]:
    """Merges of the streams that keep each stream's own order (as the inbox guarantees)."""
    labels = [i for i, stream in enumerate(streams) for _ in stream]
    orders = set(itertools.permutations(labels))
    picked = random.Random(7).sample(sorted(orders), min(limit, len(orders)))
    merged = []
    for order in picked:
        cursors = [iter(stream) for stream in streams]
        merged.append([next(cursors[i]) for i in order])
    return merged


def test_every_interleaving_of_the_topics_folds_to_one_passport() -> None:
    results = {_canonical(_fold(events)) for events in _interleavings([INTAKE, MEDIATION, ARBITRATION])}
    assert len(results) == 1
    passport = _fold(INTAKE + MEDIATION + ARBITRATION)
    assert passport is not None
    assert (passport.stage, passport.case_number) == ("docketed", "洛劳人仲案字〔2026〕第7号")
    assert passport.current.holder_id == "trib-410311-007" and passport.route == "arbitration"
    assert passport.worker_count == 3 and passport.worker_keys == {"w1", "w2"}
    assert passport.categories == {"labor_remuneration", "economic_compensation", "damages"}
    assert passport.employer_key == f"uscc:{USCC}" and passport.pending and passport.joinable


def test_the_stage_follows_the_furthest_service_not_the_last_event_to_arrive() -> None:
    # Arbitration docketed it, then intake's late "routed" arrives: still docketed.
    late = _fold([*ARBITRATION[:2], INTAKE[0], INTAKE[1]])
    assert late is not None and late.stage == "docketed"
    # Mediation alone: the centre holds it; once transferred, the 派出庭 does.
    assert (_fold(MEDIATION[:1]) or Passport(CASE)).current.holder_id == "med-410311-007"
    assert (_fold(MEDIATION) or Passport(CASE)).current.holder_id == "trib-410311-007"


def test_an_award_closes_the_dispute_to_newcomers_and_effect_or_court_ends_or_keeps_it() -> None:
    awarded = _fold([*ARBITRATION, _event("arbitration.award.issued", kind="award")])
    assert awarded is not None and awarded.stage == "awarded" and awarded.pending and not awarded.joinable
    sued = fold(
        awarded,
        case_id=CASE,
        event_type="cn.labornet.arbitration.court_event.recorded.v1",
        data={"kind": "lawsuit_filed", "effect": "non_final_award_not_effective"},
    )
    assert sued is not None and sued.stage == "court" and sued.route == "court" and sued.pending
    effective = fold(awarded, case_id=CASE, event_type="cn.labornet.arbitration.award.effective.v1", data={})
    assert effective is not None and effective.stage == "effective" and not effective.pending


def test_events_of_other_kinds_and_unknown_services_change_nothing() -> None:
    passport = _fold(INTAKE)
    assert fold(passport, case_id=CASE, event_type="cn.labornet.wage-arrears.alert.raised.v1", data={}) is passport
    same = fold(passport, case_id=CASE, event_type="cn.labornet.mediation.session.scheduled.v1", data={})
    assert same is not None and same.stage == passport.stage  # type: ignore[union-attr]


def test_a_store_may_skip_exactly_the_events_the_fold_does_not_read() -> None:
    passport = _fold(INTAKE)
    every = [*INTAKE, *MEDIATION, *ARBITRATION]
    assert all(folds(event_type) for event_type, _ in every)
    for event_type in (
        "cn.labornet.wage-arrears.alert.raised.v1",
        "cn.labornet.mediation.session.scheduled.v1",
        "cn.labornet.intake.document.issued.v1",
    ):
        assert not folds(event_type)
        assert fold(passport, case_id=CASE, event_type=event_type, data={"worker_count": 99}) is passport


def test_a_refused_joint_acceptance_returns_the_case_to_the_window() -> None:
    forwarded = _fold([INTAKE[0], _event("intake.joint_acceptance.requested", region_code="350102")])
    assert forwarded is not None and forwarded.stage == "forwarded"
    back = fold(
        forwarded,
        case_id=CASE,
        event_type="cn.labornet.intake.joint_acceptance.answered.v1",
        data={"decision": "refused"},
    )
    assert back is not None and back.stage == "intake"


def test_the_passport_survives_its_stored_form() -> None:
    passport = _fold(INTAKE + MEDIATION + ARBITRATION)
    assert passport is not None and Passport.from_dict(passport.to_dict()) == passport


def test_employers_are_recognised_by_credit_code_else_by_folded_name_in_their_county() -> None:
    assert employer_key(name="任意", uscc=USCC, county="410311") == f"uscc:{USCC}"
    assert employer_key(name="（洛阳）某公司", uscc=None, county="410311007") == employer_key(
        name="(洛阳) 某公司", uscc=None, county="410311"
    )
    assert employer_key(name="某公司", uscc=None, county="410311") != employer_key(
        name="某公司", uscc=None, county="410305"
    )


def test_a_dispute_referred_into_the_keepers_case_is_no_longer_pending_here() -> None:
    lodged = _fold(ARBITRATION[:1])
    merged = fold(
        lodged,
        case_id=CASE,
        event_type="cn.labornet.arbitration.application.referred.v1",
        data={"same_dispute": True, "case_id": CASE, "to_case_id": "c-keeper", "to_commission_id": "arb-410307"},
    )
    assert merged is not None and merged.stage == "merged" and not merged.pending
    moved = fold(
        lodged,
        case_id=CASE,
        event_type="cn.labornet.arbitration.application.referred.v1",
        data={"case_id": CASE, "to_commission_id": "arb-410307"},
    )  # an ordinary 移送: same case
    assert moved is not None and moved.stage == "arbitration" and moved.current.holder_id == "arb-410307"
