"""Any bytes, any text: every page ends as an article or a reject with a known reason, never a crash."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veille.pipeline import process_page
from veille.records import Article, Reject
from veille.sources import read_pages

KNOWN_REASONS = {"empty_input", "not_text", "undecodable", "no_article_found", "too_large",
                 "truncated_warc", "no_html_records", "bad_json", "unreadable", "not_found"}
SENTENCE = "Le ministre a annoncé hier une réforme du système de santé, selon un communiqué officiel. "


def outcomes(data: bytes) -> list[Article | Reject]:
    """Write bytes to a file and run the sources and the pipeline on it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page"
        path.write_bytes(data)
        return [item if isinstance(item, Reject) else process_page(item) for item in read_pages([str(path)])]


def check(results: list[Article | Reject]) -> None:
    """Assert every result is an article with text or a reject with a known reason."""
    assert results
    for result in results:
        if isinstance(result, Reject):
            assert result.reason in KNOWN_REASONS, result
        else:
            assert result.paragraphs and result.id


pieces = st.sampled_from(["<html>", "<p>", "</p>", "<body>", "WARC/1.0\r\n", "{", "\"text\": ", "}\n",
                          "\n\n", "« ", " »", "\x00", "\ufeff", "Rechercher\n", SENTENCE * 3])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data):
    check(outcomes(data))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(pieces, st.text(max_size=40)), max_size=30))
def test_arbitrary_page_like_text(parts):
    text = "".join(parts)
    for encoding in ("utf-8", "utf-16"):
        check(outcomes(text.encode(encoding, "surrogatepass")))
