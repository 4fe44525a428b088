"""The routing rules applied to a stored complaint (the rules themselves are domain/routing.py)."""

from __future__ import annotations

from labornet_intake.domain.model import Complaint
from labornet_intake.domain.routing import Decision, RoutingFacts, decide
from labornet_intake.service.context import IntakeContext


def decide_for(complaint: Complaint, rules: IntakeContext) -> Decision:
    return decide(
        RoutingFacts(
            requested_route=complaint.requested_route,
            workplace_division=complaint.workplace_division,
            categories=complaint.categories,
            employer_division=complaint.employer_division,
            other_workplaces=tuple(complaint.other_workplaces),
            pending_proceedings=complaint.pending_proceedings,
        ),
        rules.directory,
    )
