"""The feed list file: one feed or sitemap URL per line; ``#`` starts a comment."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError


def read_feed_list(path: Path) -> list[str]:
    """The http(s) URLs listed in ``path``, in order, without duplicates."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the feed list ({error.strerror}); give a file"
                          " with one feed or sitemap URL per line") from error
    urls: list[str] = []
    for number, line in enumerate(lines, start=1):
        url = line.split("#", 1)[0].strip()
        if not url:
            continue
        if not url.startswith(("http://", "https://")) or " " in url:
            raise ConfigError(f"{path}:{number}: {url!r} is not an http(s) URL; each line holds"
                              " one feed or sitemap URL (or a # comment)")
        if url not in urls:
            urls.append(url)
    if not urls:
        raise ConfigError(f"{path}: the feed list names no URL; add one feed or sitemap URL"
                          " per line")
    return urls
