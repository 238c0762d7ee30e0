"""The duplicates pass: exact and near copies of an article, and wire copies across outlets.

For each new article: its normalised text's hash, its shingle count and MinHash signature
(text_signatures), its LSH band keys and the hashes of its long paragraphs (lsh_bands).
Candidates are the stored articles sharing its text hash or one of these keys, found by a
join; a candidate pair is kept when the signatures agree (`shingles.link`). Groups are the
connected components of kept pairs:
a new article joins a group, or merges several, and only the groups it touches are
rewritten (veille.corpus.syndication describes each: kind, agency, representative).
"""
from __future__ import annotations

from collections.abc import Iterable

import duckdb

from veille.corpus import shingles
from veille.corpus.syndication import describe_groups

NAME = "duplicates"
TABLES = ("text_signatures", "lsh_bands", "duplicate_groups", "duplicate_members")

# A paragraph found in more articles than this is taken for stock text (a newsletter box the
# cleaner kept, a standard disclaimer), not a sign of copying: its key finds no candidates.
# 50 is a bound chosen, not measured: it keeps a chunk's candidate pairs bounded whatever the
# store's size; copies of a story on more outlets still meet through their band keys.
MAX_SHARED_PARAGRAPH = 50
# Texts with fewer shingles than this (about 12 words, no article: the cleaner keeps 50 words
# or more) get no band keys and meet by their hash only: their signatures say little.
MIN_INDEXED = 8


