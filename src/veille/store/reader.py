"""The store as the Python API and the server read it: `veille.open(path)`.

DuckDB lets one process write a file, or many read it, never both: a read-only open fails
at once while an ingest holds the write lock. So a reader can work two ways:

- direct (the default, for scripts): one read-only connection to the file, opened on first
  use and closed by `close()`, by `ingest()` while it writes, or at the end of a `with`;
- snapshot (the server): reads go to a private copy of the file, refreshed whenever the
  file changed and no writer holds it. The server never holds the store's lock for longer
  than a copy, so an ingest can run beside it; while one runs, answers come from the last
  copy and `status()` says so.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from veille.errors import StoreError, StoreLockedError, UsageError
from veille.limits import DEFAULT_DB
from veille.store import queries
from veille.store.connect import open_store
from veille.store.search import SearchFilters, SearchIndex, index_path

# Seconds between two checks of the store file for changes: a stat() of two files, cheap,
# but a copy follows each change, so a busy store is copied at most this often.
REFRESH_SECONDS = 2.0
# Tries and pause when a direct open meets another process's lock: covers a writer that is
# just closing (DuckDB checkpoints on close, well under a second for our batches).
LOCK_TRIES, LOCK_PAUSE = 5, 0.2
MAX_LIMIT = 500  # rows per page of any list: more is an export's job (veille export)


class Store:
    """A veille store opened for reading: search, articles, entities, quotes, events, stories."""

    def __init__(self, path: str = DEFAULT_DB, *, snapshot: bool = False, index_folder: str | None = None):
        self.path = str(path)
        self.snapshot = snapshot
        self._index_folder = Path(index_folder) if index_folder else index_path(self.path)
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._index: SearchIndex | None = None
        self._stamp: tuple | None = None
        self._checked = 0.0
        self._copy_dir: str | None = None
        self._copied_at: float | None = None
        self._retired: tuple = (None, None)  # the copy before the current one, closed at the next swap
        self.notice: str | None = None  # why answers may be behind the store, when they are

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (and remove the snapshot copy); the next read opens again."""
        with self._lock:
            self._drop(self._retired)
            self._drop((self._con, self._copy_dir))
            self._con, self._copy_dir, self._retired, self._stamp = None, None, (None, None), None

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield a cursor on the store (or its snapshot), current as of the last check."""
        with self._lock:
            self._refresh()
            con = self._con
        cursor = con.cursor()  # one per call: DuckDB cursors may be used from different threads
        try:
            yield cursor
        finally:
            cursor.close()

    # --- reading ------------------------------------------------------------------------

    def search(self, q: str | None = None, *, lang: str | None = None, site: str | None = None,
               date_from: str | None = None, date_to: str | None = None, entity: str | None = None,
               has_quotes: bool | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Search titles and texts (BM25) with filters; return {"items", "total", "facets"}."""
        _check_page(limit, offset)
        with self._lock:
            self._refresh()
            index = self._index
        # An entity is its canonical entity's articles: any spelling finds them, a namesake's stay out.
        articles = None
        if entity:
            with self.cursor() as con:
                articles = queries.entity_articles(con, entity)
        filters = SearchFilters(language=lang, site=site, date_from=date_from, date_to=date_to,
                                entity=entity, articles=articles, has_quotes=has_quotes)
        return index.search(q, filters, limit=limit, offset=offset)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """Return one article with all its annotations, or None."""
        with self.cursor() as con:
            return queries.article(con, article_id)

    def entity(self, name_or_id: str) -> dict[str, Any] | None:
        """Return one entity across articles (by id or name), or None."""
        with self.cursor() as con:
            return queries.entity(con, name_or_id)

    def entities(self, q: str | None = None, *, type: str | None = None, limit: int = 20,
                 offset: int = 0) -> dict[str, Any]:
        """Return the entities whose name contains q, most mentioned first."""
        _check_page(limit, offset)
        with self.cursor() as con:
            return queries.entities(con, q=q, type=type, limit=limit, offset=offset)

    def quotes(self, *, speaker: str | None = None, q: str | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Return quotes by a speaker (name or entity id) and/or containing some text."""
        _check_page(limit, offset)
        with self.cursor() as con:
            return queries.quotes(con, speaker=speaker, q=q, date_from=date_from, date_to=date_to,
                                  limit=limit, offset=offset)

    def events(self, *, type: str | None = None, actor: str | None = None, target: str | None = None,
               entity: str | None = None, date_from: str | None = None, date_to: str | None = None,
               limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Return events merged across the articles that report them."""
        _check_page(limit, offset)
        with self.cursor() as con:
            return queries.events(con, type=type, actor=actor, target=target, entity=entity,
                                  date_from=date_from, date_to=date_to, limit=limit, offset=offset)

    def stories(self, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Return the stories, largest first."""
        _check_page(limit, offset)
        with self.cursor() as con:
            return queries.stories(con, limit=limit, offset=offset)

    def story(self, story_id: str) -> dict[str, Any] | None:
        """Return one story with its articles and events, or None."""
        with self.cursor() as con:
            return queries.story(con, story_id)

    def duplicates(self, *, kind: str | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Return the groups of copies (exact, near, syndication), most copies first."""
        _check_page(limit, offset)
        with self.cursor() as con:
            return queries.duplicates(con, kind=kind, limit=limit, offset=offset)

    def stats(self) -> dict[str, Any]:
        """Return the store's counts (the `veille stats --json` object)."""
        with self.cursor() as con:
            return queries.stats(con)

    def facets(self) -> dict[str, Any]:
        """Return the languages, sites, event types and date range the filters can take."""
        with self.cursor() as con:
            return queries.facets(con)

    def status(self) -> dict[str, Any]:
        """Return how current the answers are: the store path, snapshot time, and any notice."""
        with self._lock:
            return {"path": self.path, "snapshot": self.snapshot, "copied_at": self._copied_at,
                    "notice": self.notice}

    # --- writing --------------------------------------------------------------------------

    def ingest(self, paths: list[str] | str, **options: Any):
        """Ingest pages into the store (closing the read connection meanwhile); return the IngestReport."""
        from veille.ingest import ingest
        from veille.sources import SourceOptions

        if self.snapshot:
            raise UsageError("a snapshot reader does not write; open the store with veille.open(path)")
        with self._lock:
            self.close()
            return ingest([paths] if isinstance(paths, str) else list(paths), self.path, SourceOptions(**options))

    # --- keeping current ------------------------------------------------------------------

    def _refresh(self) -> None:
        """Open the store on first use; in snapshot mode, copy it again when it changed."""
        now = time.monotonic()
        if self._con is not None and (not self.snapshot or now - self._checked < REFRESH_SECONDS):
            return
        self._checked = now
        if not self.snapshot:
            self._con = _open_direct(self.path)
            self._sync_index()
            return
        stamp = _stamp(self.path)
        if self._con is not None and stamp == self._stamp:
            return
        self._take_snapshot(stamp)

    def _take_snapshot(self, stamp: tuple) -> None:
        """Copy the store while holding its read lock; keep the last copy if a writer holds it."""
        try:
            source = open_store(self.path, read_only=True)
        except StoreLockedError as error:
            if self._con is None:
                raise StoreLockedError(f"{error}; no earlier copy to read meanwhile, "
                                       f"so nothing can be served until the ingest ends") from error
            self.notice = f"{error}; answers come from a copy taken before it started"
            return
        try:
            folder = tempfile.mkdtemp(prefix="veille-snapshot-")
            copy = os.path.join(folder, "store.duckdb")
            for suffix in ("", ".wal"):  # no writer can run while we hold the read lock
                if os.path.exists(self.path + suffix):
                    shutil.copyfile(self.path + suffix, copy + suffix)
        finally:
            source.close()
        self._swap(duckdb.connect(copy, read_only=False), folder, stamp)

    def _swap(self, con: duckdb.DuckDBPyConnection, folder: str, stamp: tuple) -> None:
        """Serve from a new snapshot copy and drop the old one."""
        con.execute("SET enable_progress_bar = false")
        self._drop(self._retired)  # retired at the previous swap: no request still reads it
        self._retired = (self._con, self._copy_dir)
        self._con, self._copy_dir, self._stamp = con, folder, stamp
        self._copied_at, self.notice = time.time(), None
        self._sync_index()

    @staticmethod
    def _drop(retired: tuple) -> None:
        """Close a snapshot connection and remove its copy."""
        con, folder = retired
        if con is not None:
            con.close()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)

    def _sync_index(self) -> None:
        """Open the search index and bring it up to date with the store."""
        if self._index is None:
            self._index = SearchIndex(self._index_folder)
        self._index.sync(self._con)


def _open_direct(path: str) -> duckdb.DuckDBPyConnection:
    """Open the store read-only, waiting a moment for a writer that is closing."""
    for attempt in range(LOCK_TRIES):
        try:
            return open_store(path, read_only=True)
        except StoreLockedError as error:
            if attempt == LOCK_TRIES - 1:
                raise StoreLockedError(f"{error}; or read a copy meanwhile: veille.open(path, snapshot=True)") \
                    from error
            time.sleep(LOCK_PAUSE)
    raise AssertionError("unreachable")


def _stamp(path: str) -> tuple:
    """Return what changes when the store file is written: sizes and times of the file and its WAL."""
    parts = []
    for suffix in ("", ".wal"):
        try:
            info = os.stat(path + suffix)
            parts.append((info.st_size, info.st_mtime_ns))
        except FileNotFoundError:
            parts.append(None)
    if parts[0] is None:
        raise StoreError(f"no store at {path}; run `veille ingest PATH --db {path}` first, or pass --db")
    return tuple(parts)


def _check_page(limit: int, offset: int) -> None:
    """Refuse a page size or offset out of bounds."""
    if not 0 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit must be between 0 and {MAX_LIMIT}, not {limit}")
    if offset < 0:
        raise UsageError(f"offset must be 0 or more, not {offset}")


def open(path: str = DEFAULT_DB, *, snapshot: bool = False) -> Store:  # noqa: A001 - veille.open
    """Open a store for reading (and ingesting): `with veille.open("veille.duckdb") as store: ...`."""
    if not os.path.exists(path):
        raise StoreError(f"no store at {path}; run `veille ingest PATH --db {path}` first, or pass --db")
    return Store(path, snapshot=snapshot)
