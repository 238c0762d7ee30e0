"""The per-page pipeline: a Page goes through clean, then each article stage in order.

A stage is a plain callable ``stage(article) -> article``; the list below is the whole
pipeline. Stages hold no state besides loaded models, so the same list runs in one
process, in a process pool or on Ray. A page that fails anywhere becomes a Reject
with a reason; nothing here raises for a bad page.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from veille import limits
from veille.clean import boilerplate
from veille.clean.dump import clean_dump
from veille.clean.encoding import Undecodable, decode_bytes, repair_text
from veille.clean.html import clean_html
from veille.clean.wire import lift_wire_credit
from veille.language import add_language, detect_language
from veille.nlp.annotate import annotate, annotate_parsed, parse_articles
from veille.nlp.parse import Parsed
from veille.records import Article, Page, Reject

Stage = Callable[[Article], Article]

STAGES: list[Stage] = [add_language, annotate]

# 50 words: the shortest gold article of the dev benchmark has 69; error pages, indexes
# and menus that an extractor mistakes for text have fewer (a "page not found" with its
# teasers: about 40). Very short briefs are lost: a known cost, see docs/quality.md.
MIN_ARTICLE_WORDS = 50
_WORD = re.compile(r"\w+")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")


def process_page(page: Page) -> Article | Reject:
    """Run the whole per-page pipeline on one page within its time budget; never raises for a bad page."""
    return _within_budget(page, limits.page_seconds(), lambda: _run_stages(page, STAGES))


def process_pages(pages: list[Page]) -> list[Article | Reject]:
    """Run the pipeline on a batch of pages as process_page does, parsing their articles together.

    The articles of the batch go through each language's model in one nlp.pipe call (with
    today's CNN models this costs the same CPU as one call per article, docs/performance.md;
    a pipeline that gains from larger batches, a transformer, gets them). Each page keeps its own
    time budget and failures: it is cleaned within its budget, the shared parse runs within
    the sum of what the articles have left, and the rules of each article run within what it
    has left (the shared parse is charged to none of them). If the shared parse fails or runs
    out of time, each article is parsed alone within what it has left, so a bad page costs
    only its own reject.
    """
    seconds = limits.page_seconds()
    before, after = _stages_around_annotate()
    timed = [_timed(lambda page=page: _within_budget(page, seconds, lambda: _run_stages(page, before)))
             for page in pages]
    results = [result for result, _ in timed]
    left = [_left(seconds, spent) for _, spent in timed]
    articles = [result for result in results if isinstance(result, Article)]
    shared = sum(rest for rest, result in zip(left, results) if isinstance(result, Article)) if seconds else 0.0
    parses = _parse_together(articles, shared)
    return [_within_budget(page, rest, lambda page=page, result=result: _annotate_rest(
                page, result, parses.get(id(result)), after)) if isinstance(result, Article) else result
            for page, result, rest in zip(pages, results, left)]


def _timed(run: Callable[[], Article | Reject]) -> tuple[Article | Reject, float]:
    """Return run()'s result and the seconds it took."""
    started = time.monotonic()
    result = run()
    return result, time.monotonic() - started


def _stages_around_annotate() -> tuple[list[Stage], list[Stage]]:
    """Split the stages into those before annotate and those after it."""
    at = STAGES.index(annotate)
    return STAGES[:at], STAGES[at + 1:]


def _left(seconds: float, spent: float) -> float:
    """Return what is left of a page's budget after spent seconds (0 when there is no budget)."""
    return max(seconds - spent, 0.001) if seconds else 0.0


def _parse_together(articles: list[Article], seconds: float) -> dict[int, Parsed]:
    """Parse the articles in one pipe per language; empty when that fails or takes longer than seconds."""
    try:
        with limits.time_budget(seconds):
            return {id(article): parsed for article, parsed in zip(articles, parse_articles(articles))}
    except (Exception, limits.PageTimeout):  # each article is then parsed alone, within its own budget
        return {}


def _annotate_rest(page: Page, article: Article, parsed: Parsed | None, after: list[Stage]) -> Article | Reject:
    """Annotate an article from its parse (or parse it now), then run the stages after annotate."""
    try:
        article = annotate_parsed(article, parsed) if parsed is not None else annotate(article)
    except Exception as error:  # as in _run_stages: one page's failure is its reject
        return _failed(page, "annotate", error)
    return _run_stages(page, after, article)


def _within_budget(page: Page, seconds: float, run: Callable[[], Article | Reject]) -> Article | Reject:
    """Run one page's work within its time budget; running out of time is a timeout reject."""
    try:
        with limits.time_budget(seconds):
            return run()
    except limits.PageTimeout:
        budget = limits.page_seconds()
        return _reject(page, "timeout", f"took longer than its time budget of {budget:g} s "
                                        f"({limits.PAGE_SECONDS_SETTING}); the run goes on")


