"""Full-text search: a tantivy index of the articles, derived from the store.

The index lives in a folder beside the store (`veille.duckdb.search/`). Each document holds
an article's title and text, and everything the search filters need, so that a filtered
search is one tantivy query: language, site, day, the ids and name keys of its entities,
its number of quotes. It is derived data: `sync` adds the articles the store has and the
index lacks, re-adds those whose filter fields changed (a fingerprint of them per article),
removes the ones the store no longer has, and can always start over from nothing. A summary
of the whole store, and the ids and fingerprints the index holds, are written to
`indexed.txt` after each commit; an unchanged summary means nothing to do. After a crash
between the commit and that file, the next sync re-adds those articles, deleting any copy
first, so nothing is indexed twice.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import duckdb
import tantivy

from veille.nlp.entities import name_key

# Bump when the schema or the analyzer changes: an index of another version is rebuilt.
# 2: entity ids and name keys, quote counts; indexed.txt holds a fingerprint per article.
INDEX_VERSION = 2
ANALYZER = "veille"
SNIPPET_CHARS = 220  # about two lines of a result list
ADD_BATCH = 5000  # articles read from DuckDB per round trip while indexing: about 12 MB of text
WRITER_HEAP = 64_000_000  # bytes: tantivy needs 15 MB per thread at least; 64 MB indexes 10k articles in seconds
QUERY_SYNTAX = re.compile(r'[:*()\[\]{}^~"+\-!\\<>=]')  # the query language's operators, for a plain retry
FACET_SIZE = {"language": 20, "site": 50}


@dataclass(slots=True)
class SearchFilters:
    """What a search is narrowed to, besides its words."""

    language: str | None = None
    site: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None  # YYYY-MM-DD, inclusive
    entity: str | None = None  # an entity id, or a name (compared by its key: case and accents folded)
    articles: list[str] | None = None  # only these articles (an entity's, as the store's names pass links them)
    has_quotes: bool | None = None


def index_path(db_path: str) -> Path:
    """Return the folder of the search index that belongs to a store file."""
    return Path(f"{db_path}.search")


def _schema() -> tantivy.Schema:
    """Return the index schema: searchable title and text; language, site, day, entities and quotes to filter on."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("text", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("language", stored=True, fast=True, tokenizer_name="raw")
    builder.add_text_field("site", stored=True, fast=True, tokenizer_name="raw")
    builder.add_text_field("url", stored=True, tokenizer_name="raw")
    builder.add_text_field("published", stored=True, tokenizer_name="raw")
    builder.add_integer_field("day", stored=False, indexed=True, fast=True)  # YYYYMMDD, 0 when unknown
    builder.add_text_field("entity", tokenizer_name="raw", index_option="basic")  # entity ids
    builder.add_text_field("entity_name", tokenizer_name="raw", index_option="basic")  # name_key of their names
    builder.add_integer_field("quotes", stored=False, indexed=True, fast=True)
    return builder.build()


