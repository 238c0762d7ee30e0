"""The one writer of the store: each batch of results is committed in one transaction.

Writes are idempotent (ids are content hashes; a page already stored is skipped) and
atomic per batch (a kill loses at most the batch in flight, never a committed one).
"""
from __future__ import annotations

import gzip
import json
import sys
from datetime import UTC, datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from veille.corpus.duplicates import forget as forget_duplicates
from veille.corpus.passes import PassReport
from veille.errors import StoreError
from veille.records import Article, Event, Page, Reject, content_id, public_meta
from veille.store.connect import configure, open_store, pandas_marked_absent

ROWS_PER_STATEMENT = 500  # keys a lookup statement takes: far fewer round trips than executemany
# Rows an INSERT takes, bound as one value per column (see _bound): 5,000 took 4.4 s of CPU where
# 500 took 5.6 s for the dev pages' results with lists (loaded machine, median of 3); a default
# batch's mentions fit in one.
ROWS_PER_INSERT = 5000
# Column types bound as one JSON text rather than a list (see _bound): scalars JSON holds exactly.
JSON_BOUND = frozenset({"VARCHAR", "BOOLEAN", "SMALLINT", "INTEGER", "BIGINT", "DOUBLE"})
# An open DuckDB database holds memory that grows with what it has written, outside its
# memory_limit and outside duckdb_memory() (which stayed under 70 MB), and gives it back when
# closed; the growth between two reopens also grows with the store's size. Writing copies of
# the dev sets' HTML pages in batches of 64 (2026-11-30): reopening every 256 pages, the writer
# swung between 160 and 446 MB over 4,096 pages; every 64 pages (each default batch), it stayed
# between 155 and 163 MB, for about 0.8 s a reopen (its checkpoint) on a loaded machine.
# With small row groups (below) it is still best: reopening every 2,048 pages instead peaked at
# 550 MB against 523 (2,560 pages of 40 KB). Measured in docs/performance.md, "Memory".
REOPEN_PAGES = 64
# Rows per row group of the tables the writer appends to (DuckDB's default: 122,880). A
# checkpoint rewrites, whole, each row group that took new rows: with the default, a store's
# first 122,880 pages and articles were one row group per table, re-read and re-compressed at
# every checkpoint, so the writer's peak grew with the store (new articles written into
# synthetic stores of 10,000 and 100,000 articles: 351 and 946 MB, 2.2 and 17 s of CPU a
# reopen; 2,048 rows: 256 and 264 MB, 0.4 and 0.7 s). 2,048 is DuckDB's smallest: what is left
# is a swing within the last row group, about 2.4 times the raw pages it holds (40 KB pages:
# 270 to 460 MB over 2,048 pages, then back). Measured in docs/performance.md, "Memory".
ROW_GROUP_ROWS = 2048


@dataclass(slots=True)
class IngestReport:
    """What was read and stored: by one committed batch, or summed over a run."""

    pages: int = 0
    articles: int = 0
    rejects: int = 0
    skipped: int = 0
    reasons: Counter = field(default_factory=Counter)
    corpus: PassReport | None = None  # what the corpus passes did after the pages were stored

    def add(self, other: IngestReport) -> None:
        """Add another report's counts to this one."""
        self.pages += other.pages
        self.articles += other.articles
        self.rejects += other.rejects
        self.skipped += other.skipped
        self.reasons.update(other.reasons)


