"""Pathological inputs end in bounded time and memory: huge pages and records, bombs, deep nesting, regex worst cases.

Each test has a small variant run by `make test` and, where size is the point, a full-size
one marked slow (`make stress`): a 100 MB HTML page, a 1 GB WARC record, a million-line
dump, a 4 GB gzip bomb. Inputs are generated as they are read; none is committed.
"""
from __future__ import annotations

import io
import time
import tracemalloc

import pytest

from bad_inputs import KNOWN_REASONS, MB, SENTENCE, check, gzip_bomb, huge_warc_record, jsonl_bytes, outcomes
from veille.limits import GZIP_FREE_BYTES, page_seconds
from veille.records import Page, Reject
from veille.sources import SourceOptions, read_pages
from veille.sources.detect import sniff
from veille.sources.warc import read_warc


def peak_memory(run) -> tuple[object, int]:
    """Return what run() returns and the peak of Python's allocations while it ran."""
    tracemalloc.start()
    try:
        result = run()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("size, limit", [
    (3 * MB, 1 * MB),
    pytest.param(100 * MB, 50 * MB, marks=pytest.mark.slow),  # the default --max-bytes
])
def test_huge_html_page_is_refused_reading_no_more_than_the_limit(tmp_path, size, limit):
    path = tmp_path / "huge.html"
    with open(path, "wb") as out:
        out.write(b"<html><body><article>")
        for _ in range(size // MB):
            out.write(f"<p>{SENTENCE}</p>\n".encode() * (MB // 120))
    [reject], peak = peak_memory(lambda: list(read_pages([str(path)], SourceOptions(max_bytes=limit))))
    assert reject.reason == "too_large"
    assert peak < 3 * limit


@pytest.mark.parametrize("size, limit", [
    (20 * MB, 1 * MB),
    pytest.param(1024 * MB, 50 * MB, marks=pytest.mark.slow),
])
def test_huge_warc_record_is_refused_and_the_next_record_read(size, limit):
    stream = huge_warc_record(size)
    items, peak = peak_memory(lambda: list(read_warc(io.BufferedReader(stream), "huge.warc", SourceOptions(max_bytes=limit))))
    assert [type(item) for item in items] == [Reject, Page]
    assert items[0].reason == "too_large" and items[1].url == "https://example.org/small"
    assert stream.read_count > size  # streamed through, record after record
    assert peak < 3 * limit


@pytest.mark.parametrize("lines, seconds", [
    (20_000, 2),
    pytest.param(1_000_000, None, marks=pytest.mark.slow),  # the default budget
])
def test_million_line_dump_ends_within_the_page_budget(tmp_path, monkeypatch, lines, seconds):
    if seconds:
        monkeypatch.setenv("VEILLE_PAGE_SECONDS", str(seconds))
    path = tmp_path / "dump.txt"
    with open(path, "w", encoding="utf-8") as out:
        for number in range(lines):
            out.write(f"Rubrique {number}\n" if number % 2 else f"{SENTENCE[:70]} {number}.\n")
    started = time.monotonic()
    results = outcomes(path.read_bytes())
    check(results)
    assert time.monotonic() - started < page_seconds() + 30  # the budget, plus reading and decoding


@pytest.mark.parametrize("inflated", [
    GZIP_FREE_BYTES + 16 * MB,
    pytest.param(4096 * MB, marks=pytest.mark.slow),
])
@pytest.mark.parametrize("prefix, fill, reason", [
    (b"Titre\n\n", b"Le texte. ", "too_large"),                       # one page: refused at --max-bytes
    (b'{"text": "', b"a", "too_large"),                              # one endless JSON line
    (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.org/\r\nContent-Length: 9999999999\r\n\r\n"
     b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", b"<p>", "too_large"),  # one endless record
])
def test_gzip_bomb_is_refused_before_it_inflates(tmp_path, inflated, prefix, fill, reason):
    path = tmp_path / "bomb.gz"
    path.write_bytes(gzip_bomb(prefix, fill, inflated))
    results, peak = peak_memory(lambda: list(read_pages([str(path)])))
    # A WARC bomb is refused twice: its record at --max-bytes, then its stream for its ratio.
    assert {result.reason for result in results if isinstance(result, Reject)} == {reason}
    assert peak < 3 * SourceOptions().max_bytes


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_html_is_an_article_or_a_reject(depth):
    page = "<html><body>" + "<div><span>" * depth + f"<p>{SENTENCE * 4}</p>" + "</span></div>" * depth + "</body></html>"
    check(outcomes(page.encode()))
    check(outcomes(("<html><body>" + "<div>" * depth + SENTENCE).encode()))  # never closed


@pytest.mark.parametrize("head", [
    b"<!--a-->" * 30 + b"x",  # was 2**n backtracking in the HTML sniffer: 25 comments took 16 s
    b"x" + b"<p " * 21_000,   # unclosed tags: was quadratic
    b"<" * 65_536,
    b"<!--" * 16_000,
])
def test_sniffing_has_no_regex_worst_case(head):
    started = time.monotonic()
    assert sniff(head) in {"text", "html"}
    assert time.monotonic() - started < 2  # linear: milliseconds; the worst cases took seconds to hours


def test_many_huge_json_lines_are_each_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("VEILLE_MODEL_FR", "none")  # the readers are under test, not the annotation
    path = tmp_path / "feed.jsonl"
    path.write_bytes(jsonl_bytes([{"text": "x" * (2 * MB)}, {"text": SENTENCE * 20}, {"html": "<p>" * MB}]))
    results = outcomes(path.read_bytes(), SourceOptions(max_bytes=MB))
    assert [getattr(result, "reason", None) for result in results] == ["too_large", None, "too_large"]
    assert set(r.reason for r in results if isinstance(r, Reject)) <= KNOWN_REASONS
