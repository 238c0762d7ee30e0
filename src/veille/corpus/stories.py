"""Stories: the articles about one happening, across outlets and languages, within a few days.

Articles are taken in oldest first. Each joins the story it is most like, on average over the
story's members within the window, when that clears THRESHOLD; else it stays alone, a story
of one that a later article may join (a story has at least two articles: no row before).
Two articles are alike by:

- the entities they share: canonical ids from the names pass (an article's own entity ids
  where it left none), each weighted by its salience in the article (mentions, a mention in
  the lead) and its rarity (IDF from how many articles held it when the article came in),
  compared as a cosine of unit vectors;
- the events they share (same type, same canonical sides, same flags), a bonus;
- being in one duplicate group: copies of one page or of one wire story are one story, always.

Text similarity is left out: the duplicates pass's signatures measure copying, and copies are
already in one duplicate group; two write-ups of one happening share names, not shingles.

Averaging over the members keeps stories from chaining: an article like one member only
does not pull in the next happening. The weights an article gets are kept as they were when
it came in (story_keys), so the same articles in the same order give the same stories
whatever the chunks (a rebuild gives what the incremental runs gave).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import duckdb

from veille.records import content_id

NAME = "stories"
TABLES = ("story_members", "story_keys", "story_key_counts")

# 3 days between publication dates: the samples' reports of one happening are at most a day
# apart, and a daily paper reports a weekend's happening on Monday, two days later; one more
# day of margin. Wider takes in follow-ups that are other happenings (the budget minister's
# Monday speech and her Friday port visit in the samples, 4 days apart).
WINDOW_DAYS = 3
# A mention in the lead counts twice: news is written lead first, so the happening's parties
# are there, while a related matter comes up further down (a strike in a minister's visit).
LEAD_WEIGHT = 2.0
# The keys an article looks for partners by: its strongest rare ones. 8 covers the parties
# and places of a lead; a pair sharing none of them has too little in common to clear
# THRESHOLD. Rare: held by at most 1 % of the articles taken in (a country or a capital named
# in more names no happening, and would bring in most of the window as candidates), or by at
# most 20 (below that, a count says nothing of rarity: a small store blocks on every key).
BLOCKING_KEYS = 8
RARE_SHARE = 0.01
RARE_MIN = 20
# Added to the cosine when two articles report one event (type and both sides the same).
EVENT_BONUS = 0.15
# Keys two articles must share for their cosine to count (see pair_score).
MIN_SHARED = 2
# 0.35: midway between the samples' highest pair of articles on two happenings (0.28, a
# minister's port visit and the strike it mentions) and their lowest pair on one (0.42, the
# strike's two reports). On the synthetic store of benchmarks/corpus.py (10,000 articles, its
# generator's happenings as truth), pairs of articles put in one story are right at precision
# 0.92 and recall 0.77; 0.3 gives 0.89 and 0.79, 0.4 gives 0.95 and 0.76.
THRESHOLD = 0.35


def id_list_sql(article_ids: list[str]) -> str:
    """Return article ids as the items of an SQL IN list.

    A table with a key on its ids (articles, entity_links) is then read through the key's
    index, where a join with the list would read the whole table: at 100,000 articles, 4 s
    for a chunk's articles and their paragraphs by a join, 0.1 s so.
    """
    return ", ".join("'" + article_id.replace("'", "''") + "'" for article_id in article_ids)


def side_joins_sql(ids: str) -> str:
    """Return the joins that give an event `e` of these articles its sides' canonical ids (la, lt)."""
    links = f"(SELECT * FROM entity_links WHERE article_id IN ({ids}))"
    return f"""LEFT JOIN {links} la ON la.article_id = e.article_id AND la.entity_id = e.actor_entity
               LEFT JOIN {links} lt ON lt.article_id = e.article_id AND lt.entity_id = e.target_entity"""


def side_key_sql(side: str) -> str:
    """Return the SQL key of an event's side: its canonical id, else its name in lower case."""
    return f"coalesce(l{side[0]}.canonical_id, lower(e.{side}))"


