"""Open the DuckDB file, turning DuckDB's errors into messages that say what to do."""
from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager

import duckdb

from veille.errors import StoreError, StoreLockedError
from veille.limits import DEFAULT_DB, WRITER_MEMORY
from veille.store.schema import SCHEMA_VERSION, current_version, migrate

_LOCK_PID = re.compile(r"PID (\d+)")


def open_store(path: str = DEFAULT_DB, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a store; for writing, create and migrate it; for reading, it must exist and be current."""
    if read_only:
        require_store(path)
    try:
        con = duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as error:
        raise _explain(error, path) from error
    except duckdb.Error as error:
        raise StoreError(f"{path} cannot be opened as a veille store: {error}") from error
    configure(con, read_only=read_only)
    if read_only:
        _check_version(con, path)
    else:
        migrate(con)
    return con


def configure(con: duckdb.DuckDBPyConnection, *, read_only: bool = False) -> None:
    """Apply the store's connection settings: no progress bar; a writer's memory bound."""
    # DuckDB draws a progress bar on stdout for long statements: it would corrupt our output.
    con.execute("SET enable_progress_bar = false")
    if not read_only:
        _set_memory_limit(con, WRITER_MEMORY)


def require_store(path: str) -> None:
    """Refuse to go on where a store is expected and there is none, saying how to make one."""
    if not os.path.exists(path):
        raise StoreError(f"no store at {path}; run `veille ingest PATH --db {path}` first, or pass --db")


def _set_memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> None:
    """Bound DuckDB's memory for this connection, or say what is wrong with the setting."""
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit.strip(), re.I):
        raise StoreError(f"VEILLE_DUCKDB_MEMORY={limit!r} is not a size such as 256MB or 2GB")
    con.execute(f"SET memory_limit = '{limit.strip()}'")


def _explain(error: duckdb.IOException, path: str) -> StoreError:
    """Return the store error that says why DuckDB could not open the file."""
    message = str(error)
    if "lock" in message.lower():
        pid = _LOCK_PID.search(message)
        holder = f" (pid {pid.group(1)})" if pid else ""
        return StoreLockedError(f"{path} is locked by another veille process{holder}; "
                                f"wait for it to finish, stop it, or pass --db another.duckdb")
    return StoreError(f"{path} cannot be opened: {message}")


def _check_version(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """Refuse to read a store written by a newer veille, and say how to bring an older one up."""
    try:
        version = con.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
    except duckdb.CatalogException:
        version = 0
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer veille (schema {version}); upgrade veille")
    if version < SCHEMA_VERSION:
        raise StoreError(f"{path} has schema {version}, this veille needs {SCHEMA_VERSION}; "
                         f"run `veille ingest --db {path}` (any input) to migrate it")


@contextmanager
def pandas_marked_absent():
    """Around a DuckDB call, tell Python that pandas is absent unless something has imported it already.

    DuckDB's client tries `import pandas` for every value it binds. Without pandas each try
    is a failed search of sys.path, two thirds of the store's write time; with pandas installed
    (the Ray extra brings it) the first try imports pandas, numpy and pyarrow into the writer
    for nothing: 115 MB of its memory (docs/performance.md). Scoped to our own calls, and a
    no-op once pandas is imported.
    """
    if "pandas" in sys.modules:
        yield
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.modules.pop("pandas", None)


__all__ = ["DEFAULT_DB", "current_version", "open_store", "pandas_marked_absent", "require_store"]
