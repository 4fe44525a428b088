"""SSRF guard for webhook targets: no private, loopback, link-local or otherwise special
addresses, https only, unless the host is on the operator's explicit allow-list."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeTarget(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def parse_target(url: str, allowed_hosts: frozenset[str]) -> tuple[str, int, bool]:
    """(host, port, allow-listed) of a webhook URL; raises UnsafeTarget on a bad URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeTarget("url must be an absolute http(s) URL")
    if parts.username or parts.password:
        raise UnsafeTarget("credentials in the URL are not allowed")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname.lower()
    listed = host in allowed_hosts or f"{host}:{port}" in allowed_hosts
    if parts.scheme != "https" and not listed:
        raise UnsafeTarget("only https targets are allowed")
    return host, port, listed


async def check_target(url: str, allowed_hosts: frozenset[str]) -> None:
    """Resolve the host now and refuse it if any address is not a public one.

    Checked at registration and again before every delivery, since DNS answers change.
    """
    host, port, listed = parse_target(url, allowed_hosts)
    if listed:
        return
    try:
        literal = ipaddress.ip_address(host)
        addresses = [literal]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise UnsafeTarget(f"host does not resolve: {exc}") from exc
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses or any(_forbidden(ip) for ip in addresses):
        raise UnsafeTarget("target resolves to a non-public address")
