"""Every limit of the fetcher, named in one place (tests shrink them to keep runs short)."""

from __future__ import annotations

from dataclasses import dataclass

import core

USER_AGENT = f"sitrep/{core.__version__} (+https://github.com/sitrep; feed reader)"


@dataclass(frozen=True)
class FetchSettings:
    """Timeouts in seconds, sizes in bytes of the decoded body."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_deadline: float = 60.0  # a whole request, redirects and body included
    max_redirects: int = 5
    feed_max_bytes: int = 10_000_000
    page_max_bytes: int = 5_000_000
    max_connections: int = 16
    per_host: int = 2
    fulltext_budget: int = 20  # article pages fetched per poll round
    retry_base: float = 60.0  # first retry after a failure, doubled each time
    max_backoff: float = 6 * 3600.0
    retry_after_cap: float = 24 * 3600.0  # a server's Retry-After is honoured up to this
    interval_jitter: float = 0.1  # +-10% on each feed's interval, so feeds spread out
    user_agent: str = USER_AGENT
    # Connect to the address the guard checked (no second DNS lookup). Only tests that
    # pretend a local server is a public host turn this off.
    pin_dns: bool = True
