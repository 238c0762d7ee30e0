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
    data.update(annotations(con, data["id"]))
    return data


def annotations(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """Return an article's entities, quotes, dates and events as in the extract contract."""
    return {"entities": _entities(con, article_id), "quotes": _rows(con, QUOTES_SQL, article_id),
            "dates": _rows(con, DATES_SQL, article_id),
            "events": [_event(row) for row in _rows(con, EVENTS_SQL, article_id)]}


QUOTES_SQL = """SELECT quote_id AS id, text, start, "end", kind, speaker, speaker_entity, cue, via,
                       speaker_start, speaker_end FROM quotes WHERE article_id = ? ORDER BY start"""
DATES_SQL = """SELECT text, start, "end", resolved, granularity FROM dates WHERE article_id = ? ORDER BY start"""
EVENTS_SQL = """SELECT event_id AS id, type, actor, actor_entity, target, target_entity, place, date,
                       evidence_start, evidence_end, evidence_text, negated, reported_by
                FROM events WHERE article_id = ? ORDER BY evidence_start, type"""


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[dict[str, Any]]:
    """Return a query's rows as dicts keyed by column name."""
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _entities(con: duckdb.DuckDBPyConnection, article_id: str) -> list[dict[str, Any]]:
    """Return an article's entities, each with its mentions."""
    entities = _rows(con, """SELECT entity_id AS id, name, type, roles, attributes FROM entities
                             WHERE article_id = ? ORDER BY name""", article_id)
    mentions: dict[str, list] = {}
    for row in _rows(con, """SELECT entity_id, start, "end", text, kind FROM mentions WHERE article_id = ?
                             ORDER BY start""", article_id):
        mentions.setdefault(row.pop("entity_id"), []).append(row)
    for entity in entities:
        entity["attributes"] = json.loads(entity["attributes"] or "{}")
        entity["mentions"] = mentions.get(entity["id"], [])
    return entities


def _event(row: dict[str, Any]) -> dict[str, Any]:
    """Fold an events row's evidence columns into the contract's evidence object."""
    row["evidence"] = {"start": row.pop("evidence_start"), "end": row.pop("evidence_end"),
                       "text": row.pop("evidence_text")}
    return row
