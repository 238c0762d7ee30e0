"""Every input format is read from its content, and every bad input becomes a reject with a reason."""
from __future__ import annotations

import gzip
import io
import json

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from veille.pipeline import process_page
from veille.records import Page, Reject
from veille.sources import SourceOptions, read_pages

ARTICLE_HTML = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{url}"></head><body><nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
<article><h1>{title}</h1><p>{p1}</p><p>{p2}</p></article><footer>Mentions légales</footer></body></html>"""

FR = dict(lang="fr", title="Le conseil municipal vote le budget", url="https://www.exemple-journal.example/ville/budget",
          p1="Le conseil municipal de Lyon a adopté hier soir le budget de l'année prochaine après un long débat "
             "entre la majorité et l'opposition sur le financement des transports.",
          p2="« Ce budget protège les services publics », a déclaré la maire, Claire Fontaine, à l'issue de la séance "
             "qui a duré plus de cinq heures, selon plusieurs élus présents.")


def html_page(**fields) -> str:
    """Return a small article page in HTML."""
    return ARTICLE_HTML.format(**{**FR, **fields})


def pages_of(*paths, **options) -> list[Page | Reject]:
    """Return everything the sources read from paths."""
    return list(read_pages([str(p) for p in paths], SourceOptions(**options)))


def warc_bytes(records: list[tuple[str, str, bytes, str]], compress: bool) -> bytes:
    """Return a WARC holding (type, uri, payload, content type) records."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for rec_type, uri, payload, content_type in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(uri, rec_type, payload=io.BytesIO(payload),
                                           http_headers=headers if rec_type == "response" else None)
        writer.write_record(record)
    return buffer.getvalue()


def test_html_file_becomes_an_article(tmp_path):
    path = tmp_path / "page.bin"  # the name says nothing: the content does
    path.write_text(html_page(), encoding="utf-8")
    [page] = pages_of(path)
    assert page.format == "html"
    article = process_page(page)
    assert article.title == FR["title"]
    assert article.language == "fr"
    assert article.site == "exemple-journal.example"
    assert any("budget de l'année prochaine" in p for p in article.paragraphs)
    assert not any("Mentions légales" in p for p in article.paragraphs)


def test_gzipped_html_is_read(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(html_page().encode()))
    [page] = pages_of(path)
    assert page.format == "html" and isinstance(process_page(page).title, str)


def test_windows_1252_html_keeps_its_accents(tmp_path):
    path = tmp_path / "latin.html"
    path.write_bytes(html_page().replace('charset="utf-8"', 'charset="windows-1252"').encode("cp1252"))
    article = process_page(pages_of(path)[0])
    assert "Le conseil municipal de Lyon a adopté hier soir" in article.text
    assert "« Ce budget protège les services publics »" in article.text


@pytest.mark.parametrize("compress", [False, True])
def test_warc_yields_only_html_responses(tmp_path, compress):
    records = [
        ("request", "https://a.example/1", b"GET / HTTP/1.1\r\n\r\n", ""),
        ("response", "https://a.example/1", html_page().encode(), "text/html; charset=utf-8"),
        ("response", "https://a.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
        ("response", "https://a.example/2", html_page(title="Un autre titre pour la page deux").encode(), "text/html"),
    ]
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    path.write_bytes(warc_bytes(records, compress))
    pages = pages_of(path)
    assert [p.url for p in pages] == ["https://a.example/1", "https://a.example/2"]
    assert all(p.format == "html" and p.fetched for p in pages)
    assert [p.source for p in pages] == [f"{path}#1", f"{path}#2"]


def test_truncated_warc_keeps_earlier_pages_and_rejects_the_rest(tmp_path):
    records = [("response", f"https://a.example/{i}", html_page(title=f"Titre numéro {i} de la série").encode(),
                "text/html") for i in range(3)]
    data = warc_bytes(records, compress=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: int(len(data) * 0.6)])
    items = pages_of(path)
    assert isinstance(items[0], Page)
    assert isinstance(items[-1], Reject) and items[-1].reason == "truncated_warc"
    assert str(path) in items[-1].error


