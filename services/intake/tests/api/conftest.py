"""One served intake per module and backend (serving is the slow part); tests keep to their
own employers and workers, so they do not disturb each other."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from labornet_common.testing.databases import POSTGRES_ENV, fresh_database, postgres_base_url
from labornet_common.testing.intake_support import IntakeUnderTest, serving_intake


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    return str(request.param)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def intake(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[IntakeUnderTest]:
    workdir = tmp_path_factory.mktemp(f"intake-api-{backend}")
    async with fresh_database(backend, workdir) as url, serving_intake(url, broker, workdir) as served:
        yield served
