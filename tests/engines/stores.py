"""Compare two stores table by table: row counts and a hash of every row's content."""
from __future__ import annotations

import hashlib

from veille.store.connect import open_store

# When a row was written says nothing about what was written.
TIME_TYPES = {"TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "DATE"}


def table_digests(db: str) -> dict[str, tuple[int, str]]:
    """Return, for each table of a store, its row count and a hash of its sorted rows (times left out)."""
    digests = {}
    with open_store(db, read_only=True) as con:
        tables = [row[0] for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1").fetchall()]
        for table in tables:
            columns = [f'"{name}"' for name, kind in con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
                [table]).fetchall() if kind not in TIME_TYPES]
            rows = sorted(repr(row) for row in con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall())
            digests[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digests