def test_jsonl_reads_html_and_text_records_and_rejects_bad_lines(tmp_path):
    lines = [json.dumps({"url": "https://b.example/a", "html": html_page(), "published": "2026-11-27"}),
             "{not json",
             json.dumps({"url": "https://b.example/b", "text": "Titre\n\n" + FR["p1"] + "\n\n" + FR["p2"]}),
             json.dumps({"url": "https://b.example/c"}),
             json.dumps(["a", "list"])]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = pages_of(path)
    kinds = [(type(i).__name__, getattr(i, "format", None) or getattr(i, "reason", None)) for i in items]
    assert kinds == [("Page", "html"), ("Reject", "bad_json"), ("Page", "dump"),
                     ("Reject", "empty_input"), ("Reject", "bad_json")]
    assert items[0].published == "2026-11-27" and items[0].url == "https://b.example/a"
    assert items[1].source == f"{path}:2"


def test_text_dump_is_a_dump_and_article_mode_keeps_every_line(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_text("Accueil\n\nSe connecter\n\n" + FR["p1"] + "\n\n" + FR["p2"] + "\n", encoding="utf-8")
    [dump] = pages_of(path)
    assert dump.format == "dump"
    [article_page] = pages_of(path, as_format="article")
    article = process_page(article_page)
    assert article.paragraphs[:2] == ["Accueil", "Se connecter"]
    assert article.removed == []


def test_directories_are_walked_recursively_and_globs_expanded(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.html", "a/b/two.html", "three.html"):
        (tmp_path / name).write_text(html_page(title=f"Titre {name}"), encoding="utf-8")
    assert len(pages_of(tmp_path)) == 3
    assert len(pages_of(tmp_path / "**" / "*.html")) == 3


def test_a_missing_file_is_a_reject_and_the_rest_is_read(tmp_path):
    good = tmp_path / "good.html"
    good.write_text(html_page(), encoding="utf-8")
    items = pages_of(tmp_path / "nope.html", tmp_path / "nothing-*.html", good)
    assert [getattr(i, "reason", "page") for i in items] == ["not_found", "not_found", "page"]
    assert str(tmp_path / "nope.html") in items[0].error


@pytest.mark.parametrize("content, reason", [
    (b"", "empty_input"),
    (b"   \n\n  \n", "empty_input"),
    (b"\x00\x01\x02\x03binary\x00\xff" * 50, "not_text"),
    (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no_article_found"),
])
def test_bad_pages_become_rejects_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad"
    path.write_bytes(content)
    [item] = pages_of(path)
    result = item if isinstance(item, Reject) else process_page(item)
    assert isinstance(result, Reject), result
    assert result.reason == reason
    assert str(path) in result.error


def test_oversized_page_and_gzip_bomb_are_rejected_without_reading_them_whole(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 50_000)
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b"a" * 20_000_000))
    items = pages_of(big, bomb, max_bytes=100_000)
    assert [(i.reason, i.source) for i in items] == [("too_large", str(big)), ("too_large", str(bomb))]


def test_stdin_is_read_with_a_dash(monkeypatch):
    fake = io.BytesIO(html_page().encode())
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(fake))
    [page] = pages_of("-")
    assert page.source == "<stdin>" and page.format == "html"


def test_an_over_long_jsonl_line_is_rejected_and_the_next_one_read(tmp_path):
    path = tmp_path / "feed.jsonl"
    long_line = json.dumps({"url": "https://b.example/long", "text": "mot " * 100_000})
    short_line = json.dumps({"url": "https://b.example/ok", "html": html_page()})
    path.write_text(long_line + "\n" + short_line + "\n", encoding="utf-8")
    items = pages_of(path, max_bytes=50_000)
    assert [type(i).__name__ for i in items] == ["Reject", "Page"]
    assert items[0].reason == "too_large" and items[1].url == "https://b.example/ok"
    assert items[1].source == f"{path}:2"


def test_a_warc_without_html_pages_says_so(tmp_path):
    path = tmp_path / "images.warc"
    path.write_bytes(warc_bytes([("response", "https://a.example/x.png", b"\x89PNG" + bytes(32), "image/png")],
                                compress=False))
    [item] = pages_of(path)
    assert isinstance(item, Reject) and item.reason == "no_html_records"
