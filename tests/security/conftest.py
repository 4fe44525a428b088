"""Intake, mediation, arbitration, wage-arrears and the gateway served in the test's event
loop, on each database.

One set of services per module and backend (they are the slow part); tests keep to their
own cases, so they do not disturb each other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from labornet_common.testing.databases import POSTGRES_ENV, postgres_base_url
from labornet_common.testing.inprocess import Services, running_services
from tests.security.helpers import SIGNING_KEY


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    return str(request.param)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Services]:
    workdir: Path = tmp_path_factory.mktemp(f"security-{backend}")
    async with running_services(
        ["intake", "mediation", "arbitration", "wage-arrears", "gateway"],
        backend=backend,
        broker=broker,
        workdir=workdir,
        idp_private_key_pem=SIGNING_KEY.decode(),
        anonymous_filing_burst=1000,
        sign_in_burst=1000,
        clock_scan_interval_s=0,  # arbitration's clocks change nothing behind the tests' backs
    ) as running:
        yield running
