"""Run the corpus passes over a store: each on the articles it has not seen yet, in order.

A pass is a module with three names:

- ``NAME``: its key in ``corpus_seen``;
- ``TABLES``: the tables it owns, emptied by a rebuild;
- ``update(con, article_ids) -> int``: take these new articles (oldest first) into its
  groups and return how many groups it created or changed.

The runner hands each pass its unseen articles in chunks; a chunk's work and its
``corpus_seen`` rows commit in one transaction, so a kill loses at most the chunk in
flight and a re-run takes up where it stopped. Passes read what earlier passes wrote
(stories read canonical entities, merged events read duplicate groups), so the order of
``PASSES`` is the order of the flow in DESIGN.md.
"""
from __future__ import annotations

import contextlib
import gc
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType

import duckdb

from veille.errors import StoreError
from veille.store.connect import pandas_marked_absent

# Module names, in the order they run.
PASSES: list[str] = ["veille.corpus.duplicates", "veille.corpus.names", "veille.corpus.stories", "veille.corpus.merge"]

# Articles per transaction: big enough that a pass's joins run over many articles at once,
# small enough that a kill loses little and progress moves.
CHUNK = 1000


@dataclass(slots=True)
class PassReport:
    """What one run of the corpus passes did: articles taken in and groups changed, per pass."""

    articles: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)


Progress = Callable[[str, int, int], None]  # (pass name, articles done, articles to do)


def pass_modules() -> list[ModuleType]:
    """Return the corpus pass modules, in the order they run."""
    return [importlib.import_module(name) for name in PASSES]


def run_passes(con: duckdb.DuckDBPyConnection, *, progress: Progress | None = None,
               chunk: int = CHUNK) -> PassReport:
    """Bring every corpus pass up to date with the store's articles; return what each did."""
    report = PassReport()
    with pandas_marked_absent():  # DuckDB would import pandas for the first bound value: 68 MB, up to 3 s
        for module in pass_modules():
            pending = unseen(con, module.NAME)
            report.articles[module.NAME] = len(pending)
            report.changed[module.NAME] = 0
            for start in range(0, len(pending), chunk):
                ids = pending[start:start + chunk]
                report.changed[module.NAME] += _run_chunk(con, module, ids)
                if progress:
                    progress(module.NAME, start + len(ids), len(pending))
    return report


def rebuild(con: duckdb.DuckDBPyConnection, *, progress: Progress | None = None) -> PassReport:
    """Forget everything the corpus passes found and run them again over the whole store."""
    con.begin()
    try:
        for module in pass_modules():
            for table in module.TABLES:
                con.execute(f"DELETE FROM {table}")
        con.execute("DELETE FROM corpus_seen")
        con.commit()
    except duckdb.Error as error:
        con.rollback()
        raise StoreError(f"could not clear the corpus tables: {error}") from error
    return run_passes(con, progress=progress)


def unseen(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """Return the ids of the articles a pass has not seen, oldest first (undated last)."""
    rows = con.execute("""SELECT a.id FROM articles a
                          WHERE NOT EXISTS (SELECT 1 FROM corpus_seen s WHERE s.pass = ? AND s.article_id = a.id)
                          ORDER BY a.published NULLS LAST, a.id""", [name]).fetchall()
    return [row[0] for row in rows]


def _run_chunk(con: duckdb.DuckDBPyConnection, module: ModuleType, ids: list[str]) -> int:
    """Run one pass over one chunk of articles and mark them seen, in one transaction."""
    con.begin()
    try:
        with collector_paused():
            changed = module.update(con, ids)
        con.execute("INSERT INTO corpus_seen SELECT ?, unnest(?::VARCHAR[])", [module.NAME, ids])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return changed


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector off during a chunk, then let it run again as it was.

    A chunk holds tens of thousands of dicts, lists and objects (the names pass: some 75,000,
    the touched entities' data) and the passes make no reference cycles: the collector's full
    passes over them are pure cost, and they grow with the data (the names pass: 0.13 s of a
    chunk's CPU at 5,000 articles, 0.74 s at 38,000; docs/performance.md). Objects are still
    freed as their last reference goes, and anything cyclic is collected after the chunk.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
