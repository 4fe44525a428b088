"""Discovery of installed services through the ``labornet.services`` entry-point group."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from labornet_common.runtime import ServiceSpec

# Start order for the embedded stack: the gateway last, once the services it fronts are up.
ORDER = ("intake", "mediation", "arbitration", "wage-arrears", "gateway")


def service_specs() -> dict[str, ServiceSpec[Any]]:
    found = {ep.name: ep for ep in entry_points(group="labornet.services")}
    ordered = [n for n in ORDER if n in found] + sorted(set(found) - set(ORDER))
    return {name: found[name].load() for name in ordered}


def spec(name: str) -> ServiceSpec[Any]:
    specs = service_specs()
    if name not in specs:
        raise SystemExit(f"unknown service {name!r}; installed: {', '.join(specs)}")
    return specs[name]
