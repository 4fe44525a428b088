"""The applicant's ID number and phone (Rules Art. 29: 身份证件号码、联系电话) at rest.

Sealed like intake's: AES-GCM bound to this table, and a blind index whose ``index_context``
equals intake's, so the same worker's number indexes the same in both services and events can
carry the index (``worker_keys``) instead of the number. Free text is stored masked, and as
typed only encrypted, when masking changed something.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from labornet_common.security.crypto import PiiCipher
from labornet_common.security.pii import PiiField
from labornet_common.standards import mask_id_number, mask_phone, normalise_phone, redact_pii, validate_id_number

WORKER_ID_NUMBER = PiiField(
    name="worker_id_number",
    context="arbitration.applications.worker_id_number",
    index_context="worker.id_number",  # = intake's WORKER_ID_NUMBER: comparable across services
    normalise=lambda value: validate_id_number(value).number,
)
WORKER_PHONE = PiiField(
    name="worker_phone",
    context="arbitration.applications.worker_phone",
    index_context="worker.phone",
    normalise=normalise_phone,
)
FACTS_FULL = PiiField(name="facts_full", context="arbitration.applications.facts", index_context="application.facts")


@dataclass(frozen=True)
class SealedParty:
    columns: dict[str, Any]  # <name>_enc / <name>_bidx, for the insert
    worker_keys: list[str]  # the ID number's blind index, when given
    id_masked: str | None
    phone_masked: str | None
    facts: str  # masked


def seal_party(cipher: PiiCipher, *, id_number: str | None, phone: str | None, facts: str) -> SealedParty:
    masked_facts = redact_pii(facts)
    columns = {
        **WORKER_ID_NUMBER.seal(cipher, id_number),
        **WORKER_PHONE.seal(cipher, phone),
        **FACTS_FULL.seal(cipher, facts if masked_facts != facts else None),
    }
    key = columns["worker_id_number_bidx"]
    return SealedParty(
        columns=columns,
        worker_keys=[key] if key else [],
        id_masked=mask_id_number(id_number) if id_number else None,
        phone_masked=mask_phone(phone) if phone else None,
        facts=masked_facts,
    )
