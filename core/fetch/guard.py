"""Where a URL from a feed may lead: http(s) only, and only to public addresses.

A feed is content from a stranger. Its links (and the redirects they lead to) must not make
sitrep request the cloud metadata service (169.254.169.254), the router, or a service on
loopback. Every host is resolved and *every* address it resolves to is checked; the check
runs again on each redirect hop. A feed the user put on a private address (an intranet,
a test server on 127.0.0.1) may link to private addresses too: `allow_private`. Link-local
addresses (the metadata service) are refused whatever the feed.

The name is resolved once: the client then connects to the checked address itself (with
the Host header and TLS server name of the URL), so a DNS server answering differently the
second time (rebinding) gets nowhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

Resolver = Callable[[str, int], Awaitable[list[str]]]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedURL(Exception):
    """A URL the guard refuses, with the reason."""


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (getaddrinfo, IPv4 and IPv6)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public(address: Address) -> bool:
    """Globally routable unicast: not loopback, private, link-local, multicast or reserved."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    if isinstance(address, ipaddress.IPv6Address) and address.sixtofour is not None:
        return is_public(address.sixtofour)
    return address.is_global and not (
        address.is_multicast
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_reserved
        or address.is_unspecified
    )


def is_link_local(address: Address) -> bool:
    """169.254.0.0/16 and fe80::/10: the cloud metadata service lives there (never fetched,
    not even for a feed on a private network: no feed or page has a reason to be there)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_link_local(address.ipv4_mapped)
    return address.is_link_local


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return None


@dataclass
class UrlGuard:
    """Checks one URL (call it on every hop); `allow_private` lifts the address rule."""

    allow_private: bool = False
    resolver: Resolver = system_resolver

    async def check(self, url: str) -> None:
        """Raise BlockedURL if `url` is not http(s) or reaches a non-public address."""
        await self.vet(url)

    async def vet(self, url: str) -> Address | None:
        """Check `url`; the address to connect to (None for a literal IP host).

        Connecting to this very address (see client.pinned) means a second DNS answer
        cannot differ from the one checked here (DNS rebinding).
        """
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise BlockedURL(f"{url}: only http and https URLs are fetched")
        host = parts.hostname
        if not host:
            raise BlockedURL(f"{url}: no host in URL")
        addresses = await self._addresses(host, parts.port or _default_port(parts.scheme))
        for address in addresses:
            if not self.allow_private and not is_public(address):
                raise BlockedURL(f"{url}: blocked, {host} is a non-public address ({address})")
            if is_link_local(address):
                raise BlockedURL(f"{url}: blocked, {host} is a link-local address ({address})")
        if _literal(host) is not None:
            return None
        return sorted(addresses, key=lambda a: a.version)[0]  # IPv4 first

    async def _addresses(self, host: str, port: int) -> list[Address]:
        literal = _literal(host)
        if literal is not None:
            return [literal]
        try:
            found = await self.resolver(host, port)
        except OSError as exc:
            raise BlockedURL(f"{host}: cannot resolve ({exc})") from exc
        addresses = [a for a in (_literal(value) for value in found) if a is not None]
        if not addresses:
            raise BlockedURL(f"{host}: resolves to no address")
        return addresses


def _default_port(scheme: str) -> int:
    return 443 if scheme.lower() == "https" else 80


async def host_is_private(url: str, resolver: Resolver = system_resolver) -> bool:
    """True when the host of `url` (a feed the user chose) has any non-public address."""
    host = urlsplit(url).hostname
    if not host:
        return False
    guard = UrlGuard(resolver=resolver)
    try:
        addresses = await guard._addresses(host, urlsplit(url).port or 80)
    except BlockedURL:
        return False
    return any(not is_public(a) for a in addresses)
