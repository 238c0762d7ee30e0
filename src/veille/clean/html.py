"""HTML pages: trafilatura finds the main text and the metadata; we keep its paragraphs."""
from __future__ import annotations

import trafilatura

from veille.clean.boilerplate import normalize_line
from veille.records import Article, Removed

_SETTINGS = {
    "include_comments": False,  # reader comments are not the article (kept by default)
    "include_tables": True,
    "with_metadata": True,
    "deduplicate": False,       # a repeated paragraph is the boilerplate pass's call, with a reason
    # No readability/jusText comparison on every page (its baseline and recall retries stay for
    # pages where the main extractor finds too little): about a third of trafilatura's time, and
    # on the 112 dev pages body F1 0.972 against 0.968, snippet F1 0.944 both (docs/quality.md).
    "fast": True,
    # htmldate's extensive search falls back on dateparser with every locale: about 9 s of
    # regex compilation per process for one page out of twenty; the page's own markup is enough.
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}


def clean_html(html: str, url: str | None = None) -> Article:
    """Return the article trafilatura finds in an HTML page (no paragraphs when it finds none)."""
    document = trafilatura.bare_extraction(html, url=url, **_SETTINGS)
    if document is None or not (document.text or "").strip():
        return Article()
    title = _strip_site_name(_clean(document.title), _clean(document.sitename))
    paragraphs = [line.strip() for line in document.text.split("\n") if line.strip()]
    removed = []
    if title and paragraphs and normalize_line(paragraphs[0]) == normalize_line(title):
        removed.append(Removed(paragraphs.pop(0), "title"))  # the <h1> repeats the title: metadata, not body
    return Article(
        title=title,
        byline=_clean(document.author),
        section=_section(document.categories),
        published=_clean(document.date),
        published_from="html" if document.date else None,
        canonical_url=_clean(document.url),
        paragraphs=paragraphs,
        removed=removed,
        meta=_extra_metadata(document),
    )


def _clean(value: object) -> str | None:
    """Return a metadata value as a stripped string, None when missing."""
    return value.strip() or None if isinstance(value, str) else None


def _strip_site_name(title: str | None, site_name: str | None) -> str | None:
    """Drop a trailing ' - Site Name' or ' | Site Name' that pages append to their <title>."""
    if not title or not site_name:
        return title
    for separator in (" - ", " | ", " – ", " — ", " : "):
        suffix = separator + site_name
        if title.casefold().endswith(suffix.casefold()) and len(title) > len(suffix):
            return title[: -len(suffix)].strip()
    return title


def _section(categories: object) -> str | None:
    """Return the page's categories as one section string."""
    if isinstance(categories, list) and categories:
        return " - ".join(str(c).strip() for c in categories if str(c).strip()) or None
    return None


def _extra_metadata(document) -> dict:
    """Return the metadata that has no field of its own: site name, host, description, tags."""
    extra = {"sitename": document.sitename, "hostname": document.hostname,
             "description": document.description, "tags": document.tags or None}
    return {key: value for key, value in extra.items() if value}
