"""The search benchmark's synthetic store gives every filter work to do, and the run reports every query kind."""
from __future__ import annotations

import io

import duckdb
from rich.console import Console

from benchmarks import search


def test_the_synthetic_store_has_entities_quotes_sites_and_dates(tmp_path):
    path = str(tmp_path / "bench.duckdb")
    search.make_store(path, 300)
    with duckdb.connect(path, read_only=True) as con:
        articles, sites, days, words = con.execute("""
            SELECT count(*), count(DISTINCT site), count(DISTINCT published), avg(length(string_split(text, ' ')))
            FROM articles""").fetchone()
        quoted = con.execute("SELECT count(DISTINCT article_id) FROM quotes").fetchone()[0]
        named = con.execute("SELECT count(DISTINCT article_id), count(DISTINCT entity_id) FROM entities").fetchone()
    assert (articles, quoted, sites, days) == (300, 150, len(search.SITES), 300)
    assert words == search.CHUNK_WORDS * search.TEXT_CHUNKS and named[0] == 300 and named[1] > 20


def test_a_small_run_times_every_query_kind(tmp_path):
    [figure] = search.run([200], 3, Console(file=io.StringIO()), out=tmp_path)
    assert len(figure["queries"]) == 6 and all(kind["n"] == 3 for kind in figure["queries"].values())
    assert list(tmp_path.glob("search-*.json"))
