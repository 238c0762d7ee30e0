"""The public Python API: what `import veille` offers."""
from __future__ import annotations

import veille
from tests.conftest import SEED


def test_all_is_sorted_and_importable():
    assert veille.__all__ == sorted(veille.__all__)
    for name in veille.__all__:
        assert getattr(veille, name) is not None


def test_extract_a_dump_and_an_html_string():
    article = veille.extract(SEED.read_text(encoding="utf-8"), published="2016-11-29")
    assert isinstance(article, veille.Article)
    assert article.wire_source == "Reuters" and len(article.paragraphs) == 4
    html = ("<html><head><title>Un titre d'article</title></head><body><article><h1>Un titre d'article</h1>"
            + "".join(f"<p>{p}</p>" for p in article.paragraphs) + "</article></body></html>")
    from_html = veille.extract(html, url="https://www.journal.example/2016/11/29/haftar")
    assert from_html.site == "journal.example"
    assert from_html.published == "2016-11-29" and from_html.published_from in ("url", "html")
    assert from_html.title == "Un titre d'article"
    assert from_html.paragraphs[0].startswith("Sergueï Lavrov")  # the <h1> is the title, not the body


def test_extract_says_why_it_rejects():
    rejected = veille.extract("   ")
    assert isinstance(rejected, veille.Reject) and rejected.reason == "empty_input"
