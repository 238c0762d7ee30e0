"""Merged events: the reports of one event across articles, merged into one that keeps them all.

Two reports are of one event when they have the same signature (type, canonical actor and
target from the names pass, else the names in lower case, and the same negated and
hypothetical flags) and compatible dates: the same own date; or one undated, published
within the window of the other's date; or both undated, published within the window of each
other. Reports are taken in oldest first: each joins the compatible merged event nearest in
time, else starts one (its id a hash of its first report). Every event gets a row in
event_members, so a later report finds it by its signature (merged_events), never by a scan
of the events table.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import duckdb

from veille.corpus.stories import WINDOW_DAYS, id_list_sql, side_joins_sql, side_key_sql
from veille.records import content_id

NAME = "merge"
TABLES = ("event_members", "merged_events")


@dataclass(slots=True)
class Merged:
    """A merged event as a later report is compared with it."""

    merged_id: str
    date: str | None
    published: date | None


def update(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> int:
    """Merge the events of these articles (oldest first) with the reports before them; return the merged events touched."""
    if not article_ids:
        return 0
    reports = _chunk_reports(con, article_ids)
    known = _known(con, sorted({signature for _, _, signature, _, _ in reports}))
    members, touched, created, dated = [], set(), [], {}
    for article_id, event_id, signature, own_date, published in reports:
        merged = pick(known[signature], own_date, published)
        if merged is None:
            merged = Merged(merged_id(article_id, event_id), own_date, published)
            known[signature].append(merged)
            created.append((merged.merged_id, signature, own_date, published))
        elif merged.date is None and own_date is not None:
            merged.date = dated[merged.merged_id] = own_date
        members.append((merged.merged_id, article_id, event_id))
        touched.add(merged.merged_id)
    _write(con, members, created, dated)
    return len(touched)


def _chunk_reports(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> list[tuple]:
    """Return the chunk's events as (article, event, signature, own date, published day), in order."""
    ids = id_list_sql(article_ids)
    return con.execute(f"""
        SELECT e.article_id, e.event_id,
               concat_ws('|', e.type, coalesce({side_key_sql('actor')}, ''), coalesce({side_key_sql('target')}, ''),
                         coalesce(e.negated, false)::INTEGER, coalesce(e.hypothetical, false)::INTEGER) AS signature,
               e.date, TRY_CAST(left(a.published, 10) AS DATE)
        FROM (SELECT unnest(?::VARCHAR[]) AS id, generate_subscripts(?::VARCHAR[], 1) AS rank) c
        JOIN events e ON e.article_id = c.id JOIN (SELECT id, published FROM articles WHERE id IN ({ids})) a ON a.id = c.id
        {side_joins_sql(ids)}
        ORDER BY c.rank, e.evidence_start, e.event_id""", [article_ids, article_ids]).fetchall()


def _known(con: duckdb.DuckDBPyConnection, signatures: list[str]) -> dict[str, list[Merged]]:
    """Return the merged events already kept under these signatures, oldest first."""
    known: dict[str, list[Merged]] = defaultdict(list)
    rows = con.execute("""SELECT signature, merged_id, date, published FROM merged_events
                          WHERE signature IN (SELECT unnest(?::VARCHAR[]))
                          ORDER BY published NULLS LAST, merged_id""", [signatures]).fetchall()
    for signature, merged, own_date, published in rows:
        known[signature].append(Merged(merged, own_date, published))
    return known


def pick(candidates: list[Merged], own_date: str | None, published: date | None) -> Merged | None:
    """Return the merged event a report belongs to: the compatible one nearest in time, or None."""
    fitting = [(gap, index) for index, merged in enumerate(candidates)
               if (gap := date_gap(own_date, published, merged)) is not None]
    return candidates[min(fitting)[1]] if fitting else None


def date_gap(own_date: str | None, published: date | None, merged: Merged) -> int | None:
    """Return how many days apart a report and a merged event are, or None when their dates are incompatible.

    Own dates must be equal (0 days apart); an undated report is placed on its publication
    day and must be within the window of the other's own date, or of its first report's day.
    """
    if own_date is not None and merged.date is not None:
        return 0 if own_date == merged.date else None
    here = _day(own_date) if own_date is not None else published
    there = _day(merged.date) if merged.date is not None else merged.published
    if here is None or there is None:
        return None
    gap = abs((here - there).days)
    return gap if gap <= WINDOW_DAYS else None


def _day(value: str) -> date | None:
    """Return a YYYY-MM-DD date as a date; None for a month or a year, which no window takes."""
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def merged_id(article_id: str, event_id: str) -> str:
    """Return the id of the merged event a report started: a hash of that report."""
    return content_id(f"merged\x00{article_id}\x00{event_id}")


def _write(con: duckdb.DuckDBPyConnection, members: list[tuple], created: list[tuple], dated: dict[str, str]) -> None:
    """Store the new memberships, the new merged events and the own dates undated ones gained."""
    if created:
        con.execute("""INSERT INTO merged_events SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                       unnest(?::VARCHAR[]), unnest(?::DATE[])""", [list(column) for column in zip(*created)])
    if members:
        con.execute("""INSERT INTO event_members SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                       unnest(?::VARCHAR[])""", [list(column) for column in zip(*members)])
    for merged, own_date in sorted(dated.items()):
        con.execute("UPDATE merged_events SET date = ? WHERE merged_id = ?", [own_date, merged])
