"""A batch of pages parsed together gives each page what process_page gives it, and keeps its budget and failures."""
from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from veille import pipeline
from veille.pipeline import process_page, process_pages
from veille.records import Article, Page, Reject
from veille.sources import read_pages

SEED = Path(__file__).parent.parent / "data" / "seed" / "lorient-haftar-moscou.txt"
RULES_ONLY = {"VEILLE_MODEL_FR": "none", "VEILLE_MODEL_EN": "none"}


def seed_page(source: str = str(SEED)) -> Page:
    """Return the seed page as read from its file (under another source name if given)."""
    return Page(source=source, content=SEED.read_bytes(), format="dump", published="2016-11-29")


def sample_pages() -> list[Page]:
    """Return French and English sample pages, HTML and dumps, with a page holding no article."""
    folders = [SAMPLES / "html" / "levigie-du-matin", SAMPLES / "html" / "harbourherald",
               SAMPLES / "dumps" / "saint-laurent-express",
               SAMPLES / "html" / "courrier-estuaire" / "courrier-page-introuvable.html"]
    return [item for item in read_pages([str(folder) for folder in folders]) if isinstance(item, Page)]


def annotations(result: Article | Reject) -> str:
    """Return everything the pipeline found on a page, as one comparable string."""
    if isinstance(result, Reject):
        return repr((result.reason, result.error))
    return repr((result.text, result.title, result.entities, result.quotes, result.dates, result.events,
                 result.meta.get("annotations")))


@pytest.fixture
def rules_only(monkeypatch):
    """Annotate by rule only, so that no model loading counts in a short budget."""
    for name, value in RULES_ONLY.items():
        monkeypatch.setenv(name, value)


def test_a_batch_parsed_together_gives_each_page_what_it_gets_alone():
    pages = sample_pages()
    alone = [annotations(process_page(copy.deepcopy(page))) for page in pages]
    together = [annotations(result) for result in process_pages(copy.deepcopy(pages))]
    assert len(pages) > 5 and any("model" in text for text in alone)
    assert together == alone


def test_a_slow_page_in_a_batch_is_the_only_timeout(monkeypatch, rules_only):
    slow = Page(source="slow.txt", content="\n".join(f"Rubrique numéro {n} du site" for n in range(150_000)),
                format="dump")
    monkeypatch.setenv("VEILLE_PAGE_SECONDS", "0.5")
    results = process_pages([seed_page("a.txt"), slow, seed_page("b.txt")])
    assert [type(result) for result in results] == [Article, Reject, Article]
    assert results[1].reason == "timeout" and "VEILLE_PAGE_SECONDS" in results[1].error


def test_a_shared_parse_out_of_time_falls_back_to_one_parse_per_article(monkeypatch, rules_only):
    expected = annotations(process_page(seed_page()))
    calls = []

    def stuck(articles):
        calls.append(len(articles))
        time.sleep(5)

    monkeypatch.setattr(pipeline, "parse_articles", stuck)
    monkeypatch.setenv("VEILLE_PAGE_SECONDS", "0.5")
    started = time.monotonic()
    results = process_pages([seed_page(), seed_page()])
    assert calls == [2] and time.monotonic() - started < 3
    assert [annotations(result) for result in results] == [expected, expected]


def test_an_annotation_failure_rejects_only_its_page(monkeypatch, rules_only):
    real = pipeline.annotate_parsed

    def fragile(article, parsed):
        if article.source == "bad.txt":
            raise ValueError("broken rule")
        return real(article, parsed)

    monkeypatch.setattr(pipeline, "annotate_parsed", fragile)
    results = process_pages([seed_page("good.txt"), seed_page("bad.txt")])
    assert isinstance(results[0], Article)
    assert results[1].reason == "internal_error" and "annotate failed" in results[1].error
