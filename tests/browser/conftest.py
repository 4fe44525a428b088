"""The console's tests: intake and the gateway served in the test's event loop (route tests),
and the whole stack as real processes with a real Chromium (browser tests, see console_browser)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from labornet_common.testing.databases import POSTGRES_ENV, postgres_base_url
from labornet_common.testing.inprocess import Services, running_services


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} to run it")
    return str(request.param)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(backend: str, broker: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Services]:
    workdir: Path = tmp_path_factory.mktemp(f"console-{backend}")
    async with running_services(
        ["intake", "gateway"], backend=backend, broker=broker, workdir=workdir, sign_in_burst=1000
    ) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def console(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like client of the running gateway app. https, so that the Secure cookies
    of the test environment are sent back, as a browser would over TLS."""
    transport = httpx.ASGITransport(app=services.apps["gateway"], client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="https://console.test") as client:
        yield client


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_PRESENT = CHROMIUM.exists()
# Without the background-networking switches Chromium waits on Google services that a closed
# network never answers.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest_asyncio.fixture
async def chromium() -> AsyncIterator[object]:
    """Debian's Chromium driven by Playwright; the test is skipped where it is not installed."""
    if not CHROMIUM_PRESENT:
        pytest.skip(f"browser test: {CHROMIUM} is absent (apt-get install chromium; .ci/run does)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


RUN_STARTED = time.time()  # this conftest is imported while the run collects, before any test


@pytest.fixture
def screenshots(db_backend: str):
    """``await shot(page, "01-login")`` saves a full-page PNG under test-artifacts/browser/."""
    folder = ARTIFACTS / db_backend
    folder.mkdir(parents=True, exist_ok=True)
    # A failure.png of an earlier run must not linger; what this run's other tests (e2e's docs
    # pages included) saved before this one, in whatever order they ran, stays.
    for old in folder.glob("*.png"):
        if old.stat().st_mtime < RUN_STARTED:
            old.unlink()

    async def shot(page, name: str) -> Path:
        path = folder / f"{name}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    return shot
