# Shared fixtures for every test in the workspace (real broker, SQLite and PostgreSQL).
from __future__ import annotations

import pytest

pytest_plugins = ["labornet_common.testing.fixtures"]


def _reproduction(config: pytest.Config) -> str | None:
    """The command line that replays this run's order (pytest-randomly's seed), or None when
    the run is not shuffled (``-p no:randomly``)."""
    seed = getattr(config.option, "randomly_seed", None)
    if not isinstance(seed, int) or not config.pluginmanager.has_plugin("randomly"):
        return None
    return f"-p randomly --randomly-seed={seed}"


def pytest_sessionstart(session: pytest.Session) -> None:
    # pytest-randomly prints its seed in the header, which -q hides: the seed is printed
    # here whatever the verbosity, and again in the summary.
    line = _reproduction(session.config)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if line and reporter is not None:
        reporter.write_line(f"random order; replay it with: {line}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    line = _reproduction(terminalreporter.config)
    if line:
        terminalreporter.write_line(f"random order; replay it with: {line}")
