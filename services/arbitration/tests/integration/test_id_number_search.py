"""Finding a worker's applications by ID number: by blind index against every worker of the
application (filed here, routed with intake's keys, or joined later), within the caller's scope;
an employer's by unified social credit code; and the migration indexing the applications stored
before it."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import insert, select

from labornet_arbitration.adapters.orm import applications, worker_keys
from labornet_arbitration.adapters.pii import WORKER_ID_NUMBER, seal_party
from labornet_arbitration.domain.parties import join_workers
from labornet_arbitration.main import SPEC
from labornet_arbitration.service import queries
from labornet_arbitration.service.action import change
from labornet_common.platform.db import create_engine
from labornet_common.platform.listing import ListQuery, with_id_number
from labornet_common.platform.migrations import alembic_config, upgrade_to_head
from labornet_common.security.auth import Role
from labornet_common.security.crypto import DEV_ACTIVE_KEY_ID, DEV_INDEX_KEY, DEV_KEYRING, PiiCipher
from tests.support.arbitration import arbitration_case, staff

CIPHER = PiiCipher.from_settings(keyring=DEV_KEYRING, active=DEV_ACTIVE_KEY_ID, index_key=DEV_INDEX_KEY)
WANG, LI, ZHAO = "11010519491231002X", "410311199001011231", "370202198505057779"
USCC = "91350100M000100Y43"
CLERK = staff(Role.clerk, "4103")
WEIHAI_CLERK = staff(Role.clerk, "3710")


def key(number: str) -> str:
    return WORKER_ID_NUMBER.index_of(CIPHER, number)


async def found(db, number: str | None = None, *, who=CLERK, uscc: str | None = None, **filters) -> list[str]:
    page = await queries.list_applications(
        uow=db.uow(),
        principal=who,
        query=with_id_number(ListQuery(**filters), number),
        cipher=CIPHER,
        employer_uscc=uscc,
    )
    return [c.worker_name for c in page.items]


async def test_a_worker_is_found_by_id_number_on_every_kind_of_application(db, file_application) -> None:
    party = seal_party(CIPHER, id_number=WANG, phone=None, facts="")
    await file_application(worker_name="王直接", worker_keys=party.worker_keys, sealed=party.columns)
    # Routed from intake: only the keys the event carried, two workers.
    await file_application(worker_name="王与李", worker_keys=[key(WANG), key(LI)], employer_uscc=USCC)
    await file_application(worker_name="赵", worker_keys=[key(ZHAO)], employer_uscc=USCC)
    await file_application(
        worker_name="威海王", worker_keys=[key(WANG)], division_code="371002", commission_id="arb-3710"
    )

    assert sorted(await found(db, WANG)) == ["王与李", "王直接"]  # Weihai's application is out of scope
    assert await found(db, LI.lower()) == ["王与李"]  # normalised as sealed
    assert await found(db, WANG, who=WEIHAI_CLERK) == ["威海王"]
    assert await found(db, WANG, q="李") == ["王与李"]  # with the list's other filters
    assert await found(db, WANG, status=("ACCEPTED",)) == []
    assert sorted(await found(db, uscc=USCC)) == ["王与李", "赵"]
    assert await found(db, ZHAO, uscc=USCC) == ["赵"]
    assert await found(db, "110101199003077774") == []


async def test_a_worker_who_joins_later_is_found(db, ctx, file_application) -> None:
    case = await file_application(worker_name="先到的", worker_keys=[key(WANG)])
    assert await found(db, LI) == []

    async def joining(c):
        join_workers(
            c,
            filing_id="f-2",
            worker_count=2,
            worker_keys=[key(LI)],
            claims=[],
            on=c.received_on,
            text_zh="李某加入",
            calendar=ctx.calendar,
        )

    await change(
        uow=db.uow(), principal=CLERK, application_id=case.application_id, roles=frozenset({Role.clerk}), apply=joining
    )
    assert await found(db, LI) == ["先到的"]
    async with db.engine.connect() as conn:
        rows = (
            await conn.execute(select(worker_keys).where(worker_keys.c.application_id == case.application_id))
        ).all()
    assert sorted(r.worker_key for r in rows) == sorted([key(WANG), key(LI)])  # each key once


async def test_the_migration_indexes_applications_stored_before_it(database_url: str) -> None:
    engine = create_engine(database_url)
    cfg = alembic_config(SPEC.migrations_dir)

    def upgrade_to(revision: str):
        def run(connection) -> None:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)

        return run

    try:
        async with engine.begin() as conn:
            await conn.run_sync(upgrade_to("0006"))
        party = seal_party(CIPHER, id_number=ZHAO, phone=None, facts="")
        stored = [
            arbitration_case(application_id="a-1", source_key="k1", worker_keys=[key(WANG), key(LI)]),
            # An applicant sealed before worker_keys held its own index still counts.
            arbitration_case(application_id="a-2", source_key="k2", worker_keys=[]),
            arbitration_case(application_id="a-3", source_key="k3", worker_keys=[]),
        ]
        async with engine.begin() as conn:
            for case, sealed in zip(stored, [{}, party.columns, {}], strict=True):
                await conn.execute(insert(applications).values(**case.row(), **sealed))
        await upgrade_to_head(engine, SPEC.migrations_dir)
        async with engine.connect() as conn:
            rows = (await conn.execute(select(worker_keys))).all()
        assert sorted((r.application_id, r.worker_key) for r in rows) == sorted(
            [("a-1", key(WANG)), ("a-1", key(LI)), ("a-2", key(ZHAO))]
        )
    finally:
        await engine.dispose()


@pytest.mark.parametrize("number", [WANG, WANG.lower()])
def test_the_index_is_intakes(number: str) -> None:
    assert key(number) == CIPHER.blind_index(WANG, context="worker.id_number")