class StoreWriter:
    """Write pages, articles and rejects into a DuckDB store, one transaction per batch."""

    def __init__(self, path: str):
        self.path = path
        self.con = open_for_writing(path)
        self._learned: dict[str, frozenset[str]] = {}
        self._column_types: dict[str, list[str]] = {}
        self._since_open = 0  # results written since the connection was opened

    def close(self, checkpoint: bool = True) -> None:
        """Checkpoint and close the store (the checkpoint only folds the WAL in; nothing is lost without it)."""
        try:
            if checkpoint:
                self.con.execute("CHECKPOINT")
        except duckdb.Error as error:
            raise StoreError(f"could not checkpoint {self.path} (is the disk full?): {error}; the committed "
                             f"batches are kept in its write-ahead log and the next run folds them in") from error
        finally:
            self.con.close()

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, kind, error, trace) -> None:
        # After a failure, close without a checkpoint: its own error (a full disk again) would hide the first.
        self.close(checkpoint=kind is None)

    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Return those of the given page ids that the store already holds."""
        return self._present("pages", "id", ids)

    def _present(self, table: str, column: str, keys: Iterable[str]) -> set[str]:
        """Return those of the given keys that a table's column already holds."""
        keys = list(set(keys))
        found: set[str] = set()
        for start in range(0, len(keys), ROWS_PER_STATEMENT):
            chunk = keys[start:start + ROWS_PER_STATEMENT]
            rows = self._execute(f"SELECT {column} FROM {table} WHERE {column} IN (SELECT unnest(?))", [chunk])
            found.update(row[0] for row in rows.fetchall())
        return found

    def write_batch(self, results: Sequence[tuple[Page | None, Article | Reject]]) -> IngestReport:
        """Commit a batch of (page, result) pairs in one transaction; return what it added."""
        self.con.begin()
        try:
            report = self._write(results)
            self.con.commit()
        except BaseException as error:  # an interrupt too: never leave the transaction open
            self._rollback()
            if isinstance(error, duckdb.Error):
                raise StoreError(f"writing to {self.path} failed, the batch was rolled back: {error}") from error
            raise
        self._since_open += len(results)
        if self._since_open >= REOPEN_PAGES:
            self._reopen()
        return report

    def _reopen(self) -> None:
        """Checkpoint, close and reopen the database, which gives back the memory it held (see REOPEN_PAGES)."""
        self.close()
        self.con = open_for_writing(self.path)
        self._since_open = 0

    def _rollback(self) -> None:
        """Roll the open transaction back; a failed COMMIT (a full disk) has already ended it."""
        try:
            self.con.rollback()
        except duckdb.TransactionException:
            pass

    def learned_boilerplate(self, site: str | None) -> frozenset[str]:
        """Return the keys of the lines learned as a site's boilerplate (cached between batches)."""
        if not site:
            return frozenset()
        if site not in self._learned:
            rows = self._execute("SELECT key FROM site_boilerplate WHERE site = ?", [site]).fetchall()
            self._learned[site] = frozenset(row[0] for row in rows)
        return self._learned[site]

    def all_learned_boilerplate(self) -> dict[str, frozenset[str]]:
        """Return the keys of the lines learned as boilerplate, for every site (for workers without the store)."""
        learned: dict[str, set[str]] = {}
        for site, key in self._execute("SELECT site, key FROM site_boilerplate", []).fetchall():
            learned.setdefault(site, set()).add(key)
        return {site: frozenset(keys) for site, keys in learned.items()}

    def _write(self, results: Sequence[tuple[Page | None, Article | Reject]]) -> IngestReport:
        """Insert the new pages and their articles or rejects; skip what is already stored."""
        report = IngestReport()
        fresh = self._fresh(results, report)
        pages = [(page, result) for page, result in fresh if page is not None]
        self._insert("pages", [_page_row(page, result) for page, result in pages])
        articles = [result for _, result in fresh if isinstance(result, Article)]
        rejects = [result for _, result in fresh if isinstance(result, Reject)]
        self._insert("articles", [_article_row(article) for article in articles])
        self._insert("rejects", [_reject_row(reject) for reject in rejects])
        self._insert_annotations(articles)
        self._count_site_lines(articles)
        kept = {id(page) for page, _ in fresh}
        self.record_copies([page for page, _ in results if page is not None and id(page) not in kept])
        report.pages, report.articles, report.rejects = len(pages), len(articles), len(rejects)
        report.reasons.update(reject.reason for reject in rejects)
        return report

    def _fresh(self, results, report: IngestReport) -> list[tuple[Page | None, Article | Reject]]:
        """Return the results neither stored nor earlier in the batch (pages by id, other rejects by key)."""
        stored = self.stored_ids(page.id for page, _ in results if page is not None)
        stored |= self._present("rejects", "key", (reject_key(r) for page, r in results if page is None))
        fresh = []
        for page, result in results:
            key = page.id if page is not None else reject_key(result)
            if key in stored:
                report.skipped += page is not None
                continue
            stored.add(key)
            fresh.append((page, result))
        return fresh

    def record_copies(self, pages: Iterable[Page]) -> None:
        """Note stored pages seen again under another source or URL (page_copies), so exact duplicate groups list them.

        The duplicates pass is made to see their articles again, to add the copy to the group.
        """
        rows = {(page.id, page.source, page.url, page.site) for page in pages}
        if not rows:
            return
        columns = [list(column) for column in zip(*sorted(rows, key=str))]
        added = self._execute("""
            INSERT INTO page_copies (page_id, source, url, site)
            SELECT DISTINCT v.id, v.source, v.url, v.site
            FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS source, unnest(?::VARCHAR[]) AS url,
                         unnest(?::VARCHAR[]) AS site) v
            WHERE EXISTS (SELECT 1 FROM articles a WHERE a.id = v.id)
              AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.id = v.id AND p.source IS NOT DISTINCT FROM v.source
                                                      AND p.url IS NOT DISTINCT FROM v.url)
              AND NOT EXISTS (SELECT 1 FROM page_copies c WHERE c.page_id = v.id
                              AND c.source IS NOT DISTINCT FROM v.source AND c.url IS NOT DISTINCT FROM v.url)
            RETURNING page_id""", columns).fetchall()
        forget_duplicates(self.con, sorted({row[0] for row in added}))

    def _insert_annotations(self, articles: list[Article]) -> None:
        """Insert the entities, mentions, quotes, dates and events of new articles."""
        for table, rows in annotation_rows(articles).items():
            self._insert(table, rows)

    def _count_site_lines(self, articles: list[Article]) -> None:
        """Add each new page's distinct short lines to its site's counts, for boilerplate learning."""
        lines: Counter = Counter()
        texts: dict[tuple[str, str], str] = {}
        sites: Counter = Counter()
        for article in articles:
            if not article.site:
                continue
            sites[article.site] += 1
            for key, text in article.meta.get("_lines", {}).items():
                lines[article.site, key] += 1
                texts.setdefault((article.site, key), text)
        self._upsert_counts("site_pages", "(site)", [(site, n) for site, n in sites.items()])
        self._upsert_counts("site_lines", "(site, key)",
                            [(site, key, texts[site, key], n) for (site, key), n in lines.items()])
        for site in sites:
            self._learned.pop(site, None)

    def _upsert_counts(self, table: str, key: str, rows: list[tuple]) -> None:
        """Insert count rows, adding to the pages count of rows that exist."""
        self._insert(table, rows, suffix=f"ON CONFLICT {key} DO UPDATE SET pages = pages + excluded.pages")

    def _insert(self, table: str, rows: list[tuple], *, suffix: str = "") -> None:
        """Insert rows (every column, in order), each column bound as one value (see _bound) and unnested.

        One parameter per column instead of one per value: on the dev pages' results, the writer
        took 3.9 s of CPU instead of 5.2 s (multi-row VALUES) with lists, and 0.62 times that
        again with plain columns as JSON texts (docs/performance.md, "Against the aims").
        """
        if not rows:
            return
        kinds = self._types_of(table)
        for start in range(0, len(rows), ROWS_PER_INSERT):
            bound = [_bound(kind, list(column)) for kind, column in zip(kinds, zip(*rows[start:start + ROWS_PER_INSERT]))]
            columns = ", ".join(f"unnest(?::{cast}[])" for cast, _ in bound)
            self._execute(f"INSERT INTO {table} SELECT {columns} {suffix}", [value for _, value in bound])

    def _types_of(self, table: str) -> list[str]:
        """Return the SQL types of a table's columns, in order (read once per writer)."""
        if table not in self._column_types:
            self._column_types[table] = [row[1] for row in self.con.execute(f"DESCRIBE {table}").fetchall()]
        return self._column_types[table]

    def _execute(self, sql: str, params: list) -> duckdb.DuckDBPyConnection:
        """Run one statement with bound parameters (see pandas_marked_absent)."""
        with pandas_marked_absent():
            return self.con.execute(sql, params)


