"""What the user told the sources about the pages they read."""
from __future__ import annotations

from dataclasses import dataclass

from veille.limits import DEFAULT_MAX_BYTES


@dataclass(slots=True, frozen=True)
class SourceOptions:
    """Settings that apply to every page read: forced format, metadata given on the command line, limits."""

    as_format: str = "auto"  # auto | dump | html | article
    url: str | None = None
    published: str | None = None
    site: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES

    def text_format(self) -> str:
        """Return the page format for text that is not HTML: 'article' if asked, else 'dump'."""
        return "article" if self.as_format == "article" else "dump"
