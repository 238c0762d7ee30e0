"""The bundled sample pages, as `make demo` ingests them."""
from __future__ import annotations

import json

import duckdb
import pytest

from veille.store.queries import stats

UI_LINES = {"Se connecter", "Partager", "Retour en haut", "Sign in", "Subscribe", "Share", "Back to top"}


@pytest.fixture(scope="module")
def sample_store(samples_ingest):
    """Return the samples store's path and ingest report (ingested once a session, tests/api/stores.py)."""
    return samples_ingest


def query(db: str, sql: str, params=()) -> list[tuple]:
    """Run a read-only query on a store."""
    with duckdb.connect(db, read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_every_sample_page_is_stored_once_and_the_error_page_rejected(sample_store):
    db, report = sample_store
    assert report.articles == 34 and report.skipped == 1  # the duplicate page in the WARC
    [(source, reason)] = query(db, "SELECT source, reason FROM rejects")
    assert reason == "no_article_found" and "introuvable" in source


def test_samples_cover_both_languages_and_four_sites(sample_store):
    db, _ = sample_store
    with duckdb.connect(db, read_only=True) as con:
        counts = stats(con)
    assert set(counts["languages"]) == {"fr", "en"}
    assert len([site for site in counts["sites"] if site != "unknown"]) == 4
    assert counts["boilerplate_lines"].get("courrier-estuaire.example", 0) > 10


def test_wire_copies_carry_their_agency(sample_store):
    db, _ = sample_store
    rows = query(db, "SELECT source, wire_source FROM articles WHERE source LIKE '%mali-alger%' "
                     "OR title LIKE '%Mali%' OR title LIKE '%malien%'")
    assert len(rows) >= 3
    assert all(agency == "Reuters" for _, agency in rows), rows


def test_no_interface_line_survives_in_any_body(sample_store):
    db, _ = sample_store
    for (paragraphs,) in query(db, "SELECT paragraphs FROM articles"):
        assert not UI_LINES & set(paragraphs)


def test_windows_1252_page_keeps_its_accents(sample_store):
    db, _ = sample_store
    [(title, text)] = query(db, "SELECT title, text FROM articles WHERE source LIKE '%budget-lemoine%'")
    assert "é" in text and "Ã" not in text and "\ufffd" not in text
    assert "Lemoine" in title


def test_every_article_has_title_date_and_language(sample_store):
    db, _ = sample_store
    for source, title, published, language, removed in query(
            db, "SELECT source, title, published, language, removed FROM articles"):
        assert title and language in ("fr", "en"), source
        assert published and published.startswith("2026-11"), source
        assert isinstance(json.loads(removed), list)
