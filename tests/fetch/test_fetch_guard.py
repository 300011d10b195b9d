"""The URL guard: only http(s), only public addresses, every resolved address checked."""

from __future__ import annotations

import ipaddress

import pytest

from core.fetch.guard import BlockedURL, UrlGuard, host_is_private, is_public


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "100.64.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:1::",
    ],
)
def test_non_public_addresses(address: str):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses(address: str):
    assert is_public(ipaddress.ip_address(address))


def resolver_for(table: dict[str, list[str]]):
    async def resolve(host: str, _port: int) -> list[str]:
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


HOSTS = {
    "news.example": ["93.184.216.34"],
    "metadata.example": ["169.254.169.254"],
    "mixed.example": ["93.184.216.34", "10.0.0.5"],
    "v6local.example": ["::1"],
}


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://metadata.example/latest/meta-data/", "169.254.169.254"),
        ("http://mixed.example/", "10.0.0.5"),
        ("http://v6local.example/", "::1"),
        ("http://127.0.0.1:8080/admin", "127.0.0.1"),
        ("http://[::1]/", "::1"),
        ("http://169.254.169.254/", "169.254.169.254"),
        ("file:///etc/passwd", "only http and https"),
        ("ftp://news.example/x", "only http and https"),
        ("http:///nohost", "no host"),
        ("http://unknown.example/", "cannot resolve"),
    ],
)
async def test_guard_blocks(url: str, reason: str):
    guard = UrlGuard(resolver=resolver_for(HOSTS))
    with pytest.raises(BlockedURL, match=reason.replace(".", r"\.")):
        await guard.check(url)


async def test_guard_passes_public_hosts():
    await UrlGuard(resolver=resolver_for(HOSTS)).check("https://news.example/story?id=1")


async def test_allow_private_lifts_only_the_address_rule():
    guard = UrlGuard(allow_private=True, resolver=resolver_for(HOSTS))
    await guard.check("http://127.0.0.1:8080/page")
    with pytest.raises(BlockedURL):
        await guard.check("file:///etc/passwd")


async def test_feed_on_a_private_host_is_recognised():
    resolve = resolver_for(HOSTS)
    assert await host_is_private("http://127.0.0.1:9/feed", resolve)
    assert await host_is_private("http://mixed.example/feed", resolve)
    assert not await host_is_private("http://news.example/feed", resolve)