def _bound(kind: str, values: list) -> tuple[str, Any]:
    """Return how to bind one column's values: (the cast to its type, the parameter).

    DuckDB's client converts a bound list value by value, and tries ``import pandas`` twice for
    each (the JSON text took the writer's CPU on the dev pages' results to 0.63 times that of lists). A column of a plain
    scalar type whose values are JSON values is bound as one JSON text instead, which DuckDB
    parses and casts in one go; anything else (blobs, timestamps, lists, JSON documents, a
    value JSON cannot hold) is bound as the list.
    """
    if kind in JSON_BOUND:
        try:
            return f"JSON::{kind}", json.dumps(values, ensure_ascii=False)
        except (TypeError, ValueError):
            pass
    return kind, values


def open_for_writing(path: str) -> duckdb.DuckDBPyConnection:
    """Open a store for writing, attached with row groups of ROW_GROUP_ROWS rows."""
    path = str(path)
    with pandas_marked_absent():
        con = open_store(path)  # create or migrate it, or say why it cannot be opened
    if path == ":memory:":  # nothing is checkpointed in memory: the row groups do not matter
        return con
    con.close()
    con = duckdb.connect()
    try:
        quoted = path.replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS store (ROW_GROUP_SIZE {ROW_GROUP_ROWS})")
    except duckdb.Error as error:
        con.close()
        raise StoreError(f"{path} cannot be opened for writing: {error}") from error
    con.execute("USE store")
    configure(con)
    return con


