"""The seed's accents and typographic quotes survive every encoding, every format and the store.

tests/clean/test_encoding.py checks the decoder on one sentence; here the whole seed page
goes through the sources, the pipeline, the store and `veille extract`, in each encoding a
crawl brings: UTF-8, UTF-16 with BOM, Windows-1252, Latin-1, mislabelled charsets, mojibake.
"""
from __future__ import annotations

import codecs
import json
import subprocess
import sys
from html import escape
from pathlib import Path

import duckdb
import pytest

from bad_inputs import outcomes, warc_bytes
from veille.ingest import ingest
from veille.records import Article

SEED = Path(__file__).parent.parent / "data" / "seed" / "lorient-haftar-moscou.txt"
MARKS = ("«", "»", "’", "é", "è", "ï", "à", "ç")  # the seed's accents and typographic quotes


@pytest.fixture(scope="module", autouse=True)
def rules_only():
    """Annotate by rule only: the text is under test, not the entities."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VEILLE_MODEL_FR", "none")
        patch.setenv("VEILLE_MODEL_EN", "none")
        yield


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def only(results) -> Article:
    """Return the one article a file gave."""
    [article] = results
    assert isinstance(article, Article), article
    return article


def seed_html(seed: Article) -> str:
    """Return the seed article as a small HTML page."""
    body = "".join(f"<p>{escape(p, quote=False)}</p>" for p in seed.paragraphs)
    return f"<html><head><title>{escape(seed.title)}</title></head><body><article><h1>{escape(seed.title)}</h1>{body}</article></body></html>"


@pytest.fixture(scope="module")
def reference(seed_text) -> Article:
    article = only(outcomes(seed_text.encode("utf-8")))
    assert all(mark in article.title + article.text for mark in MARKS)
    return article


@pytest.mark.parametrize("encode", [
    lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    lambda text: text.encode("cp1252"),
    lambda text: text.encode("utf-8").decode("cp1252").encode("utf-8"),  # mojibake: UTF-8 read as Windows-1252, saved again
    lambda text: text.replace("\n", "\r\n").encode("utf-8"),
], ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "windows-1252", "mojibake", "crlf"])
def test_seed_dump_reads_the_same_in_every_encoding(seed_text, reference, encode):
    article = only(outcomes(encode(seed_text)))
    assert (article.title, article.paragraphs) == (reference.title, reference.paragraphs)


@pytest.mark.parametrize("declared, encoding, errors", [
    ("utf-8", "utf-8", "strict"),
    ("iso-8859-1", "latin-1", "xmlcharrefreplace"),  # ’ is not Latin-1: the page writes it &#8217;
    ("utf-8", "cp1252", "strict"),                   # mislabelled: says UTF-8, is Windows-1252
    ("windows-1252", "utf-8", "strict"),             # mislabelled: says Windows-1252, is UTF-8
])
def test_seed_html_reads_the_same_whatever_its_charset_says(reference, declared, encoding, errors):
    page = seed_html(reference).replace("<head>", f'<head><meta charset="{declared}">')
    article = only(outcomes(page.encode(encoding, errors)))
    assert article.paragraphs == reference.paragraphs


@pytest.mark.parametrize("header, encoding", [("text/html; charset=utf-8", "cp1252"),
                                              ("text/html; charset=iso-8859-1", "utf-8"),
                                              ("text/html; charset=no-such-charset", "utf-8")])
def test_seed_in_a_warc_with_a_wrong_header_charset(reference, header, encoding):
    archive = warc_bytes([("response", "https://www.lorientlejour.com/article/1020", seed_html(reference).encode(encoding),
                           header)], compress=True)
    assert only(outcomes(archive)).paragraphs == reference.paragraphs


def test_seed_survives_the_store_and_extract(tmp_path, seed_text, reference):
    page = tmp_path / "seed.txt"
    page.write_text(seed_text, encoding="utf-16")
    db = str(tmp_path / "store.duckdb")
    ingest([str(page)], db, workers=1)
    with duckdb.connect(db, read_only=True) as con:
        stored_title, stored_text = con.execute("SELECT title, text FROM articles").fetchone()
    assert (stored_title, stored_text) == (reference.title, reference.text)
    run = subprocess.run([sys.executable, "-m", "veille", "extract", str(page), "--published", "2016-11-29"],
                         capture_output=True, check=True)  # bytes: the JSON must be UTF-8 whatever the locale
    record = json.loads(run.stdout.decode("utf-8"))
    assert (record["title"], record["text"]) == (reference.title, reference.text)
