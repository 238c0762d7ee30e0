"""The one query layer: plain dicts for the CLI, the HTTP API and the web UI alike."""
from __future__ import annotations

import json
from typing import Any

import duckdb

ARTICLE_COLUMNS = ("id, source, url, site, section, title, byline, published, published_from, language, "
                   "language_score, wire_source, canonical_url, format, paragraphs, text, removed, meta")


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Return the store's counts: the contract keys first, then languages, sites and reasons."""
    count = lambda table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
    result: dict[str, Any] = {name: count(name) for name in
                              ("pages", "articles", "rejects", "entities", "quotes", "events")}
    result["languages"] = _counts(con, "SELECT coalesce(language, 'unknown'), count(*) FROM articles GROUP BY 1")
    result["sites"] = _counts(con, "SELECT coalesce(site, 'unknown'), count(*) FROM articles GROUP BY 1")
    result["reject_reasons"] = _counts(con, "SELECT reason, count(*) FROM rejects GROUP BY 1")
    result["boilerplate_lines"] = _counts(con, "SELECT site, count(*) FROM site_boilerplate GROUP BY 1")
    return result


def _counts(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    """Return {key: count} from a two-column query, largest first."""
    return dict(sorted(con.execute(sql).fetchall(), key=lambda row: (-row[1], str(row[0]))))


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """Return one article by id (or by a unique id prefix of at least 6 characters), or None."""
    rows = con.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [article_id]).fetchall()
    if not rows and len(article_id) >= 6:
        rows = con.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE starts_with(id, ?) LIMIT 2",
                           [article_id]).fetchall()
    if len(rows) != 1:
        return None
    return _article_dict(con, rows[0])


def example_articles(con: duckdb.DuckDBPyConnection, limit: int = 3) -> list[dict[str, Any]]:
    """Return a few articles, one per site and language first, for a quick look at a store."""
    rows = con.execute(f"""
        SELECT {ARTICLE_COLUMNS} FROM articles
        QUALIFY row_number() OVER (PARTITION BY site, language ORDER BY published DESC NULLS LAST, id) = 1
        ORDER BY published DESC NULLS LAST, id LIMIT ?""", [limit]).fetchall()
    return [_article_dict(con, row) for row in rows]


def rejects(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict[str, Any]]:
    """Return the latest rejects with their reasons."""
    rows = con.execute("SELECT source, page_id, reason, error FROM rejects ORDER BY rejected_at DESC, key LIMIT ?",
                       [limit]).fetchall()
    return [{"source": s, "id": i, "rejected": r, "error": e} for s, i, r, e in rows]


def _article_dict(con: duckdb.DuckDBPyConnection, row: tuple) -> dict[str, Any]:
    """Turn an articles row into the article dict of the extract contract."""
    names = [name.strip() for name in ARTICLE_COLUMNS.split(",")]
    data = dict(zip(names, row))
    data["removed"] = json.loads(data["removed"] or "[]")
    data["meta"] = json.loads(data["meta"] or "{}")
    for key, table in (("entities", "entities"), ("quotes", "quotes"), ("dates", "dates"), ("events", "events")):
        data[key] = [json.loads(value) for (value,) in
                     con.execute(f"SELECT data FROM {table} WHERE article_id = ?", [data["id"]]).fetchall()]
    return data
