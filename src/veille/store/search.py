"""Full-text search: a tantivy index of the articles' titles and texts, derived from the store.

The index lives in a folder beside the store (`veille.duckdb.search/`). It is derived data:
`sync` adds the articles the store has and the index lacks, removes the ones it no longer
has, and can always start over from nothing. The ids the index holds are written to
`indexed.txt` after each commit; after a crash between the commit and that file, the next
sync re-adds those articles, deleting any copy first, so nothing is indexed twice.
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

# Bump when the schema or the analyzer changes: an index of another version is rebuilt.
INDEX_VERSION = 1
ANALYZER = "veille"
SNIPPET_CHARS = 220  # about two lines of a result list
ADD_BATCH = 2000  # articles read from DuckDB per round trip while indexing
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
    only_ids: frozenset[str] | None = None  # set by entity and quote filters, resolved in DuckDB
    except_ids: frozenset[str] | None = None


def index_path(db_path: str) -> Path:
    """Return the folder of the search index that belongs to a store file."""
    return Path(f"{db_path}.search")


def _schema() -> tantivy.Schema:
    """Return the index schema: searchable title and text, filterable language, site and date."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("text", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("language", stored=True, fast=True, tokenizer_name="raw")
    builder.add_text_field("site", stored=True, fast=True, tokenizer_name="raw")
    builder.add_text_field("url", stored=True, tokenizer_name="raw")
    builder.add_text_field("published", stored=True, tokenizer_name="raw")
    builder.add_integer_field("day", stored=False, indexed=True, fast=True)  # YYYYMMDD, 0 when unknown
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
            version = json.loads(meta.read_text())["version"]
            index = tantivy.Index(_schema(), path=str(self.folder), reuse=True) if version == INDEX_VERSION else None
        except (OSError, ValueError, KeyError):
            index = None
        if index is None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)
            index = tantivy.Index(_schema(), path=str(self.folder), reuse=False)
            _write_atomically(self.folder / "indexed.txt", "")
            _write_atomically(meta, json.dumps({"version": INDEX_VERSION}))
        index.register_tokenizer(ANALYZER, _analyzer())
        return index

    def indexed_ids(self) -> set[str]:
        """Return the ids of the articles the last completed sync left in the index."""
        try:
            return set((self.folder / "indexed.txt").read_text().split())
        except OSError:
            return set()

    def sync(self, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        """Bring the index up to date with the store: add what it lacks, drop what the store no longer has."""
        with self._lock:
            stored = {row[0] for row in con.execute("SELECT id FROM articles").fetchall()}
            indexed = self.indexed_ids()
            missing, gone = stored - indexed, indexed - stored
            if missing or gone:
                writer = self._writer()
                if writer is None:  # another process is updating it: search what is there
                    self.index.reload()
                    return {"added": 0, "removed": 0, "total": len(stored), "busy": 1}
                for article_id in gone | missing:  # delete first: a re-add after a crash leaves one copy
                    writer.delete_documents_by_term("id", article_id)
                for row in _article_rows(con, sorted(missing)):
                    writer.add_document(_document(row))
                writer.commit()
                writer.wait_merging_threads()
                _write_atomically(self.folder / "indexed.txt", "\n".join(sorted(stored)))
            self.index.reload()
            return {"added": len(missing), "removed": len(gone), "total": len(stored)}

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
        if filters.only_ids is not None:
            parts.append((tantivy.Occur.Must, tantivy.Query.term_set_query(schema, "id", sorted(filters.only_ids))))
        if filters.except_ids:
            parts.append((tantivy.Occur.MustNot, tantivy.Query.term_set_query(schema, "id", sorted(filters.except_ids))))
        return tantivy.Query.boolean_query(parts)


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


def _article_rows(con: duckdb.DuckDBPyConnection, ids: list[str]) -> Iterable[tuple]:
    """Yield (id, title, text, language, site, url, published) for the given ids, a batch at a time."""
    for start in range(0, len(ids), ADD_BATCH):
        chunk = ids[start:start + ADD_BATCH]
        yield from con.execute("""SELECT id, title, text, language, site, url, published FROM articles
                                  WHERE id IN (SELECT unnest(?::VARCHAR[]))""", [chunk]).fetchall()


def _document(row: tuple) -> tantivy.Document:
    """Return the index document of one article row."""
    article_id, title, text, language, site, url, published = row
    return tantivy.Document(id=article_id, title=title or "", text=text or "", language=language or "unknown",
                            site=site or "unknown", url=url or "", published=published or "",
                            day=_day(published, 0))


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
