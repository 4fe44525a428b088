"""Discovery of installed services through the ``labornet.services`` entry-point group."""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import Any

from labornet_common.platform.runtime import ServiceSpec

# Start order for the embedded stack: the gateway last, once the services it fronts are up.
ORDER = ("intake", "mediation", "arbitration", "wage-arrears", "gateway")


def _installed() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group="labornet.services")}


def service_names() -> list[str]:
    """The installed services in start order, without importing any of them."""
    found = _installed()
    return [n for n in ORDER if n in found] + sorted(set(found) - set(ORDER))


def service_specs() -> dict[str, ServiceSpec[Any]]:
    found = _installed()
    return {name: found[name].load() for name in service_names()}


def spec(name: str) -> ServiceSpec[Any]:
    """One service's spec; only that service is imported (a process serving one service does
    not pay for importing the other four: about a second of CPU at every start)."""
    found = _installed()
    if name not in found:
        raise SystemExit(f"unknown service {name!r}; installed: {', '.join(service_names())}")
    loaded: ServiceSpec[Any] = found[name].load()
    return loaded
