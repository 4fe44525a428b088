"""Event contracts between services: one module per producing service.

Each payload class is registered with its CloudEvent type and topic; the AsyncAPI document
(docs/asyncapi.yaml) is generated from this registry and a test keeps the two in step.
"""

from labornet_common.contracts import (  # noqa: F401  (registers the types)
    arbitration,
    calendar,
    claims,
    court,
    documents,
    enterprises,
    intake,
    mediation,
    organisations,
    wage_arrears,
)
