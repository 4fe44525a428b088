"""Topic names (pure: no broker client). Every case topic is keyed by case id.

Event contracts name their topic from here; ``labornet_common.platform.bus.topics`` re-exports these
names beside the broker's topic administration.
"""

from __future__ import annotations

INTAKE = "intake.complaints.v1"
MEDIATION = "mediation.cases.v1"
ARBITRATION = "arbitration.cases.v1"
WAGE_ARREARS = "wage-arrears.alerts.v1"
COURT = "court.events.v1"
CASE_TOPICS = (INTAKE, MEDIATION, ARBITRATION, WAGE_ARREARS, COURT)
# Reference data, keyed by its own stream ("calendar-2027"): every service that counts deadlines
# reads it (the State Council's holiday schedule for a year, entered at the gateway).
CALENDAR = "reference.calendar.v1"
# The organisations register as administrators change it (centres, 派出庭, mediators), keyed by
# the body's id ("med-410311007", "mediator:med-410311007-02"): read by every service that routes.
ORGANISATIONS = "reference.organisations.v1"
REFERENCE_TOPICS = (CALENDAR, ORGANISATIONS)
DLQ_SUFFIX = ".dlq"


def dead_letter_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


def all_topics() -> list[str]:
    return [*CASE_TOPICS, *REFERENCE_TOPICS, *(dead_letter_topic(t) for t in (*CASE_TOPICS, *REFERENCE_TOPICS))]