def _analyzer() -> tantivy.TextAnalyzer:
    """Return the analyzer for both languages: words, lower case, accents folded ("Choïgou" finds "choigou")."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build())


class SearchIndex:
    """The search index of one store: kept in sync with it, queried with BM25."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self.index = self._open()

    def _open(self) -> tantivy.Index:
        """Open the index folder, starting it over when it is missing, damaged or of another version."""
        meta = self.folder / "veille.json"
        try:
            same = json.loads(meta.read_text()) == _meta()
            index = tantivy.Index(_schema(), path=str(self.folder), reuse=True) if same else None
        except (OSError, ValueError):
            index = None
        if index is None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)
            index = tantivy.Index(_schema(), path=str(self.folder), reuse=False)
            _write_atomically(self.folder / "indexed.txt", "")
            _write_atomically(meta, json.dumps(_meta()))
        index.register_tokenizer(ANALYZER, _analyzer())
        return index

    def summary(self) -> str:
        """Return the summary of the store as the last completed sync saw it ("" when unknown)."""
        try:
            with open(self.folder / "indexed.txt", encoding="utf-8") as handle:
                first = handle.readline().strip()
        except OSError:
            return ""
        return first.removeprefix("store ") if first.startswith("store ") else ""

    def indexed(self) -> dict[str, str]:
        """Return {article id: fingerprint} of what the last completed sync left in the index."""
        try:
            lines = (self.folder / "indexed.txt").read_text(encoding="utf-8").splitlines()
        except OSError:
            return {}
        return dict(line.split(" ", 1) for line in lines if " " in line and not line.startswith("store "))

    def sync(self, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        """Bring the index up to date with the store: add what it lacks or holds stale, drop what has gone."""
        with self._lock:
            summary = "%s-%s-%s" % con.execute(SUMMARY_SQL).fetchone()
            if summary == self.summary():  # nothing the index holds has changed: skip the per-article pass
                self.index.reload()
                return {"added": 0, "removed": 0, "total": self.index.searcher().num_docs}
            indexed = self.indexed()
            stored = {article_id: str(mark) for article_id, mark in con.execute(FINGERPRINT_SQL).fetchall()}
            stale = sorted(article_id for article_id, mark in stored.items() if indexed.get(article_id) != mark)
            gone = indexed.keys() - stored.keys()
            if not self._update(con, stale, gone):  # another process is updating it: search what is there
                self.index.reload()
                return {"added": 0, "removed": 0, "total": len(stored), "busy": 1}
            _write_atomically(self.folder / "indexed.txt", f"store {summary}\n" + "".join(
                f"{article_id} {mark}\n" for article_id, mark in sorted(stored.items())))
            self.index.reload()
            return {"added": len(stale), "removed": len(gone), "total": len(stored)}

    def _update(self, con: duckdb.DuckDBPyConnection, stale: list[str], gone: set[str]) -> bool:
        """Delete the stale and gone articles and add the stale ones again; False when the index is busy."""
        if not stale and not gone:
            return True
        writer = self._writer()
        if writer is None:
            return False
        for article_id in gone | set(stale):  # delete first: a re-add after a crash leaves one copy
            writer.delete_documents_by_term("id", article_id)
        for row in _article_rows(con, stale):
            writer.add_document(_document(row))
        writer.commit()
        writer.wait_merging_threads()
        return True

    def _writer(self) -> tantivy.IndexWriter | None:
        """Return the index writer, or None while another process holds the index's lock."""
        try:
            return self.index.writer(WRITER_HEAP, 1)
        except ValueError as error:
            if "LockBusy" in str(error):
                return None
            raise

    def search(self, words: str | None, filters: SearchFilters, *, limit: int = 20,
               offset: int = 0) -> dict[str, Any]:
        """Return one page of matching articles (best first, or newest first without words) and facets."""
        searcher = self.index.searcher()
        query = self._query(words, filters)
        try:
            result = self._run(searcher, query, bool(words and words.strip()), limit, offset)
        except ValueError:  # syntax the lenient parser let through but the engine refuses ("title:*")
            words = QUERY_SYNTAX.sub(" ", words or "")
            query = self._query(words, filters)
            result = self._run(searcher, query, bool(words.strip()), limit, offset)
        snippets = _Snippets(searcher, query, self.index.schema, bool(words and words.strip()))
        items = [_hit(searcher.doc(address), key, snippets) for key, address in result.hits]
        return {"items": items, "total": result.count, "facets": _facets(searcher, query)}

    @staticmethod
    def _run(searcher: tantivy.Searcher, query: tantivy.Query, by_score: bool, limit: int,
             offset: int) -> tantivy.SearchResult:
        """Run a query: best first when it has words, else newest first."""
        if by_score:
            return searcher.search(query, limit=limit, offset=offset, count=True)
        return searcher.search(query, limit=limit, offset=offset, count=True, order_by_field="day")

    def _query(self, words: str | None, filters: SearchFilters) -> tantivy.Query:
        """Return the query for some words (lenient syntax: "d'union" is a phrase, not an error) and filters."""
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        if words and words.strip():
            parsed, _errors = self.index.parse_query_lenient(
                words, ["title", "text"], field_boosts={"title": 2.0}, conjunction_by_default=True)
            parts.append((tantivy.Occur.Must, parsed))
        else:
            parts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        schema = self.index.schema
        for field, value in (("language", filters.language), ("site", filters.site)):
            if value:
                parts.append((tantivy.Occur.Must, tantivy.Query.term_query(schema, field, value)))
        if filters.date_from or filters.date_to:
            parts.append((tantivy.Occur.Must, tantivy.Query.range_query(
                schema, "day", tantivy.FieldType.Integer, _day(filters.date_from, 1), _day(filters.date_to, 99_999_999, upper=True))))
        if filters.articles is not None:
            parts.append((tantivy.Occur.Must, tantivy.Query.term_set_query(schema, "id", filters.articles)))
        elif filters.entity:
            parts.append((tantivy.Occur.Must, _entity_query(schema, filters.entity)))
        if filters.has_quotes is not None:
            bounds = (1, None) if filters.has_quotes else (0, 0)
            parts.append((tantivy.Occur.Must, tantivy.Query.range_query(
                schema, "quotes", tantivy.FieldType.Integer, *bounds)))
        return tantivy.Query.boolean_query(parts)


def _entity_query(schema: tantivy.Schema, entity: str) -> tantivy.Query:
    """Return the query for articles naming an entity, given its id or its name."""
    return tantivy.Query.boolean_query([
        (tantivy.Occur.Should, tantivy.Query.term_query(schema, "entity", entity.strip())),
        (tantivy.Occur.Should, tantivy.Query.term_query(schema, "entity_name", name_key(entity))),
    ])


class _Snippets:
    """Make each hit's snippet: the best passage with the matched words marked, or the opening."""

    def __init__(self, searcher: tantivy.Searcher, query: tantivy.Query, schema: tantivy.Schema, has_words: bool):
        self.generator = None
        if has_words:
            self.generator = tantivy.SnippetGenerator.create(searcher, query, schema, "text")
            self.generator.set_max_num_chars(SNIPPET_CHARS)

    def make(self, doc: tantivy.Document) -> dict[str, Any]:
        """Return {"text", "highlights": [[start, end], ...], "html"} with character offsets into text."""
        if self.generator is not None:
            snippet = self.generator.snippet_from_doc(doc)
            fragment = snippet.fragment()
            if fragment:
                raw = fragment.encode("utf-8")  # tantivy's ranges count bytes
                marks = [[len(raw[:r.start].decode("utf-8", "ignore")), len(raw[:r.end].decode("utf-8", "ignore"))]
                         for r in snippet.highlighted()]
                return snippet_dict(fragment, marks)
        return snippet_dict(_opening(doc.get_first("text") or ""), [])


def snippet_dict(text: str, marks: list[list[int]]) -> dict[str, Any]:
    """Return a snippet with its marks as offsets and as escaped HTML (<mark> around each match)."""
    parts, last = [], 0
    for start, end in marks:
        parts += [html.escape(text[last:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        last = end
    parts.append(html.escape(text[last:]))
    return {"text": text, "highlights": marks, "html": "".join(parts)}


def _opening(text: str) -> str:
    """Return the start of a text cut at a word boundary near the snippet length."""
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return text[:cut if cut > 0 else SNIPPET_CHARS] + " …"


def _hit(doc: tantivy.Document, key: Any, snippets: _Snippets) -> dict[str, Any]:
    """Return one search result as a plain dict."""
    first = doc.get_first
    return {"id": first("id"), "title": first("title"), "site": first("site"), "language": first("language"),
            "published": first("published"), "url": first("url"),
            "score": round(key, 4) if isinstance(key, float) else None, "snippet": snippets.make(doc)}


def _facets(searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, dict[str, int]]:
    """Return the matching articles counted by language and by site."""
    spec = {field: {"terms": {"field": field, "size": size}} for field, size in FACET_SIZE.items()}
    result = searcher.aggregate(query, spec)
    return {field: {bucket["key"]: bucket["doc_count"] for bucket in result[field]["buckets"]}
            for field in FACET_SIZE}


# What the index holds of an article besides its text, as one hash per article: when it
# changes (a pass regrouped the entities, quotes were added), the article is indexed again.
# Sums of hashes, so that row order does not matter. DuckDB's hash() may change between
# DuckDB versions: the index records the version it was made with (_meta) and starts over
# under another. 0.4 s for 100k articles here (an md5 of the ordered entity list took 3.5 s),
# so a summary of the whole store (0.07 s) is compared first, and this runs only on a change.
FINGERPRINT_SQL = """
    SELECT a.id, hash(a.language, a.site, a.published, e.entities, e.names, q.quotes)
    FROM articles a
    LEFT JOIN (SELECT article_id, sum(hash(entity_id, name)) AS entities, count(*) AS names
               FROM entities GROUP BY article_id) e ON e.article_id = a.id
    LEFT JOIN (SELECT article_id, count(*) AS quotes FROM quotes GROUP BY article_id) q ON q.article_id = a.id"""
SUMMARY_SQL = """
    SELECT (SELECT hash(count(*), sum(hash(id, language, site, published))) FROM articles),
           (SELECT hash(count(*), sum(hash(article_id, entity_id, name))) FROM entities),
           (SELECT hash(count(*), sum(hash(article_id))) FROM quotes)"""
# The ids go in as one space-separated string: DuckDB binds a list parameter element by
# element, which took 0.9 s for 2,000 ids here, against 7 ms to split one string.
DOCUMENT_SQL = """
    WITH wanted AS (SELECT unnest(string_split(?, ' ')) AS id)
    SELECT a.id, a.title, a.text, a.language, a.site, a.url, a.published, e.ids, e.names, coalesce(q.quotes, 0)
    FROM articles a
    LEFT JOIN (SELECT article_id, list(DISTINCT entity_id) AS ids, list(DISTINCT name) AS names FROM entities
               WHERE article_id IN (SELECT id FROM wanted) GROUP BY article_id) e ON e.article_id = a.id
    LEFT JOIN (SELECT article_id, count(*) AS quotes FROM quotes
               WHERE article_id IN (SELECT id FROM wanted) GROUP BY article_id) q ON q.article_id = a.id
    WHERE a.id IN (SELECT id FROM wanted)"""


def _article_rows(con: duckdb.DuckDBPyConnection, ids: list[str]) -> Iterable[tuple]:
    """Yield the DOCUMENT_SQL row of each of the given articles, a batch at a time."""
    for start in range(0, len(ids), ADD_BATCH):
        yield from con.execute(DOCUMENT_SQL, [" ".join(ids[start:start + ADD_BATCH])]).fetchall()


def _document(row: tuple) -> tantivy.Document:
    """Return the index document of one article row."""
    article_id, title, text, language, site, url, published, entity_ids, names, quotes = row
    document = tantivy.Document(id=article_id, title=title or "", text=text or "", language=language or "unknown",
                                site=site or "unknown", url=url or "", published=published or "")
    document.add_integer("day", _day(published, 0))
    document.add_integer("quotes", quotes)
    for entity_id in entity_ids or ():
        document.add_text("entity", entity_id)
    for key in {name_key(name) for name in names or ()}:
        document.add_text("entity_name", key)
    return document


def _meta() -> dict[str, Any]:
    """Return what an index must have been made with to be reused: its version and DuckDB's (for hash())."""
    return {"version": INDEX_VERSION, "duckdb": duckdb.__version__}


def _day(iso: str | None, default: int, *, upper: bool = False) -> int:
    """Return a YYYY-MM-DD (or YYYY-MM, YYYY) date as the integer YYYYMMDD; default when absent.

    A partial date stands for its first day, or with upper=True for its last, so that
    "to 2016-11" takes in the whole of November.
    """
    digits = (iso or "").replace("-", "")[:8]
    if not digits.isdigit():
        return default
    return int(digits.ljust(8, "9" if upper else "0"))


def _write_atomically(path: Path, content: str) -> None:
    """Replace a file's content so that a crash leaves the old or the new one, never half."""
    temporary = path.with_suffix(path.suffix + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