def update(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> int:
    """Fingerprint new articles, link them to their copies and rewrite the groups they touch; return how many."""
    keys = sign_articles(con, article_ids)
    pairs = verified_pairs(con, article_ids, keys)
    touched, members = _touched_groups(con, article_ids, pairs)
    copied = _with_page_copies(con, article_ids)
    groups = [c for c in components(pairs, members, copied) if len(c) > 1 or c & copied]
    _replace_groups(con, touched, groups)
    return len(groups)


def sign_articles(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> tuple[list, list, list]:
    """Store the text hash, shingle count, signature and keys of some articles (replacing earlier ones); return the keys."""
    # An IN list of parameters is looked up in the primary key's index; an IN subquery would
    # scan every article's text (0.2 s against 2 s for 1,000 of 120,000 articles).
    marks = ", ".join("?" * len(article_ids))
    rows = con.execute(f"SELECT id, coalesce(text, '') FROM articles WHERE id IN ({marks})", article_ids).fetchall()
    signed = [(article_id, *fingerprint(text)) for article_id, text in rows]
    keys: tuple[list, list, list] = ([], [], [])
    for article_id, *_, article_keys in signed:
        for band, key in article_keys:
            keys[0].append(band)
            keys[1].append(key)
            keys[2].append(article_id)
    _forget_signatures(con, article_ids, marks)
    ids, hashes, sizes, signatures, _ = (list(column) for column in zip(*signed)) if signed else ([],) * 5
    con.execute("""INSERT INTO text_signatures SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                          unnest(?::INTEGER[]), unnest(?::UINTEGER[][])""", [ids, hashes, sizes, signatures])
    con.execute("INSERT INTO lsh_bands SELECT unnest(?::SMALLINT[]), unnest(?::UBIGINT[]), unnest(?::VARCHAR[])",
                list(keys))
    return keys


def fingerprint(text: str) -> tuple[str | None, int, list[int], list[tuple[int, int]]]:
    """Return a text's hash (None if empty: empty texts are no copies), shingle count, signature and (band, key)s."""
    paragraphs = shingles.normalised_paragraphs(text)
    normalised = " ".join(paragraphs)
    shingle_set = shingles.shingles(normalised)
    signature = shingles.signature(shingle_set)
    keys = list(enumerate(shingles.band_keys(signature))) if len(shingle_set) >= MIN_INDEXED else []
    keys += [(shingles.PARAGRAPH_BAND, key) for key in shingles.paragraph_keys(paragraphs)]
    return shingles.text_hash(normalised) if normalised else None, len(shingle_set), signature, keys


def _forget_signatures(con: duckdb.DuckDBPyConnection, article_ids: list[str], marks: str) -> None:
    """Delete the signatures and keys of those articles that have some (articles seen again)."""
    seen = [row[0] for row in con.execute(f"SELECT article_id FROM text_signatures WHERE article_id IN ({marks})",
                                          article_ids).fetchall()]
    if seen:  # rare: deleting scans lsh_bands, which has no index
        con.execute("DELETE FROM text_signatures WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [seen])
        con.execute("DELETE FROM lsh_bands WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [seen])


# The candidates of a chunk: the articles sharing its text hash, one of its band keys or one
# of its long paragraphs (unless that paragraph is stock text),
# each pair once (a < b), with the share of equal signature values (the estimated J).
CANDIDATES_SQL = f"""
WITH chunk AS (SELECT unnest(?::VARCHAR[]) AS id),
mine AS (SELECT unnest(?::SMALLINT[]) AS band, unnest(?::UBIGINT[]) AS key, unnest(?::VARCHAR[]) AS article_id),
stock AS (SELECT key FROM lsh_bands
          WHERE band = {shingles.PARAGRAPH_BAND}
            AND key IN (SELECT key FROM mine WHERE band = {shingles.PARAGRAPH_BAND})
          GROUP BY key HAVING count(*) > {MAX_SHARED_PARAGRAPH}),
pairs AS (
    SELECT least(c.article_id, o.article_id) AS a, greatest(c.article_id, o.article_id) AS b
    FROM mine c JOIN lsh_bands o ON o.band = c.band AND o.key = c.key AND o.article_id <> c.article_id
    WHERE NOT (c.band = {shingles.PARAGRAPH_BAND} AND c.key IN (SELECT key FROM stock))
    UNION
    SELECT least(c.article_id, o.article_id), greatest(c.article_id, o.article_id)
    FROM text_signatures c JOIN text_signatures o ON o.text_hash = c.text_hash AND o.article_id <> c.article_id
    WHERE c.article_id IN (SELECT id FROM chunk))
SELECT p.a, p.b, sa.text_hash = sb.text_hash AS exact,
       list_sum(list_transform(range(1, {shingles.PERMUTATIONS + 1}),
                               i -> (sa.minhash[i] = sb.minhash[i])::INTEGER)) / {shingles.PERMUTATIONS}.0 AS j,
       sa.shingles, sb.shingles
FROM pairs p JOIN text_signatures sa ON sa.article_id = p.a JOIN text_signatures sb ON sb.article_id = p.b
ORDER BY p.a, p.b"""


def verified_pairs(con: duckdb.DuckDBPyConnection, article_ids: list[str],
                   keys: tuple[list, list, list]) -> list[tuple[str, str, str, float]]:
    """Return the chunk's candidate pairs (from its keys: bands, keys, articles) the signatures confirm.

    Each pair is (a, b, relation, estimated J).
    """
    pairs = []
    for a, b, exact, jaccard, size_a, size_b in con.execute(CANDIDATES_SQL, [article_ids, *keys]).fetchall():
        relation = shingles.link(exact, jaccard, size_a, size_b)
        if relation:
            pairs.append((a, b, relation, jaccard))
    return pairs


def _touched_groups(con: duckdb.DuckDBPyConnection, article_ids: list[str],
                    pairs: list[tuple]) -> tuple[set[str], dict[str, str]]:
    """Return the groups holding the chunk's articles or their partners, and {article: group} of their members."""
    involved = sorted(set(article_ids) | {a for a, *_ in pairs} | {b for _, b, *_ in pairs})
    rows = con.execute("""SELECT group_id, article_id FROM duplicate_members
                          WHERE group_id IN (SELECT group_id FROM duplicate_members
                                             WHERE article_id IN (SELECT unnest(?::VARCHAR[])))""",
                       [involved]).fetchall()
    return {group for group, _ in rows}, {article: group for group, article in rows}


def components(pairs: Iterable[tuple], members: dict[str, str] | None = None,
               singles: Iterable[str] = ()) -> list[set[str]]:
    """Return the connected components of the kept pairs, the existing groups' memberships and single articles."""
    members = members or {}
    parent: dict[str, str] = {article: article for article in singles}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for article, group in members.items():
        parent[root(article)] = root("group:" + group)
    for a, b, *_ in pairs:
        parent[root(a)] = root(b)
    components: dict[str, set[str]] = {}
    for node in list(parent):
        if not node.startswith("group:"):
            components.setdefault(root(node), set()).add(node)
    return list(components.values())


def _with_page_copies(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> set[str]:
    """Return those of the articles whose page was also seen, byte for byte, under another source or URL."""
    rows = con.execute("SELECT DISTINCT page_id FROM page_copies WHERE page_id IN (SELECT unnest(?::VARCHAR[]))",
                       [article_ids]).fetchall()
    return {row[0] for row in rows}


def _replace_groups(con: duckdb.DuckDBPyConnection, old: set[str], components: list[set[str]]) -> None:
    """Delete the touched groups and write the new ones in their place."""
    con.execute("DELETE FROM duplicate_members WHERE group_id IN (SELECT unnest(?::VARCHAR[]))", [sorted(old)])
    con.execute("DELETE FROM duplicate_groups WHERE group_id IN (SELECT unnest(?::VARCHAR[]))", [sorted(old)])
    if not components:
        return
    groups, members = describe_groups(con, components)
    con.executemany("INSERT INTO duplicate_groups VALUES (?, ?, ?, ?, ?, ?, ?)", groups)
    con.executemany("INSERT INTO duplicate_members VALUES (?, ?, ?, ?)", members)


def forget(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Make the pass see some articles again (a new copy of their page was recorded)."""
    con.execute("DELETE FROM corpus_seen WHERE pass = ? AND article_id IN (SELECT unnest(?::VARCHAR[]))",
                [NAME, article_ids])
