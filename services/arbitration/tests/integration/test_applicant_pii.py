"""The applicant's ID number and phone at rest (Rules Art. 29): sealed, with a blind index equal
to intake's for the same number (so events carry the index, never the number), masked in the
aggregate; the facts stored masked and, as typed, only encrypted."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from labornet_arbitration.adapters.orm import applications
from labornet_arbitration.adapters.pii import FACTS_FULL, WORKER_ID_NUMBER, seal_party
from labornet_arbitration.service.intake_commands import NewApplication, receive
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.security.crypto import DEV_ACTIVE_KEY_ID, DEV_INDEX_KEY, DEV_KEYRING, PiiCipher
from labornet_common.security.pii import PiiField
from labornet_common.standards import validate_id_number

CIPHER = PiiCipher.from_settings(keyring=DEV_KEYRING, active=DEV_ACTIVE_KEY_ID, index_key=DEV_INDEX_KEY)
ID_NUMBER, PHONE = "11010519491231002X", "13812341234"
# What intake declares for its worker ID numbers (services/intake adapters.repository.WORKER_ID_NUMBER).
INTAKES = PiiField(
    name="worker_id_number",
    context="intake.complaints.worker_id_number",
    index_context="worker.id_number",
    normalise=lambda v: validate_id_number(v).number,
)


def test_the_blind_index_matches_intakes_and_the_reads_are_masked() -> None:
    party = seal_party(CIPHER, id_number=ID_NUMBER.lower(), phone=PHONE, facts=f"电话{PHONE}，身份证{ID_NUMBER}")
    assert party.worker_keys == [INTAKES.index_of(CIPHER, ID_NUMBER)]
    assert party.id_masked == "110105********002X" and party.phone_masked == "138****1234"
    assert ID_NUMBER not in party.facts and PHONE not in party.facts
    assert party.columns["worker_id_number_enc"] != ID_NUMBER
    assert seal_party(CIPHER, id_number=None, phone=None, facts="拖欠工资").worker_keys == []


async def test_nothing_readable_is_stored(db, ctx) -> None:
    party = seal_party(CIPHER, id_number=ID_NUMBER, phone=PHONE, facts=f"身份证{ID_NUMBER}，欠薪三个月")
    new = NewApplication(
        case_id=str(uuid.uuid4()),
        source="direct",
        source_key=f"direct:{uuid.uuid4()}",
        division_code="410311",
        commission_id="arb-4103",
        received_on=date(2026, 9, 28),
        worker_name="王师傅",
        employer_name="洛阳某公司",
        claims=[ClaimSummary(category="labor_remuneration", amount_fen=100)],
        facts=party.facts,
        worker_keys=party.worker_keys,
        worker_id_masked=party.id_masked,
        worker_phone_masked=party.phone_masked,
        sealed=party.columns,
    )
    case, _ = await receive(uow=db.uow(), ctx=ctx, new=new)
    async with db.engine.connect() as conn:
        row = (
            await conn.execute(select(applications).where(applications.c.application_id == case.application_id))
        ).one()
    stored = " ".join(str(v) for v in row._mapping.values())
    assert ID_NUMBER not in stored and PHONE not in stored
    assert WORKER_ID_NUMBER.open(CIPHER, row._mapping) == ID_NUMBER
    assert FACTS_FULL.open(CIPHER, row._mapping) == f"身份证{ID_NUMBER}，欠薪三个月"
    (received,) = await db.outbox("cn.labornet.arbitration.application.received.v1")
    assert received["worker_keys"] == party.worker_keys and ID_NUMBER not in str(received)
