"""Fuzzing every source format and the stages behind it: each input ends as articles or rejects with a reason.

tests/test_any_input.py throws arbitrary bytes and page-like text at the sources; here the
inputs are well-formed enough to reach deep into each reader (JSON Lines records of any
JSON, WARC archives with any records, gzip layers, tag soup), then cut, corrupted or both.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bad_inputs import KNOWN_REASONS, SENTENCE, check, examples, gzip_bytes, jsonl_bytes, outcomes, warc_bytes
from veille.clean.encoding import Undecodable, decode_bytes
from veille.ingest import ingest
from veille.records import Page, Reject
from veille.sources import read_pages
from veille.store.writer import StoreWriter, reject_key

FUZZ = settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = ["<html>", "<body>", "<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<!--", "-->", "<br/>",
          "<meta charset=\"latin-1\">", "&amp;", "&#0;", "&#xD800;", "« ", " »", "“", "”", "\n", "\r\n", "\x00", "\ufeff",
          "Rechercher", "(Source : Reuters)", "Moscou, 29 novembre 2016", SENTENCE, SENTENCE * 4]
soup = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=30)), max_size=40).map("".join)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=8)
records = st.fixed_dictionaries({}, optional={
    "url": st.one_of(json_values, st.just("https://www.exemple.fr/2016/11/29/article"), st.text(max_size=30)),
    "html": st.one_of(json_values, soup), "text": st.one_of(json_values, soup),
    "published": st.one_of(json_values, st.just("2016-11-29"), st.text(max_size=12)),
    "site": json_values, "fetched": json_values, "format": st.sampled_from(["article", "dump", "html", 3]),
})
warc_records = st.lists(st.tuples(
    st.sampled_from(["response", "response", "metadata", "resource"]),
    st.sampled_from(["https://exemple.fr/a", "http://x", "https://exemple.fr/2016/11/29/b"]),
    soup.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from(["text/html", "text/html; charset=iso-8859-1", "text/html; charset=nonsense", "application/pdf",
                     "application/xhtml+xml", "text/plain", ""]),
), max_size=5)


@pytest.fixture(scope="module", autouse=True)
def rule_based_annotation():
    """Turn the spaCy models off: these tests aim at the readers (tests/nlp fuzzes the annotation)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VEILLE_MODEL_FR", "none")
        patch.setenv("VEILLE_MODEL_EN", "none")
        yield


def damaged(data: bytes, cut: float | None, flips: list[tuple[float, int]]) -> bytes:
    """Return data cut short at a fraction of its length and with some bytes overwritten."""
    if cut is not None:
        data = data[:int(len(data) * cut)]
    buffer = bytearray(data)
    for where, value in flips:
        if buffer:
            buffer[int(where * (len(buffer) - 1))] = value
    return bytes(buffer)


damage = st.tuples(st.none() | st.floats(0, 1), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=3))


@FUZZ
@given(st.lists(st.one_of(records, json_values), max_size=8), st.booleans())
def test_json_lines_of_any_json_give_one_result_per_line(lines, compress):
    data = jsonl_bytes(lines)
    results = outcomes(gzip_bytes(data) if compress else data)
    check(results)
    if data.lstrip().startswith(b"{"):  # read as JSON Lines: one article or reject per line
        assert len(results) == len(lines)


@FUZZ
@given(st.lists(records, min_size=1, max_size=6), st.booleans(), damage)
def test_damaged_json_lines_keep_going(lines, compress, cut_and_flips):
    data = jsonl_bytes(lines)
    check(outcomes(damaged(gzip_bytes(data) if compress else data, *cut_and_flips)))


@FUZZ
@given(warc_records, st.booleans())
def test_warc_gives_one_result_per_html_response(records, compress):
    results = outcomes(warc_bytes(records, compress))
    check(results)
    html = [r for r in records if r[0] == "response" and r[3].split(";")[0] in ("text/html", "application/xhtml+xml")]
    assert len(results) == max(1, len(html))


@FUZZ
@given(warc_records, st.booleans(), damage)
def test_damaged_warc_keeps_its_earlier_pages(records, compress, cut_and_flips):
    check(outcomes(damaged(warc_bytes(records, compress), *cut_and_flips)))


@FUZZ
@given(soup, st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]), st.booleans())
def test_tag_soup_in_any_encoding(text, encoding, compress):
    data = text.encode(encoding, "replace")
    check(outcomes(gzip_bytes(data) if compress else data))


@FUZZ
@given(st.binary(max_size=2000), st.one_of(st.none(), st.sampled_from(["utf-8", "latin-1", "utf-16", "nonsense", "",
                                                                       "x" * 300, "utf-7", "rot13", "base64"])))
def test_any_bytes_with_any_declared_charset_decode_or_say_why(data, charset):
    try:
        assert isinstance(decode_bytes(data, charset), str)
    except Undecodable:
        pass


@settings(max_examples=examples(5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(records, json_values), min_size=1, max_size=6))
def test_any_json_lines_ingest_stores_each_line_once(lines):
    with tempfile.TemporaryDirectory() as folder:
        corpus, db = Path(folder) / "feed.jsonl", str(Path(folder) / "store.duckdb")
        corpus.write_bytes(jsonl_bytes(lines))
        first = ingest([str(corpus)], db, workers=1)
        again = ingest([str(corpus)], db, workers=1)
        read = list(read_pages([str(corpus)]))
        assert first.articles + first.rejects == len({reject_key(item) for item in read})  # the same line once
        assert set(first.reasons) <= KNOWN_REASONS
        assert again.articles == again.rejects == again.pages == 0  # nothing is stored twice
        with StoreWriter(db) as writer:
            stored = writer.stored_ids(item.id for item in read if isinstance(item, Page))
        assert stored == {item.id for item in read if isinstance(item, Page)}
        assert all(isinstance(item, (Page, Reject)) for item in read)
