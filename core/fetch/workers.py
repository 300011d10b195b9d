"""Worker processes of a big poll round: feed parsing and extraction off the event loop.

feedparser and the extraction pipeline are pure Python and CPU-bound; in worker processes
they use every core while the parent fetches and writes. Each worker builds its extractor
once (from the profile passed at start), not per article.
"""

from __future__ import annotations

import os
import signal
import warnings
from typing import Any

from core.fetch.feedlist import ExtractFn, extractor_for
from core.models import Article, Extraction

_profile: Any | None = None
_extract: ExtractFn | None = None


def start_worker(profile: Any | None) -> None:
    """Pool initializer: ignore Ctrl-C (the parent decides when to stop), keep the profile."""
    global _profile
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _silence_stderr()
    _profile = profile


def extract_batch(articles: list[Article]) -> list[Extraction | None]:
    """Extraction of each article (None where it fails or there is no extractor).

    The extractor is built on the first batch, so a round that only parses never pays for it.
    """
    global _extract, _profile
    if _extract is None and _profile is not None:
        profile, _profile = _profile, None
        try:
            _extract = extractor_for(profile)
        except Exception:  # no extractor is better than losing the articles
            _extract = None
    return [extract_safely(_extract, article) for article in articles]


def extract_safely(extract: ExtractFn | None, article: Article) -> Extraction | None:
    if extract is None:
        return None
    try:
        return extract(article)
    except Exception:  # extraction bugs must not lose the article
        return None


def _silence_stderr() -> None:
    """Workers share the terminal: under the dashboard a stray warning would draw over it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    warnings.simplefilter("ignore")
