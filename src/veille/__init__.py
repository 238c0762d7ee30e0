"""veille: turn raw news pages into a searchable, evidence-backed record.

    >>> import veille
    >>> article = veille.extract(open("page.html").read(), url="https://example.org/a")
    >>> article.title, article.language, article.paragraphs[:1]
"""
from __future__ import annotations

from veille.errors import StoreError, StoreLockedError, UsageError, VeilleError
from veille.ingest import IngestReport, ingest
from veille.records import Article, Page, Reject, Removed
from veille.sources import SourceOptions, read_pages

__version__ = "0.1.0"

__all__ = [
    "Article",
    "IngestReport",
    "Page",
    "Reject",
    "Removed",
    "SourceOptions",
    "StoreError",
    "StoreLockedError",
    "UsageError",
    "VeilleError",
    "extract",
    "ingest",
    "read_pages",
]


def extract(content: str | bytes, *, published: str | None = None, url: str | None = None,
            site: str | None = None, format: str = "auto") -> Article | Reject:
    """Run the per-page pipeline on one page (HTML or a text dump) and return its Article or Reject."""
    from veille.pipeline import process_page
    from veille.sources.detect import sniff

    if format == "auto":
        head = content[:65536] if isinstance(content, bytes) else content[:65536].encode("utf-8", "replace")
        format = "html" if sniff(head) == "html" else "dump"
    page = Page(source="<extract>", content=content, format=format, url=url, site=site, published=published)
    return process_page(page)
