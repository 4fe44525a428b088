"""Alembic wiring shared by every service: each service keeps its own revisions.

A service's ``migrations/env.py`` is two lines (``run_env(metadata)``). Migrations run inside
the application's event loop on a connection we hand to Alembic, or from the ``alembic`` CLI.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def alembic_config(migrations_dir: Path, url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    # Dated revision files, e.g. 20261121_0001_initial.py
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _configure_and_run(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER needs batch mode
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_env(metadata: MetaData) -> None:
    """Body of every service's migrations/env.py."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection, metadata)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or LABORNET_DATABASE_URL")

    async def _run() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(_configure_and_run, metadata)
        await engine.dispose()

    asyncio.run(_run())


async def upgrade_to_head(engine: AsyncEngine, migrations_dir: Path) -> None:
    cfg = alembic_config(migrations_dir)

    def _upgrade(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")

    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)


def head_revision(migrations_dir: Path) -> str | None:
    return ScriptDirectory.from_config(alembic_config(migrations_dir)).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    def _current(connection: Connection) -> Any:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_current)


async def at_head(engine: AsyncEngine, migrations_dir: Path) -> bool:
    return await current_revision(engine) == head_revision(migrations_dir)


async def schema_state(engine: AsyncEngine, migrations_dir: Path) -> str:
    """'ok' at this code's head; 'ahead' when a newer release already migrated (expand/contract
    upgrades run the new migrations before old pods stop); 'behind' when not yet migrated."""
    current = await current_revision(engine)
    script = ScriptDirectory.from_config(alembic_config(migrations_dir))
    if current == script.get_current_head():
        return "ok"
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        return "ahead"
    return "behind"
