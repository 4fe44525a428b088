"""Each service's migrations build exactly the schema its code declares, on both backends."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from labornet_common.platform.db import create_engine
from labornet_common.platform.migrations import at_head, upgrade_to_head
from labornet_common.platform.registry import service_specs

SERVICES = list(service_specs())


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_match_the_models(service: str, database_url: str) -> None:
    spec = service_specs()[service]
    engine = create_engine(database_url)
    try:
        assert not await at_head(engine, spec.migrations_dir)
        await upgrade_to_head(engine, spec.migrations_dir)
        assert await at_head(engine, spec.migrations_dir)
        await upgrade_to_head(engine, spec.migrations_dir)  # idempotent

        def diff(conn):
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(ctx, spec.metadata)

        async with engine.connect() as conn:
            assert await conn.run_sync(diff) == []
    finally:
        await engine.dispose()


async def test_schema_state_accepts_a_newer_database(database_url: str) -> None:
    from sqlalchemy import text

    from labornet_common.platform.migrations import schema_state

    spec = service_specs()["intake"]
    engine = create_engine(database_url)
    try:
        assert await schema_state(engine, spec.migrations_dir) == "behind"
        await upgrade_to_head(engine, spec.migrations_dir)
        assert await schema_state(engine, spec.migrations_dir) == "ok"
        async with engine.begin() as conn:  # a later release has migrated past this code
            await conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        assert await schema_state(engine, spec.migrations_dir) == "ahead"
    finally:
        await engine.dispose()
