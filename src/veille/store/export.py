"""Export stored tables with DuckDB's own writers (JSON Lines, Parquet, CSV)."""
from __future__ import annotations

import duckdb

from veille.errors import UsageError

QUERIES = {
    "articles": "SELECT id, source, url, site, section, title, byline, published, published_from, language, "
                "language_score, wire_source, canonical_url, format, paragraphs, text, removed "
                "FROM articles ORDER BY ingested_at, id",
    "rejects": "SELECT page_id AS id, source, site, reason, error, rejected_at FROM rejects ORDER BY rejected_at, key",
}
FORMATS = {"jsonl": "FORMAT json", "parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true"}


def export_table(con: duckdb.DuckDBPyConnection, what: str, fmt: str, out: str | None) -> None:
    """Write one table to a file (or stdout for text formats) in the given format."""
    if what not in QUERIES or fmt not in FORMATS:
        raise UsageError(f"cannot export {what!r} as {fmt!r}: choose {sorted(QUERIES)} as {sorted(FORMATS)}")
    target = (out or "/dev/stdout").replace("'", "''")
    try:
        con.execute(f"COPY ({QUERIES[what]}) TO '{target}' ({FORMATS[fmt]})")
    except duckdb.IOException as error:
        raise UsageError(f"cannot write {out or 'stdout'}: {error}") from error
