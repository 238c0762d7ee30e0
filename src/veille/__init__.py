"""veille: turn raw news pages into a searchable, evidence-backed record.

    >>> import veille
    >>> article = veille.extract(open("page.html").read(), url="https://example.org/a")
    >>> article.title, article.language, article.paragraphs[:1]
    >>> with veille.open("veille.duckdb") as store:
    ...     store.search("sommet", lang="fr")["items"][0]["title"]

Names are imported on first use, so that `import veille` (and `veille --help`) stays fast.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_HOMES = {
    "Article": "veille.records",
    "IngestReport": "veille.store.writer",
    "Page": "veille.records",
    "Reject": "veille.records",
    "Removed": "veille.records",
    "SourceOptions": "veille.sources.options",
    "Store": "veille.store.reader",
    "StoreError": "veille.errors",
    "StoreLockedError": "veille.errors",
    "UsageError": "veille.errors",
    "VeilleError": "veille.errors",
    "ingest": "veille.ingest",
    "open": "veille.store.reader",
    "read_pages": "veille.sources",
}

__all__ = sorted([*_HOMES, "extract"])

if TYPE_CHECKING:
    from veille.errors import StoreError, StoreLockedError, UsageError, VeilleError
    from veille.ingest import ingest
    from veille.records import Article, Page, Reject, Removed
    from veille.sources import read_pages
    from veille.sources.options import SourceOptions
    from veille.store.reader import Store, open
    from veille.store.writer import IngestReport


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module 'veille' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def extract(content: str | bytes, *, published: str | None = None, url: str | None = None,
            site: str | None = None, format: str = "auto") -> Article | Reject:
    """Run the per-page pipeline on one page (HTML or a text dump) and return its Article or Reject."""
    from veille.pipeline import process_page
    from veille.records import Page
    from veille.sources.detect import sniff

    if format == "auto":
        head = content[:65536] if isinstance(content, bytes) else content[:65536].encode("utf-8", "replace")
        format = "html" if sniff(head) == "html" else "dump"
    page = Page(source="<extract>", content=content, format=format, url=url, site=site, published=published)
    return process_page(page)
