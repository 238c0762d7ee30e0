"""Storage per article: the store, its search index and the Ray shards, table by table, models on.

Run as `python -m benchmarks.storage [--pages N] [--no-models]`. The corpus is the memory
benchmark's JSON Lines feed (the dev sets' HTML pages, else the bundled samples), by default each
page once: copies of one article would flatter DuckDB's compression (equal strings share a
dictionary). The pages go through the whole pipeline with the spaCy models on, in this process,
then into a fresh store through the one writer, and into one Parquet shard as the Ray engine
writes them (when pyarrow is installed). Each table is measured by copying it alone into a fresh
DuckDB file (to DuckDB's 256 KB block) and into a zstd Parquet file (to the byte). The figures
per million articles are a linear extrapolation of the bytes per article. Never asserted.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from benchmarks.clean import find_inputs
from benchmarks.common import save_report
from benchmarks.memory import write_feed
from veille.limits import DEFAULT_BATCH
from veille.pipeline import process_page
from veille.records import Page, Reject
from veille.sources import read_pages
from veille.store.reader import Store
from veille.store.search import index_path
from veille.store.writer import StoreWriter

RESULTS = Path(__file__).resolve().parent / "results"
MILLION = 1_000_000


def process_feed(feed: Path) -> list[tuple]:
    """Run the whole per-page pipeline over a feed's pages in this process; return (page, result) pairs."""
    return [(item, item if isinstance(item, Reject) else process_page(item)) for item in read_pages([str(feed)])]


def write_store(db: Path, pairs: list[tuple]) -> None:
    """Write the results into a fresh store in batches, as an ingest does, and close it (a checkpoint)."""
    with StoreWriter(str(db)) as writer:
        for start in range(0, len(pairs), DEFAULT_BATCH):
            writer.write_batch([(item if isinstance(item, Page) else None, result)
                                for item, result in pairs[start:start + DEFAULT_BATCH]])


def write_shard(path: Path, pairs: list[tuple]) -> bool:
    """Write the results as one Ray shard (pickled records in zstd Parquet); False without pyarrow."""
    if importlib.util.find_spec("pyarrow") is None:
        return False
    from veille.engines.ray import ShardFile

    path.parent.mkdir(parents=True, exist_ok=True)
    with ShardFile(path) as shard:
        for item, result in pairs:
            shard.add(item, result)
    return True


def build_index(db: Path) -> None:
    """Build the store's search index, as the first search does."""
    with Store(str(db)) as store:
        store.search("warm")


def folder_bytes(path: Path) -> int:
    """Return the bytes of the files under a folder (0 when it is absent)."""
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file()) if path.exists() else 0


