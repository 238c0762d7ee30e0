"""The one query layer: plain dicts for the CLI, the HTTP API and the web UI alike."""
from __future__ import annotations

import json
from typing import Any

import duckdb

from veille.corpus.names import person_words, thing_key
from veille.nlp.entities import entity_id

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
    data.update(corpus_context(con, data["id"]))
    return data


def corpus_context(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any]:
    """Return what the corpus passes say of an article: its group of copies and its story (None when alone)."""
    group = duplicate_group_of(con, article_id)
    copies = duplicates(con, group=group, limit=1)["items"] if group else []
    story = con.execute("""SELECT m.story_id, any_value(a.title ORDER BY a.published, a.id), count(*),
                                  list_sort(list(DISTINCT a.language))
                           FROM story_members m JOIN articles a ON a.id = m.article_id
                           WHERE m.story_id = (SELECT story_id FROM story_members WHERE article_id = ?)
                           GROUP BY m.story_id""", [article_id]).fetchone()
    return {"copies": copies[0] if copies else None,
            "story": dict(zip(("id", "title", "articles", "languages"), story)) if story else None}


def annotations(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """Return an article's entities, quotes, dates and events as in the extract contract."""
    return {"entities": _entities(con, article_id), "quotes": _rows(con, QUOTES_SQL, article_id),
            "dates": _rows(con, DATES_SQL, article_id),
            "events": [_event(row) for row in _rows(con, EVENTS_SQL, article_id)]}


# An article's speaker, actor and target carry their canonical ids too (null without links), so
# that a page links each to the right one of two namesakes.
QUOTES_SQL = """SELECT q.quote_id AS id, q.text, q.start, q."end", q.kind, q.speaker, q.speaker_entity, q.cue, q.via,
                       q.speaker_start, q.speaker_end, l.canonical_id AS speaker_canonical
                FROM quotes q LEFT JOIN entity_links l ON l.article_id = q.article_id AND l.entity_id = q.speaker_entity
                WHERE q.article_id = ? ORDER BY q.start"""
DATES_SQL = """SELECT text, start, "end", resolved, granularity FROM dates WHERE article_id = ? ORDER BY start"""
EVENTS_SQL = """SELECT e.event_id AS id, e.type, e.actor, e.actor_entity, e.target, e.target_entity, e.place, e.date,
                       e.evidence_start, e.evidence_end, e.evidence_text, e.negated, e.hypothetical,
                       e.reported_by, e.cameo, la.canonical_id AS actor_canonical, lt.canonical_id AS target_canonical
                FROM events e
                LEFT JOIN entity_links la ON la.article_id = e.article_id AND la.entity_id = e.actor_entity
                LEFT JOIN entity_links lt ON lt.article_id = e.article_id AND lt.entity_id = e.target_entity
                WHERE e.article_id = ? ORDER BY e.evidence_start, e.type"""


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[dict[str, Any]]:
    """Return a query's rows as dicts keyed by column name."""
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _entities(con: duckdb.DuckDBPyConnection, article_id: str) -> list[dict[str, Any]]:
    """Return an article's entities, each with its mentions."""
    entities = _rows(con, """SELECT e.entity_id AS id, e.name, e.type, e.roles, e.attributes, l.canonical_id
                             FROM entities e LEFT JOIN entity_links l USING (article_id, entity_id)
                             WHERE e.article_id = ? ORDER BY e.name""", article_id)
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


# Lists: every list query takes limit and offset and returns {"items": [...], "total": n}.
# An entity's id is a hash of its type and name key (veille.nlp.entities.entity_id), the same
# in every article. The names pass (veille.corpus.names) links each article's entity to a
# canonical entity (entity_links): "Sergueï Choïgou" and "Sergei Shoigu" one, two namesakes
# two. Lists and entity pages group by the canonical id; an entity the pass has not linked (a
# store without the pass, rows written by hand) is its own canonical entity: its entity id.
CANONICAL_ROWS = """(SELECT e.*, coalesce(l.canonical_id, e.entity_id) AS canonical
                     FROM entities e LEFT JOIN entity_links l USING (article_id, entity_id))"""
# The (article, entity) pairs of the canonical entities whose ids are given.
ENTITY_MEMBERS = f"""(SELECT article_id, entity_id FROM {CANONICAL_ROWS}
                      WHERE canonical IN (SELECT unnest(?::VARCHAR[])))"""

def entity_articles(con: duckdb.DuckDBPyConnection, name_or_id: str) -> list[str] | None:
    """Return the ids of the articles naming an entity under any of its names, or None when no entity goes by it."""
    ids = entity_ids(con, name_or_id)
    if not ids:
        return None
    return [row[0] for row in con.execute(f"SELECT DISTINCT article_id FROM {ENTITY_MEMBERS} ORDER BY 1",
                                          [ids]).fetchall()]


def page(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], *, limit: int,
         offset: int, order: str) -> dict[str, Any]:
    """Return one page of a query's rows and the count of all its rows."""
    total = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
    items = _rows(con, f"SELECT * FROM ({sql}) ORDER BY {order} LIMIT ? OFFSET ?", *params, limit, offset)
    return {"items": items, "total": total}


