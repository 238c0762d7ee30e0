"""Describe a group of copies: its kind, wire agency, representative, earliest copy and outlets.

- kind: ``syndication`` when the copies come from two outlets or more (one story, many
  sites, whatever the edits); else ``exact`` when they share one normalised text, ``near``
  when they differ a little (an update, a re-post on the same site).
- agency: the wire credit the members carry (``articles.wire_source``), the most frequent.
- representative: the medoid, the copy most similar to all the others. A trimmed copy
  lacks the end, a local copy adds an introduction; the wire text they share is the
  centre, so the original full copy is the medoid. Ties go to the earliest, then the longest.
- earliest: the first published; on the same day the representative, which others copy.
- sites: the distinct outlets. A copy whose site is unknown counts as an outlet of its own
  (nothing says it is one of the others); a byte-identical page copy is on its page's site.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import duckdb
import numpy as np

from veille.corpus import shingles
from veille.records import content_id

# A copy with under 0.9 of the other's shingles is told apart as shorter: a paragraph out of
# ten; below that, the difference is an edit, not a cut or an addition.
LONGER = 0.9
# The representative is sought among the first 200 copies published: the original is among
# the first, and comparing every pair of a group of thousands of copies (a stock text the
# cleaner kept) would cost its square at each new copy.
MEDOID_AMONG = 200


@dataclass(slots=True)
class Copy:
    """One article of a group, with what describing the group needs."""

    id: str
    published: str | None
    outlet: str
    wire_source: str | None
    text_hash: str
    shingles: int
    minhash: np.ndarray
    page_copies: int


MEMBERS_SQL = """
SELECT a.id, a.published, coalesce(a.site, 'article:' || a.id), a.wire_source, s.text_hash, s.shingles, s.minhash,
       (SELECT count(*) FROM page_copies c WHERE c.page_id = a.id),
       (SELECT list(DISTINCT c.site) FILTER (c.site IS NOT NULL AND c.site <> coalesce(a.site, ''))
        FROM page_copies c WHERE c.page_id = a.id)
FROM articles a JOIN text_signatures s ON s.article_id = a.id
WHERE a.id IN (SELECT unnest(?::VARCHAR[]))"""


def describe_groups(con: duckdb.DuckDBPyConnection, components: list[set[str]]) -> tuple[list[tuple], list[tuple]]:
    """Return the duplicate_groups and duplicate_members rows of some groups of article ids."""
    copies, other_sites = _copies(con, sorted(set().union(*components)))
    groups, members = [], []
    for component in components:
        group = [copies[article] for article in sorted(component)]
        extra = set().union(*(other_sites[copy.id] for copy in group))
        row, member_rows = describe(group, extra)
        groups.append(row)
        members.extend(member_rows)
    return groups, members


def _copies(con: duckdb.DuckDBPyConnection, ids: list[str]) -> tuple[dict[str, Copy], dict[str, set[str]]]:
    """Return the copies of some articles by id, and the other sites their page copies were seen on."""
    copies, other_sites = {}, {}
    for row in con.execute(MEMBERS_SQL, [ids]).fetchall():
        copies[row[0]] = Copy(*row[:6], np.asarray(row[6], dtype=np.uint32), row[7])
        other_sites[row[0]] = set(row[8] or ())
    return copies, other_sites


def describe(group: list[Copy], extra_sites: set[str]) -> tuple[tuple, list[tuple]]:
    """Return a group's row and its members' rows (similarity and relation to the representative)."""
    representative = medoid(group)
    earliest = min(group, key=lambda c: (c.published or "\uffff", c.id != representative.id, c.id))
    outlets = {copy.outlet for copy in group} | extra_sites
    group_id = content_id("duplicates\x00" + representative.id)
    row = (group_id, kind_of(group, outlets), agency_of(group), representative.id, earliest.id, len(outlets),
           len(group) + sum(copy.page_copies for copy in group))
    similar = (np.stack([copy.minhash for copy in group]) == representative.minhash).mean(axis=1)
    members = [(group_id, copy.id, float(similar[i]), relation(copy, representative, float(similar[i])))
               for i, copy in enumerate(group)]
    return row, members


def medoid(group: list[Copy]) -> Copy:
    """Return the copy most similar to the others (ties: earliest, then longest), among the MEDOID_AMONG first."""
    chosen = sorted(group, key=lambda c: (c.published or "\uffff", c.id))[:MEDOID_AMONG]
    signatures = np.stack([copy.minhash for copy in chosen])
    summed = (signatures[:, None, :] == signatures[None, :, :]).mean(axis=2).sum(axis=1)
    best = min(range(len(chosen)), key=lambda i: (-round(float(summed[i]), 6), chosen[i].published or "\uffff",
                                                  -chosen[i].shingles, chosen[i].id))
    return chosen[best]


def kind_of(group: list[Copy], outlets: set[str]) -> str:
    """Return a group's kind: syndication across outlets, else exact (one text) or near."""
    if len(outlets) > 1:
        return "syndication"
    return "exact" if len({copy.text_hash for copy in group}) == 1 else "near"


def agency_of(group: list[Copy]) -> str | None:
    """Return the wire credit most members carry (ties: alphabetical), or None."""
    credits = Counter(copy.wire_source for copy in group if copy.wire_source)
    if not credits:
        return None
    return min(credits, key=lambda name: (-credits[name], name))


def relation(copy: Copy, representative: Copy, jaccard: float) -> str:
    """Say how a copy relates to its group's representative: exact, near, excerpt (trimmed), extended, linked."""
    if copy.id == representative.id:
        return "representative"
    found = shingles.link(copy.text_hash == representative.text_hash, jaccard, copy.shingles, representative.shingles)
    if found is None:
        return "linked"  # in the group through another copy
    contained = shingles.containment(jaccard, copy.shingles, representative.shingles) >= shingles.CONTAINED
    if found != "exact" and contained and copy.shingles < LONGER * representative.shingles:
        return "excerpt"
    if found != "exact" and contained and representative.shingles < LONGER * copy.shingles:
        return "extended"
    return "near" if found == "contained" else found