@dataclass(slots=True)
class Clusters:
    """The stories a chunk may touch: who is in which, members' days, and the new rows."""

    story_of: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    day: dict[str, date | None] = field(default_factory=dict)
    rows: list[tuple[str, str, float]] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)


def update(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> int:
    """Take these articles (oldest first) into stories; return how many stories were made or grown."""
    if not article_ids:
        return 0
    _load_chunk(con, article_ids)
    _keep_keys(con, article_ids)
    pairs, forced = _pairs(con), _forced_pairs(con)
    clusters = _load_clusters(con, {y for found in (pairs, forced) for partners in found.values() for y in partners})
    for article_id, day in con.execute("SELECT article_id, published FROM story_chunk ORDER BY rank").fetchall():
        clusters.day[article_id] = day
        _place(clusters, article_id, pairs.get(article_id, {}), forced.get(article_id, []))
    _write(con, clusters.rows)
    con.execute("DROP TABLE story_chunk; DROP TABLE story_chunk_keys")
    return len(clusters.changed)


def _load_chunk(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Put the chunk's articles in a table with their order, day and lead's length."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE story_chunk AS
                    SELECT c.id AS article_id, c.rank, TRY_CAST(left(a.published, 10) AS DATE) AS published,
                           coalesce(len(a.paragraphs[1]), 0) AS lead_end
                    FROM (SELECT unnest(?::VARCHAR[]) AS id, generate_subscripts(?::VARCHAR[], 1) AS rank) c
                    JOIN (SELECT id, published, paragraphs FROM articles WHERE id IN ({id_list_sql(article_ids)})) a
                         ON a.id = c.id""",
                [article_ids, article_ids])


def _keep_keys(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Weigh the chunk's entity keys as each article comes in; keep them, its events and the counts."""
    ids = id_list_sql(article_ids)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE story_chunk_keys AS
        WITH firsts AS (SELECT article_id, entity_id, min(start) AS first FROM mentions
                        WHERE article_id IN (SELECT article_id FROM story_chunk) GROUP BY ALL),
        salient AS (
            SELECT c.article_id, c.rank, c.published, coalesce(l.canonical_id, e.entity_id) AS key,
                   (1 + ln(sum(greatest(coalesce(e.mention_count, 1), 1))))
                   * CASE WHEN bool_or(f.first < c.lead_end) THEN {LEAD_WEIGHT} ELSE 1 END AS salience
            FROM story_chunk c JOIN entities e ON e.article_id = c.article_id
            LEFT JOIN (SELECT * FROM entity_links WHERE article_id IN ({ids})) l
                 ON l.article_id = e.article_id AND l.entity_id = e.entity_id
            LEFT JOIN firsts f ON f.article_id = e.article_id AND f.entity_id = e.entity_id
            GROUP BY ALL),
        seen AS (SELECT count(*) AS n FROM corpus_seen WHERE pass = '{NAME}'),
        counted AS (
            SELECT s.*, seen.n + s.rank AS total,
                   coalesce(k.articles, 0) + count(*) OVER (PARTITION BY s.key ORDER BY s.rank) AS df
            FROM salient s CROSS JOIN seen LEFT JOIN story_key_counts k ON k.key = s.key),
        rare AS (SELECT *, salience * ln(1 + total / df) AS raw FROM counted)
        SELECT article_id, rank, published, key, df <= greatest({RARE_MIN}, {RARE_SHARE} * total) AS blocks,
               -- rounded: a float sum's last bits follow the order DuckDB's threads add in
               round(raw / sqrt(sum(raw * raw) OVER (PARTITION BY article_id)), 9) AS weight
        FROM rare""")
    con.execute("""INSERT INTO story_keys SELECT published, article_id, 'entity', key, weight
                   FROM story_chunk_keys ORDER BY rank, key""")
    con.execute(f"""INSERT INTO story_keys
                    SELECT DISTINCT c.published, c.article_id, 'event', e.type || '|' || {side_key_sql('actor')}
                           || '|' || coalesce({side_key_sql('target')}, ''), NULL
                    FROM story_chunk c JOIN events e ON e.article_id = c.article_id
                    {side_joins_sql(ids)}
                    WHERE e.actor IS NOT NULL AND NOT e.negated""")
    con.execute("""INSERT INTO story_key_counts SELECT key, count(*) FROM story_chunk_keys GROUP BY key
                   ON CONFLICT (key) DO UPDATE SET articles = story_key_counts.articles + excluded.articles""")


def _pairs(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, float]]:
    """Return, for each chunk article, the earlier articles in its window sharing a strong key, scored."""
    rows = con.execute(f"""
        WITH span AS (SELECT min(published) - {WINDOW_DAYS} AS first, max(published) + {WINDOW_DAYS} AS last
                      FROM story_chunk),
        earlier AS (  -- the window's articles this pass has taken in (the chunk's are in story_keys already)
            SELECT y.* FROM story_keys y, span WHERE y.published BETWEEN span.first AND span.last),
        block AS (SELECT * FROM story_chunk_keys WHERE blocks
                  QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY weight DESC, key) <= {BLOCKING_KEYS}),
        candidates AS (
            SELECT DISTINCT b.article_id AS x, b.published AS day, y.article_id AS y
            FROM block b JOIN earlier y ON y.key = b.key AND y.kind = 'entity'
                 AND abs(y.published - b.published) <= {WINDOW_DAYS}
            LEFT JOIN story_chunk yc ON yc.article_id = y.article_id
            WHERE y.article_id <> b.article_id AND (yc.rank IS NULL OR yc.rank < b.rank)),
        -- Each candidate pair with the chunk article's keys, then those the partner shares, both
        -- read from the window: joining the two articles' keys on the key alone first would pair
        -- every two window articles that share one (a number that grows with the square of the
        -- window's articles), and a join with story_keys itself would read the whole store.
        pair_keys AS MATERIALIZED (
            SELECT c.x, c.y, xk.key, xk.kind, xk.weight FROM candidates c
            JOIN (SELECT * FROM earlier WHERE article_id IN (SELECT article_id FROM story_chunk)) xk
                 ON xk.article_id = c.x)
        SELECT p.x, p.y, sum(CASE WHEN p.kind = 'entity' THEN p.weight * yk.weight ELSE 0 END),
               bool_or(p.kind = 'event'), count(*)
        FROM pair_keys p
        JOIN earlier yk ON yk.article_id = p.y AND yk.key = p.key AND yk.kind = p.kind
        GROUP BY p.x, p.y HAVING count(*) >= {MIN_SHARED}""").fetchall()
    pairs: dict[str, dict[str, float]] = defaultdict(dict)
    for x, y, cosine, shared_event, shared in rows:
        pairs[x][y] = pair_score(cosine, shared_event, shared)
    return pairs


def pair_score(cosine: float, shared_event: bool, shared: int) -> float:
    """Return how alike two articles are: their entities' cosine, plus a bonus for a shared event.

    Two articles sharing a single key (one name, one country) score 0: that is what namesakes
    and unrelated articles have in common, while reports of one happening name at least two
    of the same parties, places or events.
    """
    if shared < MIN_SHARED:
        return 0.0
    return cosine + (EVENT_BONUS if shared_event else 0.0)


def _forced_pairs(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Return, for each chunk article, the earlier taken-in articles of its duplicate group, oldest first."""
    rows = con.execute(f"""
        SELECT c.article_id, o.article_id
        FROM story_chunk c JOIN duplicate_members d ON d.article_id = c.article_id
        JOIN duplicate_members o ON o.group_id = d.group_id AND o.article_id <> c.article_id
        LEFT JOIN story_chunk oc ON oc.article_id = o.article_id
        WHERE (oc.rank < c.rank) OR (oc.rank IS NULL AND EXISTS (
              SELECT 1 FROM corpus_seen s WHERE s.pass = '{NAME}' AND s.article_id = o.article_id))
        ORDER BY c.rank, coalesce(oc.rank, 0), o.article_id""").fetchall()
    forced: dict[str, list[str]] = defaultdict(list)
    for x, y in rows:
        forced[x].append(y)
    return forced


def _load_clusters(con: duckdb.DuckDBPyConnection, partners: set[str]) -> Clusters:
    """Load the stories of the chunk's earlier partners, with every member and its day."""
    clusters = Clusters()
    rows = con.execute("""
        WITH touched AS (SELECT DISTINCT story_id FROM story_members WHERE article_id IN (SELECT unnest(?::VARCHAR[])))
        SELECT m.story_id, m.article_id, TRY_CAST(left(a.published, 10) AS DATE)
        FROM story_members m JOIN touched USING (story_id) JOIN articles a ON a.id = m.article_id
        ORDER BY m.story_id, a.published, m.article_id""", [sorted(partners)]).fetchall()
    for story_id, article_id, day in rows:
        clusters.story_of[article_id] = story_id
        clusters.members[story_id].append(article_id)
        clusters.day[article_id] = day
    missing = sorted(partners - clusters.day.keys())
    for article_id, day in con.execute("""SELECT id, TRY_CAST(left(published, 10) AS DATE) FROM articles
                                          WHERE id IN (SELECT unnest(?::VARCHAR[]))""", [missing]).fetchall():
        clusters.day[article_id] = day
    return clusters


def _place(clusters: Clusters, article_id: str, scores: dict[str, float], forced: list[str]) -> None:
    """Put one article in the story it belongs to, or leave it alone."""
    if forced:
        _join(clusters, article_id, forced[0], 1.0)
        return
    best, score = best_story(clusters, article_id, scores)
    if best is not None and score >= THRESHOLD:
        _join(clusters, article_id, best, score)


def best_story(clusters: Clusters, article_id: str, scores: dict[str, float]) -> tuple[str | None, float]:
    """Return the partner (a story's member, or an article alone) whose story scores best, and the score.

    A story's score is the mean of the article's pair scores over the story's members within
    the window (a member it shares nothing with counts 0); an article alone scores its pair.
    A mean is never above its largest term, so only the stories of partners that clear
    THRESHOLD themselves are scored.
    """
    best: tuple[float, str] | None = None
    day, scored = clusters.day.get(article_id), set()
    for partner in sorted(partner for partner, score in scores.items() if score >= THRESHOLD):
        story = clusters.story_of.get(partner)
        if (story or partner) in scored:
            continue
        scored.add(story or partner)
        near = [m for m in (clusters.members[story] if story else [partner]) if within(day, clusters.day.get(m))]
        score = sum(scores.get(m, 0.0) for m in near) / max(len(near), 1)
        if best is None or score > best[0]:
            best = (score, partner)
    return (best[1], best[0]) if best else (None, 0.0)


def within(day: date | None, other: date | None) -> bool:
    """Say whether two publication days are within the window of each other."""
    return day is not None and other is not None and abs((day - other).days) <= WINDOW_DAYS


def _join(clusters: Clusters, article_id: str, partner: str, score: float) -> None:
    """Add an article to its partner's story, founding it (id from the partner) if the partner was alone."""
    story = clusters.story_of.get(partner)
    if story is None:
        story = story_id(partner)
        clusters.story_of[partner] = story
        clusters.members[story].append(partner)
        clusters.rows.append((story, partner, score))
    clusters.story_of[article_id] = story
    clusters.members[story].append(article_id)
    clusters.rows.append((story, article_id, score))
    clusters.changed.add(story)


def story_id(first_article: str) -> str:
    """Return the id of the story an article founded: a hash of the article's id."""
    return content_id(f"story\x00{first_article}")


def _write(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, float]]) -> None:
    """Store the new story memberships (replacing any an article had from rows written outside the pass)."""
    if rows:
        stories, articles, scores = (list(column) for column in zip(*rows))
        con.execute("""INSERT OR REPLACE INTO story_members SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                       unnest(?::DOUBLE[])""", [stories, articles, scores])
