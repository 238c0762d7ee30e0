"""Golden check on the bundled sample dumps: every text dump gives its source's title, date and paragraphs.

The pages under ``data/samples/`` are rendered from ``data/sample-sources/articles/*.toml``;
the ``title``, ``published`` and ``paragraphs`` there are the truth. A dump is matched to its
source by file name (``dumps/<site>/<key>.txt``), a text record of ``feed.jsonl`` by URL.

The ``clean_dump`` tests pass the source's language as the hint; the ``process_page`` tests
run the dump as production does, with the language detected on the page text.
"""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from veille.clean.dump import clean_dump
from veille.clean.encoding import repair_text
from veille.pipeline import process_page
from veille.records import Article, Page

ROOT = Path(__file__).parent.parent.parent / "data"
SAMPLES = ROOT / "samples"
ARTICLES = ROOT / "sample-sources" / "articles"


def load_sources() -> dict[str, dict]:
    """Return every sample source by key and by URL, wire copies resolved as the build does."""
    raw = {path.stem: tomllib.loads(path.read_text(encoding="utf-8")) for path in sorted(ARTICLES.glob("*.toml"))}
    sources: dict[str, dict] = {}
    for key, source in raw.items():
        if origin := source.get("copy_of"):
            kept = raw[origin]["paragraphs"][:source.get("keep_paragraphs")]
            source = {**source, "paragraphs": [*source.get("prepend", []), *kept]}
            for name in ("title", "byline"):
                source.setdefault(name, raw[origin].get(name))
        sources[key] = sources[source["url"]] = source
    return sources


def sample_dumps() -> list[tuple[str, str]]:
    """Return (source key or URL, text) for every dump file and every text record of the feed."""
    return [(key, content if isinstance(content, str) else content.decode("utf-8"))
            for key, content in sample_contents()]


def sample_contents() -> list[tuple[str, bytes | str]]:
    """Return (source key or URL, content) as a reader hands them over: file bytes, feed text."""
    dumps: list[tuple[str, bytes | str]] = [(path.stem, path.read_bytes())
                                            for path in sorted((SAMPLES / "dumps").rglob("*.txt"))]
    for line in (SAMPLES / "feed.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "text" in record:
            dumps.append((record["url"], record["text"]))
    return dumps


SOURCES = load_sources()
DUMPS = sample_dumps()
CONTENTS = sample_contents()


def test_every_bundled_dump_is_checked():
    assert len(DUMPS) == 13  # 10 dump files and 3 text records, see data/README.md


@pytest.mark.parametrize(("key", "text"), DUMPS, ids=[key.rsplit("/", 1)[-1] for key, _ in DUMPS])
def test_sample_dump_gives_title_date_and_paragraphs_of_its_source(key, text):
    source = SOURCES[key]
    article = clean_dump(repair_text(text), language_hint=source["lang"])
    assert article.title == source["title"]
    assert article.paragraphs == source["paragraphs"]
    if source.get("published"):  # every sample page shows its publication date
        assert article.published == source["published"][:10]
        assert article.published_from == "text"


@pytest.mark.parametrize(("key", "text"), DUMPS, ids=[key.rsplit("/", 1)[-1] for key, _ in DUMPS])
def test_sample_dump_gives_byline_and_section_of_its_source(key, text):
    source = SOURCES[key]
    article = clean_dump(repair_text(text), language_hint=source["lang"])
    if source.get("byline"):  # the byline without its prefix: "Par Thomas Rialland" -> "Thomas Rialland"
        assert article.byline and source["byline"].endswith(" " + article.byline)
    else:
        assert article.byline is None
    crumbs = [crumb.strip() for crumb in re.split(r"[›/|]", article.section or "")]
    assert source["section"] in crumbs and source.get("rubric", crumbs[-1]) == crumbs[-1]


@pytest.mark.parametrize(("key", "content"), CONTENTS, ids=[key.rsplit("/", 1)[-1] for key, _ in CONTENTS])
def test_sample_dump_through_the_pipeline_gives_title_date_and_paragraphs_of_its_source(key, content):
    source = SOURCES[key]
    article = process_page(Page(source=key, content=content, format="dump"))  # no URL: the date must come from the text
    assert isinstance(article, Article), article
    assert article.language == source["lang"]
    assert article.title == source["title"]
    assert article.paragraphs == source["paragraphs"]
    if source.get("published"):
        assert (article.published, article.published_from) == (source["published"][:10], "text")