def _run_stages(page: Page, stages: list[Stage], article: Article | None = None) -> Article | Reject:
    """Clean a page (unless its article is given), then run each stage on it; a failure becomes a Reject."""
    stage_name = "clean"
    try:
        result = clean_page(page) if article is None else article
        if isinstance(result, Reject):
            return result
        for stage in stages:
            stage_name = stage.__name__
            result = stage(result)
        return result
    except Exception as error:  # a bug or a library failure on one page must not stop the run
        return _failed(page, stage_name, error)


def _failed(page: Page, stage_name: str, error: Exception) -> Reject:
    """Build the reject of a page whose stage raised."""
    return Reject(page.source, "internal_error", f"{page.source}: {stage_name} failed: {error!r}",
                  id=page.id, site=page.site)


def clean_page(page: Page) -> Article | Reject:
    """Decode, repair and clean a page into an Article with its metadata."""
    try:
        text = page_text(page)
    except Undecodable as error:
        return _reject(page, "undecodable", str(error))
    if not text.strip():
        return _reject(page, "empty_input", "the page holds no text")
    article, lines = _run_cleaner(page, text)
    if page.format != "article" and _word_count(article.paragraphs) < MIN_ARTICLE_WORDS:
        return _reject(page, "no_article_found", f"no article text found in this {page.format} page "
                                                 f"(fewer than {MIN_ARTICLE_WORDS} words of body)")
    if not article.paragraphs:
        return _reject(page, "empty_input", "the page holds no text")
    _fill_metadata(article, page)
    article.meta["_lines"] = boilerplate.candidate_lines(lines)
    return article


def page_text(page: Page) -> str:
    """Return the page's content as Unicode text (repaired by the cleaner step, see _run_cleaner)."""
    content = page.content
    if isinstance(content, bytes):
        content = decode_bytes(content, page.meta.get("charset"))
    return content


def _run_cleaner(page: Page, text: str) -> tuple[Article, list[str]]:
    """Clean text with the cleaner of the page's format; also return the lines seen."""
    if page.format == "html":
        # Repair the extracted text, not the whole page: ftfy on full HTML costs more than trafilatura.
        article = lift_wire_credit(_repaired(clean_html(text, url=page.url)))
        lines = article.paragraphs
        return boilerplate.remove_known(article, page.meta.get("boilerplate", frozenset())), lines
    text = repair_text(text)
    lines = text.splitlines()
    if page.format == "article":
        return Article(paragraphs=[line.strip() for line in lines if line.strip()]), lines
    # The page's language tells the cleaner how to read dates ("11/03/2026": day first in French).
    language, _ = detect_language(text)
    known = page.meta.get("boilerplate", frozenset())
    return clean_dump(text, known_boilerplate=known, language_hint=language), lines


def _word_count(paragraphs: list[str]) -> int:
    """Return how many words the paragraphs hold."""
    return sum(len(_WORD.findall(paragraph)) for paragraph in paragraphs)


def _repaired(article: Article) -> Article:
    """Repair mojibake and normalise the text fields of an article taken from HTML."""
    article.paragraphs = [repair_text(paragraph) for paragraph in article.paragraphs]
    for name in ("title", "section", "byline"):
        value = getattr(article, name)
        if value:
            setattr(article, name, repair_text(value))
    return article


def _fill_metadata(article: Article, page: Page) -> None:
    """Set id, source, url, site and publication date."""
    article.id = page.id
    article.source = page.source
    article.format = page.format
    article.url = page.url or article.canonical_url
    article.site = page.site or site_of(article.url) or article.meta.get("hostname")
    # The date the page states (its markup or its text) comes first, then one in its URL;
    # the date given with the input (--published, a JSON Lines record) fills the gaps.
    if not article.published and article.url and (from_url := date_in_url(article.url)):
        article.published, article.published_from = from_url, "url"
    if not article.published and page.published:
        article.published, article.published_from = page.published, "argument"
    if page.fetched:
        article.meta["fetched"] = page.fetched


def site_of(url: str | None) -> str | None:
    """Return the site of a URL: its host name without a leading 'www.'."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def date_in_url(url: str) -> str | None:
    """Return the ISO date written in a URL path (/2016/11/29/, /20161129-), if any."""
    match = _URL_DATE.search(urlsplit(url).path)
    return "-".join(match.groups()) if match else None


def _reject(page: Page, reason: str, message: str) -> Reject:
    """Build the reject of a page, naming the page in the message."""
    return Reject(page.source, reason, f"{page.source}: {message}", id=page.id, site=page.site)