def _page_row(page: Page, result: Article | Reject) -> tuple:
    """Return the pages row of a page."""
    content = page.content if isinstance(page.content, bytes) else page.content.encode("utf-8", "surrogatepass")
    # Level 1: a third of level 6's time for nearly all of its gain on HTML.
    packed = gzip.compress(content, compresslevel=1, mtime=0)
    status = "article" if isinstance(result, Article) else "rejected"
    return (page.id, page.source, page.format, page.url, page.site or getattr(result, "site", None),
            page.fetched, len(content), packed, status, _now())


def _article_row(article: Article) -> tuple:
    """Return the articles row of an article."""
    meta = public_meta(article.meta)
    removed = [{"text": r.text, "reason": r.reason} for r in article.removed]
    return (article.id, article.source, article.url, article.site, article.section, article.title,
            article.byline, article.published, article.published_from, article.language,
            article.language_score, article.wire_source, article.canonical_url, article.format,
            article.paragraphs, article.text, json.dumps(removed, ensure_ascii=False),
            json.dumps(meta, ensure_ascii=False, default=str), _now())


def annotation_rows(articles: list[Article]) -> dict[str, list[tuple]]:
    """Return the rows of each annotation table for some articles."""
    rows: dict[str, list[tuple]] = {name: [] for name in ("entities", "mentions", "quotes", "dates", "events")}
    for article in articles:
        for entity in article.entities:
            rows["entities"].append((article.id, entity.id, entity.name, entity.type, entity.roles,
                                     json.dumps(entity.attributes, ensure_ascii=False), len(entity.mentions)))
            rows["mentions"].extend((article.id, entity.id, m.start, m.end, m.text, m.kind) for m in entity.mentions)
        for quote in article.quotes:
            speaker = quote.speaker_span
            rows["quotes"].append((article.id, quote.id, quote.start, quote.end, quote.text, quote.kind,
                                   quote.speaker, quote.speaker_entity, quote.cue, quote.via,
                                   speaker.start if speaker else None, speaker.end if speaker else None))
        rows["dates"].extend((article.id, d.start, d.end, d.text, d.resolved, d.granularity) for d in article.dates)
        for event in article.events:
            rows["events"].append((article.id, event_id(article.id, event), event.type, event.actor,
                                   event.actor_entity, event.target, event.target_entity, event.place,
                                   event.date, event.evidence.start, event.evidence.end, event.evidence.text,
                                   event.negated, event.reported_by, event.hypothetical, event.cameo))
    return rows


def event_id(article_id: str, event: Event) -> str:
    """Return the stable id of an event within its article."""
    return content_id(f"{article_id}\x00{event.type}\x00{event.actor_entity or event.actor}\x00"
                      f"{event.target_entity or event.target}\x00{event.evidence.start}")


def reject_key(reject: Reject) -> str:
    """Return the key of a reject: the hash of its content, else of where and why it failed."""
    return reject.id or content_id(f"{reject.source}\x00{reject.reason}\x00{reject.error}")


def _reject_row(reject: Reject) -> tuple:
    """Return the rejects row of a reject."""
    return (reject_key(reject), reject.id, reject.source, reject.site, reject.reason, reject.error, _now())


def _now() -> datetime:
    """Return the current time in UTC, the store's time zone."""
    return datetime.now(UTC).replace(tzinfo=None)
