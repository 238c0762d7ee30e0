"""Search latency: p50/p95 of full-text queries on synthetic stores of 10k and 100k articles.

Run as `python -m benchmarks.search [--sizes 10000 100000] [--queries 200]`. The articles are
made in SQL from a fixed French and English vocabulary (the same seed gives the same store),
with entities and quotes so that the entity and has-quotes filters have work to do. Figures
are printed as a table and written to benchmarks/results/search-DATE.json; never asserted.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.common import machine
from veille.store.connect import open_store
from veille.store.reader import Store

RESULTS = Path(__file__).resolve().parent / "results"
WORDS = ("gouvernement ministre accord sommet élections conseil budget réforme grève hôpital port tempête "
         "inondations aide sanctions négociations armée frontière président parlement tribunal enquête "
         "government minister agreement summit elections council budget reform strike hospital harbour storm "
         "floods aid sanctions talks army border president parliament court inquiry union d'union l'accord "
         "marché économie pétrole prix énergie climat école santé police justice visite rencontre "
         "market economy oil prices energy climate school health police justice visit meeting").split()
NAMES = [f"{first} {last}" for first in ("Ana", "Jean", "Marie", "John", "Amadou", "Sergueï", "Fatou", "Peter")
         for last in ("Diallo", "Martin", "Lavrov", "Smith", "Haftar", "Osei", "Tremblay", "Roy", "Nguyen", "Ruiz")]
SITES = [f"site{number}.example" for number in range(40)]


DEFAULT_SIZES, DEFAULT_QUERIES = [10_000, 100_000], 200  # the requirement is stated at 100k articles
CHUNKS, CHUNK_WORDS, TEXT_CHUNKS = 4000, 25, 10  # texts of 250 words, drawn as 10 of 4,000 word runs


def make_store(path: str, articles: int, *, seed: int = 7) -> None:
    """Write a store of synthetic articles, with entities and quotes, in a few bulk INSERT ... SELECT.

    Texts are runs of words drawn from a pool made once, so the cost per article is a few
    hashes and one string join: 100k articles take seconds, not the per-page pipeline's hours.
    """
    with open_store(path) as con:
        con.execute(f"SELECT setseed({seed / 100})")
        con.execute("CREATE TEMP TABLE words AS SELECT ?::VARCHAR[] AS w, ?::VARCHAR[] AS n, ?::VARCHAR[] AS s",
                    [list(WORDS), NAMES, SITES])
        con.execute("""
            CREATE TEMP TABLE pool AS
            SELECT list(array_to_string(list_transform(range(?), x -> w[1 + (hash(c * 131 + x) % len(w))::BIGINT]),
                                        ' ')) AS c
            FROM range(?) t(c), words""", [CHUNK_WORDS, CHUNKS])
        con.execute("""
            INSERT INTO articles (id, source, site, title, published, language, text, paragraphs, removed, meta)
            SELECT md5('synthetic' || i), 'synthetic#' || i, s[1 + i % len(s)],
                   array_to_string(list_transform(range(8), x -> w[1 + (hash(i * 31 + x) % len(w))::BIGINT]), ' '),
                   strftime(DATE '2016-01-01' + (i % 3650)::INTEGER, '%Y-%m-%d'),
                   CASE WHEN i % 3 = 0 THEN 'en' ELSE 'fr' END,
                   array_to_string(list_transform(range(?), x -> c[1 + (hash(i * 1009 + x) % len(c))::BIGINT]), ' '),
                   [], '[]', '{}'
            FROM range(?) t(i), words, pool""", [TEXT_CHUNKS, articles])
        con.execute("""
            INSERT INTO entities (article_id, entity_id, name, type, roles, attributes, mention_count)
            SELECT md5('synthetic' || i), left(sha256('PER' || chr(0) || lower(name)), 32), name, 'PER', [], '{}', 1
            FROM (SELECT DISTINCT i, n[1 + (hash(i * 7 + k) % len(n))::BIGINT] AS name
                  FROM range(?) t(i), range(3) k(k), words)""", [articles])
        con.execute("""
            INSERT INTO quotes (article_id, quote_id, start, "end", text, kind, speaker, speaker_entity)
            SELECT md5('synthetic' || i), md5('quote' || i), 0, 20, 'synthetic quote', 'direct', n[1 + i % len(n)],
                   left(sha256('PER' || chr(0) || lower(n[1 + i % len(n)])), 32)
            FROM range(?) t(i), words WHERE i % 2 = 0""", [articles])


def measure_queries(store: Store, count: int, *, seed: int = 11) -> dict[str, list[float]]:
    """Time searches of one and two words, with and without filters; return milliseconds per kind."""
    rng = random.Random(seed)
    kinds = {
        "one word": lambda: {"q": rng.choice(WORDS)},
        "two words": lambda: {"q": f"{rng.choice(WORDS)} {rng.choice(WORDS)}"},
        "word + language + dates": lambda: {"q": rng.choice(WORDS), "lang": "fr", "date_from": "2018-01-01",
                                            "date_to": "2021-12-31"},
        "word + entity": lambda: {"q": rng.choice(WORDS), "entity": rng.choice(NAMES)},
        "word + has quotes": lambda: {"q": rng.choice(WORDS), "has_quotes": True},
        "filters only (newest first)": lambda: {"site": rng.choice(SITES)},
    }
    timings: dict[str, list[float]] = {}
    for name, make in kinds.items():
        for _ in range(count):
            arguments = make()
            started = time.perf_counter()
            store.search(**arguments, limit=20)
            timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    return timings


def run_size(articles: int, queries: int, console: Console) -> dict:
    """Build one store and its index, time the queries, and return the figures."""
    with tempfile.TemporaryDirectory(prefix="veille-bench-search-") as folder:
        path = str(Path(folder) / "bench.duckdb")
        started = time.perf_counter()
        make_store(path, articles)
        built = time.perf_counter() - started
        indexed = time_first_search(path)  # opens the store and builds the index
        reopened = time_first_search(path)  # opens the store and finds its index current
        with Store(path) as store:
            timings = measure_queries(store, queries)
    console.print(f"{articles} articles: store made in {built:.1f} s, indexed in {indexed:.1f} s, "
                  f"reopened in {reopened:.2f} s")
    return {"articles": articles, "store_seconds": round(built, 2), "index_seconds": round(indexed, 2),
            "reopen_seconds": round(reopened, 3),
            "queries": {name: _percentiles(values) for name, values in timings.items()}}


def time_first_search(path: str) -> float:
    """Return the seconds to open a store and answer its first search, index sync included."""
    started = time.perf_counter()
    with Store(path) as store:
        store.search("warm")
    return time.perf_counter() - started


def _percentiles(values: list[float]) -> dict[str, float]:
    """Return the p50 and p95 of some timings in milliseconds."""
    ordered = sorted(values)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3)}


def print_figures(console: Console, figures: list[dict]) -> None:
    """Print one row per store size and query kind."""
    table = Table(title="search latency (ms)")
    for header in ("articles", "query", "p50", "p95"):
        table.add_column(header, justify="left" if header == "query" else "right")
    for figure in figures:
        for name, values in figure["queries"].items():
            table.add_row(str(figure["articles"]), name, f"{values['p50_ms']:.2f}", f"{values['p95_ms']:.2f}")
    console.print(table)


def run(sizes: list[int], queries: int, console: Console, out: Path | None = RESULTS) -> list[dict]:
    """Measure every size, print the table and write the JSON figures."""
    figures = []
    for size in sizes:  # print as each size ends: the largest may take minutes
        figures.append(run_size(size, queries, console))
        print_figures(console, figures[-1:])
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"search-{date.today().isoformat()}.json"
        target.write_text(json.dumps({"machine": machine(), "figures": figures}, indent=2) + "\n")
        console.print(f"figures written to {target}")
    return figures


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the search benchmark."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, help="articles per store")
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="queries per kind")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON figures")
    args = parser.parse_args(argv)
    run(args.sizes, args.queries, Console(width=100), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
