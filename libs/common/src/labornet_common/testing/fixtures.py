"""pytest plugin: ``broker`` (a real Tansu process per test module), ``db_backend`` and ``database_url``.

Every test that takes ``database_url`` runs once on SQLite and once on PostgreSQL; the
PostgreSQL run is skipped, with the reason shown, when LABORNET_TEST_POSTGRES_URL is unset.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from labornet_common.platform.broker import EmbeddedBroker, free_port
from labornet_common.testing.databases import POSTGRES_ENV, fresh_database, postgres_base_url


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A broker of the test module's own (Tansu in memory, started in well under a second):
    topics, offsets and consumer groups that an earlier module left behind are never seen, so
    modules pass in any order (a module's tests share it; each test uses its own databases)."""
    log = tmp_path_factory.mktemp("broker") / "broker.log"
    embedded = EmbeddedBroker(port=free_port(), log_path=log).start()
    try:
        yield embedded.bootstrap_servers
    finally:
        embedded.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    return str(request.param)


@pytest.fixture
async def database_url(db_backend: str, tmp_path: Path) -> AsyncIterator[str]:
    async with fresh_database(db_backend, tmp_path) as url:
        yield url
