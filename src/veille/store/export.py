"""Export stored tables with DuckDB's own writers (JSON Lines, Parquet, CSV)."""
from __future__ import annotations

import csv
import sys

import duckdb

from veille.errors import UsageError
from veille.store.queries import ARTICLE_COLUMNS

QUERIES = {
    "articles": f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY ingested_at, id",
    "rejects": "SELECT page_id AS id, source, site, reason, error, rejected_at FROM rejects ORDER BY rejected_at, key",
}
FORMATS = {"jsonl": "FORMAT json", "parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true"}


def export_table(con: duckdb.DuckDBPyConnection, what: str, fmt: str, out: str | None) -> None:
    """Write one table to a file (DuckDB's writers) or to stdout (streamed rows) in the given format."""
    if what not in QUERIES or fmt not in FORMATS:
        raise UsageError(f"cannot export {what!r} as {fmt!r}: choose {sorted(QUERIES)} as {sorted(FORMATS)}")
    if out is None:
        _to_stdout(con, QUERIES[what], fmt)
        return
    try:
        con.execute(f"COPY ({QUERIES[what]}) TO '{out.replace(chr(39), chr(39) * 2)}' ({FORMATS[fmt]})")
    except duckdb.IOException as error:
        raise UsageError(f"cannot write {out}: {error}") from error


def _to_stdout(con: duckdb.DuckDBPyConnection, query: str, fmt: str) -> None:
    """Stream a query's rows to stdout as JSON Lines or CSV."""
    if fmt == "jsonl":
        cursor = con.execute(f"SELECT to_json(q)::VARCHAR FROM ({query}) q")
        write = lambda row: sys.stdout.write(row[0] + "\n")  # noqa: E731
    else:
        cursor = con.execute(query)
        writer = csv.writer(sys.stdout)
        writer.writerow([column[0] for column in cursor.description])
        write = writer.writerow
    while rows := cursor.fetchmany(1000):
        for row in rows:
            write(row)