def table_sizes(db: Path, scratch: Path) -> list[dict]:
    """Return each table's rows, and its bytes alone in a fresh DuckDB file and in a zstd Parquet file."""
    con = duckdb.connect()  # in memory: the store attached read-only, each copy attached beside it
    try:
        con.execute(f"ATTACH '{db}' AS store (READ_ONLY)")
        tables = [row[0] for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'store' ORDER BY 1").fetchall()]
        return [_table_size(con, table, scratch) for table in tables]
    finally:
        con.close()


def _table_size(con: duckdb.DuckDBPyConnection, table: str, scratch: Path) -> dict:
    """Measure one table: its rows, its DuckDB bytes (a fresh file less the same file empty), its Parquet bytes."""
    rows = con.execute(f'SELECT count(*) FROM store."{table}"').fetchone()[0]
    empty, full = (_alone_in_file(con, table, scratch / f"{table}-{limit}.duckdb", limit) for limit in (0, None))
    parquet = scratch / f"{table}.parquet"
    con.execute(f"COPY (SELECT * FROM store.\"{table}\") TO '{parquet}' (FORMAT parquet, COMPRESSION zstd)")
    return {"table": table, "rows": rows, "raw_bytes": _raw_bytes(con, table), "duckdb_bytes": full - empty,
            "parquet_bytes": parquet.stat().st_size}


def _raw_bytes(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Return a table's size uncompressed: blobs as their bytes, every other value as its text."""
    columns = con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                          "WHERE database_name = 'store' AND table_name = ?", [table]).fetchall()
    sizes = [f'octet_length("{name}")' if kind == "BLOB" else f'strlen(CAST("{name}" AS VARCHAR))'
             for name, kind in columns]
    total = " + ".join(f"coalesce({size}, 0)" for size in sizes)
    return con.execute(f'SELECT coalesce(sum({total}), 0) FROM store."{table}"').fetchone()[0]


def _alone_in_file(con: duckdb.DuckDBPyConnection, table: str, path: Path, limit: int | None) -> int:
    """Copy a table (or its first limit rows) alone into a new DuckDB file; return the file's size."""
    con.execute(f"ATTACH '{path}' AS alone")
    try:
        suffix = f" LIMIT {limit}" if limit is not None else ""
        con.execute(f'CREATE TABLE alone."{table}" AS SELECT * FROM store."{table}"{suffix}')
        con.execute("CHECKPOINT alone")
    finally:
        con.execute("DETACH alone")
    return path.stat().st_size


def payload(db: Path) -> dict:
    """Return the raw and gzipped page bytes, the text characters, and the file's used and free blocks."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        raw, gzipped = con.execute("SELECT sum(size), sum(octet_length(content_gzip)) FROM pages").fetchone()
        articles, text = con.execute("SELECT count(*), sum(length(text)) FROM articles").fetchone()
        used, free, block = con.execute(
            "SELECT used_blocks, free_blocks, block_size FROM pragma_database_size()").fetchone()
    finally:
        con.close()
    return {"articles": articles, "page_bytes_raw": raw or 0, "page_bytes_gzip": gzipped or 0,
            "text_chars": text or 0, "used_blocks": used, "free_blocks": free,
            "block_size": block}


def measure(feed: Path, folder: Path) -> dict:
    """Process a feed, write its store, index and shard, and return every size and the time of each step."""
    db, clock = folder / "storage.duckdb", _Clock()
    pairs = clock.time("pipeline", lambda: process_feed(feed))
    clock.time("store_writes", lambda: write_store(db, pairs))
    store_bytes = db.stat().st_size
    wal = Path(f"{db}.wal")
    wal_bytes = wal.stat().st_size if wal.exists() else 0
    clock.time("search_index", lambda: build_index(db))
    empty = folder / "empty.duckdb"
    write_store(empty, [])  # the schema alone: the store's fixed cost, left out of the bytes per article
    shard = folder / "storage.duckdb.shards" / "all.parquet"
    sharded = write_shard(shard, pairs)
    scratch = folder / "tables"
    scratch.mkdir()
    sizes, index = payload(db), index_path(str(db))
    return {"pages": len(pairs), "seconds": clock.seconds, "cpu_seconds": clock.cpu, **sizes,
            "files": {"store": store_bytes, "store above an empty one": store_bytes - empty.stat().st_size,
                      "store, used blocks only": sizes["used_blocks"] * sizes["block_size"], "wal": wal_bytes,
                      "search index": folder_bytes(index),
                      "search index: indexed.txt": (index / "indexed.txt").stat().st_size,
                      "ray shards": shard.stat().st_size if sharded else None},
            "tables": table_sizes(db, scratch)}


class _Clock:
    """Time named steps: wall seconds, and CPU seconds of this process (the same on an idle machine)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def time(self, name: str, step):
        """Run a step, keep its wall and CPU time under name, and return what it returns."""
        started, cpu = time.perf_counter(), time.process_time()
        result = step()
        self.seconds[name] = round(time.perf_counter() - started, 2)
        self.cpu[name] = round(time.process_time() - cpu, 2)
        return result


def per_article(value: int | None, articles: int) -> str:
    """Return bytes per article as a readable figure ('—' when not measured)."""
    return "—" if value is None or not articles else f"{value / articles:,.0f}"


def per_million_gb(value: int | None, articles: int) -> str:
    """Return the GB a million articles would take at the measured bytes per article (an extrapolation)."""
    return "—" if value is None or not articles else f"{value / articles * MILLION / 1e9:,.1f}"


def print_figures(console: Console, figures: dict) -> None:
    """Print the bytes per article, by table and by file, with the GB per million articles."""
    n = figures["articles"]
    tables = Table(title=f"bytes per article, by table ({n} articles from {figures['pages']} pages)")
    for header in ("table", "rows", "rows/article", "raw B/article", "DuckDB B/article", "Parquet zstd B/article",
                   "DuckDB GB/M"):
        tables.add_column(header, justify="left" if header == "table" else "right")
    for t in figures["tables"]:
        tables.add_row(t["table"], str(t["rows"]), f"{t['rows'] / n:.1f}" if n else "—",
                       per_article(t["raw_bytes"], n), per_article(t["duckdb_bytes"], n),
                       per_article(t["parquet_bytes"], n), per_million_gb(t["duckdb_bytes"], n))
    console.print(tables)
    files = Table(title="bytes per article, by file (GB/M: per million articles, extrapolated)")
    for header in ("file", "bytes", "B/article", "GB/M"):
        files.add_column(header, justify="left" if header == "file" else "right")
    rows = {**figures["files"], "page bytes, raw": figures["page_bytes_raw"],
            "page bytes, gzip": figures["page_bytes_gzip"], "article text, characters": figures["text_chars"]}
    for name, value in rows.items():
        files.add_row(name, "—" if value is None else f"{value:,}", per_article(value, n), per_million_gb(value, n))
    console.print(files)
    console.print("seconds (wall / CPU): " + ", ".join(f"{name} {value} / {figures['cpu_seconds'][name]}"
                                                       for name, value in figures["seconds"].items()))


@contextmanager
def _models_on(models: bool):
    """Run a block with the spaCy models, or with none (no annotations: thousands of pages in minutes)."""
    saved = {name: os.environ.get(name) for name in ("VEILLE_MODEL_FR", "VEILLE_MODEL_EN")}
    if not models:
        os.environ.update(VEILLE_MODEL_FR="none", VEILLE_MODEL_EN="none")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run(shared: Path, pages: int | None, console: Console, *, models: bool = True,
        out: Path | None = RESULTS) -> dict:
    """Measure the storage of a corpus, print the tables and write the JSON figures."""
    inputs = find_inputs(shared)
    pages = pages or len(inputs.html)  # each page once unless asked for more
    with tempfile.TemporaryDirectory(prefix="veille-bench-storage-") as folder, _models_on(models):
        feed = Path(folder) / "feed.jsonl"
        write_feed(feed, inputs.html, pages)
        figures = measure(feed, Path(folder))
    print_figures(console, figures)
    if out is not None:
        save_report(console, out, "storage", inputs=inputs.label, distinct_pages=len(inputs.html), models=models,
                    duckdb=duckdb.__version__, figures=figures)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the storage benchmark."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.storage", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding data/dev/")
    parser.add_argument("--pages", type=int, default=None,
                        help="pages to ingest (default: each input page once; more are copies)")
    parser.add_argument("--no-models", dest="models", action="store_false",
                        help="turn the spaCy models off (no annotations; for the store's size at more pages)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON figures")
    args = parser.parse_args(argv)
    run(args.shared, args.pages, Console(width=120), models=args.models, out=args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