def entity_ids(con: duckdb.DuckDBPyConnection, name_or_id: str) -> list[str]:
    """Return the ids an entity goes by across articles, the main id first: its canonical id, or its entity ids.

    By a canonical id, that entity; by an entity id or a name, the canonical entity most of
    those mentions are linked to; failing both, the canonical entity whose matching key is the
    name's ("Sergey Shoygu" finds "Sergueï Choïgou"). Without links, the entity ids of the
    name: one id, or one per article in stores written before ids were shared.
    """
    if con.execute("SELECT 1 FROM canonical_entities WHERE canonical_id = ?", [name_or_id]).fetchone():
        return [name_or_id]
    ids = _named_entity_ids(con, name_or_id)
    linked = con.execute("""SELECT canonical_id FROM entity_links WHERE entity_id IN (SELECT unnest(?::VARCHAR[]))
                            GROUP BY canonical_id ORDER BY count(*) DESC, canonical_id LIMIT 1""", [ids]).fetchone()
    if linked:
        return [linked[0]]
    return ids or _canonical_by_key(con, name_or_id)


def _canonical_by_key(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """Return [the id of the canonical entity whose matching key is a name's, the most seen], or []."""
    keys = [" ".join(person_words(name)), thing_key(name)]
    row = con.execute("""SELECT canonical_id FROM canonical_entities WHERE key IN (SELECT unnest(?::VARCHAR[]))
                         ORDER BY (data->>'articles')::INTEGER DESC NULLS LAST, canonical_id LIMIT 1""",
                      [keys]).fetchone()
    return [row[0]] if row else []


def _named_entity_ids(con: duckdb.DuckDBPyConnection, name_or_id: str) -> list[str]:
    """Return the entity ids of the entity whose id is given, or of the one most often so named; the main id first."""
    found = con.execute("SELECT name, type FROM entities WHERE entity_id = ? LIMIT 1", [name_or_id]).fetchone()
    main = name_or_id
    if found is None:
        found = con.execute("""SELECT any_value(name), type FROM entities
                               WHERE lower(name) = lower(?) OR entity_id IN (SELECT unnest(?::VARCHAR[]))
                               GROUP BY type ORDER BY count(*) DESC, type LIMIT 1""",
                            [name_or_id, [entity_id(kind, name_or_id) for kind in ENTITY_TYPES]]).fetchone()
        if found is None:
            return []
        main = entity_id(found[1], found[0])
    return [row[0] for row in con.execute("""SELECT DISTINCT entity_id FROM entities
                                             WHERE type = ? AND (lower(name) = lower(?) OR entity_id = ?)
                                             ORDER BY entity_id <> ?, entity_id""",
                                          [found[1], found[0], main, main]).fetchall()]


def entities(con: duckdb.DuckDBPyConnection, *, q: str | None = None, type: str | None = None,
             limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Return the entities one of whose names contains q, most mentioned first, each counted under all its names."""
    sql = f"""SELECT r.canonical AS id, coalesce(any_value(c.name), any_value(r.name ORDER BY length(r.name) DESC)) AS name,
                     coalesce(any_value(c.type), any_value(r.type)) AS type, count(DISTINCT r.article_id) AS articles,
                     sum(r.mention_count)::BIGINT AS mentions
              FROM {CANONICAL_ROWS} r LEFT JOIN canonical_entities c ON c.canonical_id = r.canonical
              GROUP BY r.canonical
              HAVING (?::VARCHAR IS NULL OR bool_or(contains(lower(r.name), lower(?))))
                 AND (?::VARCHAR IS NULL OR coalesce(any_value(c.type), any_value(r.type)) = ?)"""
    return page(con, sql, [q, q, type, type], limit=limit, offset=offset, order="mentions DESC, name, id")


def entity(con: duckdb.DuckDBPyConnection, name_or_id: str, *, limit: int = 50) -> dict[str, Any] | None:
    """Return one entity across articles: names, other references, roles over time, quotes, events, neighbours."""
    ids = entity_ids(con, name_or_id)
    if not ids:
        return None
    head = con.execute(f"""SELECT coalesce(any_value(c.name), any_value(r.name ORDER BY length(r.name) DESC)),
                                  any_value(r.type), count(DISTINCT r.article_id), sum(r.mention_count)::BIGINT
                           FROM {CANONICAL_ROWS} r LEFT JOIN canonical_entities c ON c.canonical_id = r.canonical
                           WHERE r.canonical IN (SELECT unnest(?::VARCHAR[]))""", [ids]).fetchone()
    return {"id": ids[0], "ids": ids, "name": head[0], "type": head[1], "articles": head[2], "mentions": head[3],
            "variants": _rows(con, ENTITY_VARIANTS_SQL, ids),
            "references": _rows(con, ENTITY_REFERENCES_SQL, ids),
            "roles": _rows(con, ENTITY_ROLES_SQL, ids),
            "quotes": quotes(con, speaker_ids=ids, limit=limit)["items"],
            "events": events(con, entity=ids[0], limit=limit)["items"],
            "timeline": _rows(con, ENTITY_TIMELINE_SQL, ids),
            "cooccurring": _rows(con, ENTITY_NEIGHBOURS_SQL, ids, ids, limit),
            "recent_articles": _rows(con, ENTITY_ARTICLES_SQL, ids, limit)}


ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
# Variants are the names an entity goes by (mentions of kind name; stores written before
# mention kinds have NULL there); references are the role nouns and pronouns that stand
# for it in a text ("le ministre", "il"), counted apart: they are not its names.
ENTITY_VARIANTS_SQL = f"""SELECT m.text, count(*) AS count, count(DISTINCT m.article_id) AS articles FROM mentions m
                         WHERE (m.article_id, m.entity_id) IN {ENTITY_MEMBERS} AND coalesce(m.kind, 'name') = 'name'
                         GROUP BY m.text ORDER BY count DESC, m.text"""
ENTITY_REFERENCES_SQL = f"""SELECT m.kind, mode(m.text) AS text, count(*) AS count,
                                  count(DISTINCT m.article_id) AS articles FROM mentions m
                           WHERE (m.article_id, m.entity_id) IN {ENTITY_MEMBERS} AND m.kind IN ('role', 'pronoun')
                           GROUP BY m.kind, lower(m.text) ORDER BY m.kind DESC, count DESC, text"""
ENTITY_ROLES_SQL = f"""SELECT role, min(a.published) AS first, max(a.published) AS last,
                             count(DISTINCT e.article_id) AS articles,
                             list(DISTINCT a.published ORDER BY a.published) FILTER (a.published IS NOT NULL) AS dates
                      FROM (SELECT article_id, unnest(roles) AS role FROM {CANONICAL_ROWS}
                            WHERE canonical IN (SELECT unnest(?::VARCHAR[]))) e
                      JOIN articles a ON a.id = e.article_id
                      GROUP BY role ORDER BY first NULLS LAST, role"""
ENTITY_TIMELINE_SQL = f"""SELECT a.published AS day, sum(e.mention_count)::BIGINT AS mentions,
                                count(DISTINCT e.article_id) AS articles
                         FROM {CANONICAL_ROWS} e JOIN articles a ON a.id = e.article_id
                         WHERE e.canonical IN (SELECT unnest(?::VARCHAR[])) AND a.published IS NOT NULL
                         GROUP BY a.published ORDER BY day"""
ENTITY_NEIGHBOURS_SQL = f"""SELECT o.canonical AS id, any_value(o.name ORDER BY length(o.name) DESC) AS name,
                                  any_value(o.type) AS type, count(DISTINCT o.article_id) AS articles
                           FROM {CANONICAL_ROWS} o
                           WHERE o.article_id IN (SELECT article_id FROM {ENTITY_MEMBERS})
                             AND o.canonical NOT IN (SELECT unnest(?::VARCHAR[]))
                           GROUP BY o.canonical ORDER BY articles DESC, name LIMIT ?"""
ENTITY_ARTICLES_SQL = f"""SELECT a.id, a.title, a.site, a.language, a.published FROM articles a
                         WHERE a.id IN (SELECT article_id FROM {ENTITY_MEMBERS})
                         ORDER BY a.published DESC NULLS LAST, a.id LIMIT ?"""


def quotes(con: duckdb.DuckDBPyConnection, *, speaker: str | None = None, q: str | None = None,
           date_from: str | None = None, date_to: str | None = None, article: str | None = None,
           speaker_ids: list[str] | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Return quotes by a speaker (name or entity id, or exactly these entity ids), containing q, within dates."""
    ids = speaker_ids if speaker_ids is not None else entity_ids(con, speaker) if speaker else []
    sql = """SELECT q.quote_id AS id, q.article_id, q.text, q.kind, q.speaker, q.speaker_entity, q.cue, q.via,
                    q.start, q."end", a.title, a.site, a.language, a.published
             FROM quotes q JOIN articles a ON a.id = q.article_id
                  LEFT JOIN entity_links ls ON ls.article_id = q.article_id AND ls.entity_id = q.speaker_entity
             WHERE (?::BOOLEAN OR coalesce(ls.canonical_id, q.speaker_entity) IN (SELECT unnest(?::VARCHAR[]))
                    OR lower(q.speaker) = lower(?))
               AND (?::VARCHAR IS NULL OR contains(lower(q.text), lower(?)))
               AND (?::VARCHAR IS NULL OR a.published >= ?) AND (?::VARCHAR IS NULL OR a.published <= ?)
               AND (?::VARCHAR IS NULL OR q.article_id = ?)"""
    anyone = speaker is None and speaker_ids is None
    params = [anyone, ids, speaker, q, q, date_from, date_from, date_to, _upper(date_to), article, article]
    return page(con, sql, params, limit=limit, offset=offset, order="published DESC NULLS LAST, article_id, start")


def events(con: duckdb.DuckDBPyConnection, *, type: str | None = None, actor: str | None = None,
           target: str | None = None, entity: str | None = None, date_from: str | None = None,
           date_to: str | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Return events merged across the articles that report them, each with every report.

    The merge pass's groups (event_members) where it has run; else reports of the same type,
    actor, target, date and flags. An event is listed when one of its reports matches the filters.
    """
    sides = {name: (value, entity_ids(con, value) if value else []) for name, value in
             (("actor", actor), ("target", target), ("entity", entity))}
    sql = f"""WITH {REPORTS_SQL},
              hit AS (SELECT DISTINCT e.merged FROM reports e
                      WHERE (?::VARCHAR IS NULL OR e.type = upper(?))
                        AND {_side_sql('actor')} AND {_side_sql('target')}
                        AND (?::VARCHAR IS NULL OR {_matches_sql('actor')} OR {_matches_sql('target')})
                        AND (?::VARCHAR IS NULL OR coalesce(e.date, e.published) >= ?)
                        AND (?::VARCHAR IS NULL OR coalesce(e.date, e.published) <= ?))
              SELECT min(e.event_id) AS id, any_value(e.merged_id) AS merged_id, any_value(e.type) AS type,
                     {_first('actor')} AS actor, {_first('actor_entity')} AS actor_entity,
                     {_first('actor_canonical')} AS actor_canonical,
                     {_first('target')} AS target, {_first('target_entity')} AS target_entity,
                     {_first('actor_canonical')} AS actor_canonical, {_first('target_canonical')} AS target_canonical,
                     {_first('target_canonical')} AS target_canonical,
                     {_first('place')} AS place, max(e.date) AS date, min(e.published) AS first_reported,
                     bool_or(e.negated) AS negated, bool_or(e.hypothetical) AS hypothetical,
                     {_first('cameo')} AS cameo, {REPORT_COUNTS},
                     list({{'article_id': e.article_id, 'title': e.title, 'site': e.site, 'url': e.url,
                           'published': e.published, 'evidence': e.evidence_text, 'start': e.evidence_start,
                           'end': e.evidence_end}} ORDER BY e.published, e.article_id) AS sources
              FROM reports e WHERE e.merged IN (SELECT merged FROM hit) GROUP BY e.merged"""
    params = [type, type, *_side_params(sides["actor"]), *_side_params(sides["target"]),
              sides["entity"][0], *_side_params(sides["entity"])[1:], *_side_params(sides["entity"])[1:],
              date_from, date_from, date_to, _upper(date_to)]
    return page(con, sql, params, limit=limit, offset=offset, order="coalesce(date, first_reported) DESC NULLS LAST, type, id")


# How often a merged event was reported: every report; once per duplicate group (a wire story
# and its copies are one independent report); and by how many sites (an unknown site is the
# article's own).
REPORT_COUNTS = """count(*) AS reports, count(DISTINCT e.copy) AS independent_reports,
                   count(DISTINCT coalesce(e.site, e.article_id)) AS outlets"""


# Every event with its article's fields, its sides' canonical ids, its merged event and its copy
# group. Reports the merge pass has not grouped (rows written without it) are one event when
# their type, canonical sides, own date and flags are the same.
REPORTS_SQL = """reports AS (
    SELECT e.*, a.published, a.site, a.title, a.url, la.canonical_id AS actor_canonical,
           lt.canonical_id AS target_canonical, m.merged_id,
           coalesce(m.merged_id, concat_ws(chr(31), 'same', e.type,
                    coalesce(lower(coalesce(la.canonical_id, e.actor_entity, e.actor)), ''),
                    coalesce(lower(coalesce(lt.canonical_id, e.target_entity, e.target)), ''),
                    coalesce(e.date, ''), e.negated::VARCHAR, e.hypothetical::VARCHAR)) AS merged,
           coalesce(d.group_id, e.article_id) AS copy
    FROM events e JOIN articles a ON a.id = e.article_id
    LEFT JOIN event_members m ON m.article_id = e.article_id AND m.event_id = e.event_id
    LEFT JOIN duplicate_members d ON d.article_id = e.article_id
    LEFT JOIN entity_links la ON la.article_id = e.article_id AND la.entity_id = e.actor_entity
    LEFT JOIN entity_links lt ON lt.article_id = e.article_id AND lt.entity_id = e.target_entity)"""


def _first(column: str) -> str:
    """Return the aggregate of a merged event's column: its first report's value that is there."""
    return f"first(e.{column} ORDER BY e.{column} IS NULL, e.published, e.article_id)"


def _matches_sql(side: str) -> str:
    """Return the condition that an event's actor or target is a given entity (canonical ids, then name)."""
    return f"(coalesce(e.{side}_canonical, e.{side}_entity) IN (SELECT unnest(?::VARCHAR[])) OR lower(e.{side}) = lower(?))"


def _side_sql(side: str) -> str:
    """Return the optional filter on an event's actor or target."""
    return f"(?::VARCHAR IS NULL OR {_matches_sql(side)})"


def _side_params(side: tuple[str | None, list[str]]) -> list[Any]:
    """Return the parameters of _side_sql for one (name or id, entity ids) pair."""
    value, ids = side
    return [value, ids, value]


def _upper(day: str | None) -> str | None:
    """Return an inclusive upper date bound that also takes in the whole of a partial date."""
    return None if day is None else day + "\uffff"


def stories(con: duckdb.DuckDBPyConnection, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Return the stories (articles about one happening across outlets), largest first; none before the pass."""
    if not _has_table(con, "story_members"):
        return {"items": [], "total": 0}
    sql = """SELECT m.story_id AS id, any_value(a.title ORDER BY a.published, a.id) AS title,
                    list_sort(list(DISTINCT a.language)) AS languages, list_sort(list(DISTINCT a.site)) AS sites,
                    count(*) AS articles, min(a.published) AS first, max(a.published) AS last,
                    list({'id': a.id, 'source': a.source, 'site': a.site, 'url': a.url, 'language': a.language,
                          'published': a.published, 'title': a.title} ORDER BY a.published, a.id) AS members
             FROM story_members m JOIN articles a ON a.id = m.article_id GROUP BY m.story_id"""
    return page(con, sql, [], limit=limit, offset=offset, order="articles DESC, last DESC NULLS LAST, id")


def story(con: duckdb.DuckDBPyConnection, story_id: str) -> dict[str, Any] | None:
    """Return one story: its articles across outlets and languages, and the events they report."""
    if not _has_table(con, "story_members"):
        return None
    members = _rows(con, """SELECT a.id, a.title, a.site, a.language, a.published, a.url, a.source
                            FROM story_members m JOIN articles a ON a.id = m.article_id
                            WHERE m.story_id = ? ORDER BY a.published NULLS LAST, a.id""", story_id)
    if not members:
        return None
    ids = [member["id"] for member in members]
    merged = _rows(con, f"""WITH {REPORTS_SQL}
                            SELECT any_value(e.type) AS type, {_first('actor')} AS actor, {_first('target')} AS target,
                                   {_first('place')} AS place, max(e.date) AS date, {REPORT_COUNTS},
                                   list(DISTINCT e.article_id ORDER BY e.article_id) AS articles
                            FROM reports e WHERE e.article_id IN (SELECT unnest(?::VARCHAR[]))
                            GROUP BY e.merged ORDER BY reports DESC, date NULLS LAST, type, actor""", ids)
    return {"id": story_id, "title": members[0]["title"], "languages": sorted({m["language"] or "" for m in members}),
            "members": members, "events": merged}


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Say whether the store has a table (or view) of this name."""
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0] > 0


def facets(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Return what the search filters can take: languages, sites, event types, and the date range."""
    first, last = con.execute("SELECT min(published), max(published) FROM articles").fetchone()
    return {"languages": _counts(con, "SELECT coalesce(language, 'unknown'), count(*) FROM articles GROUP BY 1"),
            "sites": _counts(con, "SELECT coalesce(site, 'unknown'), count(*) FROM articles GROUP BY 1"),
            "event_types": _counts(con, "SELECT type, count(*) FROM events GROUP BY 1"),
            "first": first, "last": last}


# Duplicate groups (veille.corpus.duplicates): each copy is listed, byte-identical page copies
# (page_copies) beside the article they repeat; `independent_sources` counts outlets, not copies.
DUPLICATE_GROUPS_SQL = """SELECT g.group_id AS "group", g.kind, g.agency, g.representative, g.earliest,
                                 r.title, r.published, g.sites AS independent_sources, g.members AS copies
                          FROM duplicate_groups g JOIN articles r ON r.id = g.representative
                          WHERE (?::VARCHAR IS NULL OR g.kind = ?) AND (?::VARCHAR IS NULL OR g.group_id = ?)"""
DUPLICATE_MEMBERS_SQL = """
    SELECT * FROM (
    SELECT m.group_id, a.id, a.source, a.site, a.url, a.title, a.published, a.wire_source,
           m.similarity, m.relation, false AS page_copy
    FROM duplicate_members m JOIN articles a ON a.id = m.article_id
    WHERE m.group_id IN (SELECT unnest(?::VARCHAR[]))
    UNION ALL
    SELECT m.group_id, a.id, c.source, coalesce(c.site, a.site), coalesce(c.url, a.url), a.title, a.published,
           a.wire_source, 1.0, 'exact', true
    FROM duplicate_members m JOIN page_copies c ON c.page_id = m.article_id JOIN articles a ON a.id = m.article_id
    WHERE m.group_id IN (SELECT unnest(?::VARCHAR[])))
    ORDER BY group_id, relation <> 'representative', published NULLS LAST, page_copy, id, source"""


def duplicates(con: duckdb.DuckDBPyConnection, *, kind: str | None = None, group: str | None = None,
               limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Return the groups of copies (exact, near, syndication; or the one group given), most copies first, each with every copy."""
    if not _has_table(con, "duplicate_groups"):
        return {"items": [], "total": 0}
    found = page(con, DUPLICATE_GROUPS_SQL, [kind, kind, group, group], limit=limit, offset=offset,
                 order='copies DESC, published DESC NULLS LAST, "group"')
    members: dict[str, list] = {}
    ids = [item["group"] for item in found["items"]]
    for row in _rows(con, DUPLICATE_MEMBERS_SQL, ids, ids):
        members.setdefault(row.pop("group_id"), []).append(row)
    for item in found["items"]:
        item["members"] = members.get(item["group"], [])
        item["sites"] = sorted({member["site"] for member in item["members"] if member["site"]})
    return found


def duplicate_group_of(con: duckdb.DuckDBPyConnection, article_id: str) -> str | None:
    """Return the id of the duplicate group an article belongs to, or None (a story counts a group once)."""
    if not _has_table(con, "duplicate_members"):
        return None
    row = con.execute("SELECT group_id FROM duplicate_members WHERE article_id = ?", [article_id]).fetchone()
    return row[0] if row else None
