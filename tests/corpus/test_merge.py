"""Merged events: date compatibility, hand-made reports across outlets and languages, and the samples' events."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from veille.corpus import merge, passes, stories
from veille.store import queries
from veille.store.connect import open_store

MINE = ["veille.corpus.stories", "veille.corpus.merge"]
ORDER = [*(name for name in passes.PASSES if name not in MINE), *MINE]
DAY = date(2026, 11, 25)


# Dates

@pytest.mark.parametrize("own, published, other, gap", [
    ("2026-11-23", DAY, merge.Merged("m", "2026-11-23", None), 0),  # the same own date, whenever published
    ("2026-11-23", DAY, merge.Merged("m", "2026-11-24", DAY), None),  # two own dates: two events
    (None, DAY, merge.Merged("m", "2026-11-23", None), 2),  # undated, published two days after the date
    (None, DAY, merge.Merged("m", "2026-11-21", None), None),  # four days after: another time
    ("2026-11-27", DAY, merge.Merged("m", None, date(2026, 11, 26)), 1),  # dated, against an undated first report
    (None, DAY, merge.Merged("m", None, date(2026, 11, 22)), 3),  # both undated: their publication days
    (None, DAY, merge.Merged("m", "2026-11", None), None),  # a month is no day to measure from
    (None, None, merge.Merged("m", "2026-11-25", None), None),  # nothing to place an undated report by
])
def test_dates_are_compatible_when_equal_or_an_undated_report_is_within_the_window(own, published, other, gap):
    assert merge.date_gap(own, published, other) == gap


def test_a_report_joins_the_compatible_merged_event_nearest_in_time():
    candidates = [merge.Merged("far", None, date(2026, 11, 22)), merge.Merged("near", "2026-11-24", None),
                  merge.Merged("other", "2026-11-10", None)]
    assert merge.pick(candidates, None, DAY).merged_id == "near"
    assert merge.pick(candidates, "2026-11-10", DAY).merged_id == "other"
    assert merge.pick(candidates, "2026-11-12", DAY) is None


# Hand-made reports

@pytest.fixture
def store(store_with_passes):
    """Return an open empty store whose corpus passes are the merge pass alone."""
    return store_with_passes("veille.corpus.merge")


def report(con, article_id: str, published: str, site: str, actor: str, target: str, own_date: str | None,
           *, type: str = "CONSULT", negated: bool = False) -> None:
    """Store an article holding one event, its sides' entity ids their names."""
    if not con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone():
        con.execute("INSERT INTO articles (id, published, site, title) VALUES (?, ?, ?, ?)",
                    [article_id, published, site, article_id])
    con.execute("""INSERT INTO events (article_id, event_id, type, actor, actor_entity, target, target_entity, date,
                                       evidence_start, evidence_text, negated)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""",
                [article_id, f"{article_id}-{type}-{negated}", type, actor, actor, target, target, own_date,
                 f"{actor} met {target} ({article_id}).", negated])


def merged_events(con) -> dict[str, dict]:
    """Return the listed events keyed by 'TYPE actor → target'."""
    return {f"{e['type']} {e['actor']} → {e['target']}" + (" (not)" if e["negated"] else ""): e
            for e in queries.events(con, limit=100)["items"]}


def test_copies_of_one_wire_story_count_once_and_every_report_is_kept(store):
    for article, site, published in (("wire", "a.example", "2026-11-24"), ("copy", "b.example", "2026-11-24"),
                                     ("own", "c.example", "2026-11-25")):
        report(store, article, published, site, "Hamdani", "Diallo", "2026-11-23")
    store.execute("INSERT INTO duplicate_members VALUES ('g', 'wire', 1.0, 'representative'), "
                  "('g', 'copy', 0.95, 'copy')")
    report(store, "later", "2026-11-28", "d.example", "Hamdani", "Diallo", "2026-11-27")
    passes.run_passes(store)
    events = queries.events(store, limit=10)["items"]
    meeting = next(e for e in events if e["date"] == "2026-11-23")
    assert (meeting["reports"], meeting["independent_reports"], meeting["outlets"]) == (3, 2, 3)
    assert [s["article_id"] for s in meeting["sources"]] == ["copy", "wire", "own"]
    assert all(s["evidence"] for s in meeting["sources"])
    assert meeting["merged_id"] == merge.merged_id("copy", "copy-CONSULT-False")
    assert sorted(e["reports"] for e in events) == [1, 3]  # the meeting four days later is another


def test_reports_in_two_languages_merge_through_their_canonical_sides(store):
    report(store, "fr", "2026-11-27", "a.example", "Union européenne", "commandants soudanais", "2026-11-26",
           type="SANCTION")
    report(store, "en", "2026-11-27", "b.example", "European Union", "Sudanese commanders", None, type="SANCTION")
    for article, entity, canonical in (("fr", "Union européenne", "c-eu"), ("en", "European Union", "c-eu"),
                                       ("fr", "commandants soudanais", "c-cmd"), ("en", "Sudanese commanders", "c-cmd")):
        store.execute("INSERT INTO entity_links VALUES (?, ?, ?, 1.0)", [article, entity, canonical])
    store.execute("INSERT INTO canonical_entities (canonical_id, name, type) VALUES ('c-eu', 'European Union', 'ORG')")
    passes.run_passes(store)
    [sanction] = queries.events(store, limit=10)["items"]
    assert sanction["reports"] == 2 and sanction["date"] == "2026-11-26" and sanction["outlets"] == 2
    assert queries.events(store, actor="c-eu")["total"] == 1


def test_a_denial_and_a_report_of_the_same_meeting_stay_two_events(store):
    report(store, "said", "2026-11-25", "a.example", "Osei", "Kowalczyk", None)
    report(store, "denied", "2026-11-25", "b.example", "Osei", "Kowalczyk", None, negated=True)
    passes.run_passes(store)
    found = merged_events(store)
    assert found["CONSULT Osei → Kowalczyk"]["reports"] == 1 and found["CONSULT Osei → Kowalczyk (not)"]["reports"] == 1


def test_an_undated_first_report_takes_the_date_a_later_report_gives(store):
    report(store, "first", "2026-11-24", "a.example", "Ndiaye", "Varenne", None)
    report(store, "second", "2026-11-25", "b.example", "Ndiaye", "Varenne", "2026-11-24")
    report(store, "third", "2026-11-26", "c.example", "Ndiaye", "Varenne", "2026-11-24")
    passes.run_passes(store, chunk=1)
    [meeting] = queries.events(store, limit=10)["items"]
    assert meeting["reports"] == 3 and meeting["date"] == "2026-11-24"
    assert store.execute("SELECT date FROM merged_events").fetchall() == [("2026-11-24",)]


def test_events_without_membership_are_grouped_as_before(store):
    report(store, "one", "2026-11-25", "a.example", "Ndiaye", "Varenne", "2026-11-25")
    report(store, "two", "2026-11-26", "b.example", "Ndiaye", "Varenne", "2026-11-25")
    assert [e["reports"] for e in queries.events(store)["items"]] == [2]  # no pass has run


# The samples

@pytest.fixture(scope="module")
def samples(samples_store, tmp_path_factory):
    """Return an open copy of the samples store with every pass up to merged events run again from scratch."""
    path = tmp_path_factory.mktemp("merge") / "samples.duckdb"
    shutil.copyfile(samples_store, path)
    saved, passes.PASSES = passes.PASSES, ORDER
    con = open_store(str(path))
    try:
        passes.rebuild(con)
        yield con
    finally:
        passes.PASSES = saved
        con.close()


def test_the_wire_story_s_meeting_is_one_event_of_three_reports_counted_once_per_copy_group(samples):
    [meeting] = queries.events(samples, type="CONSULT", actor="Rachid Hamdani")["items"]
    assert meeting["reports"] == 3 and meeting["date"] == "2026-11-23"
    groups = samples.execute("""SELECT count(DISTINCT coalesce(d.group_id, a.id)) FROM articles a
                                LEFT JOIN duplicate_members d ON d.article_id = a.id
                                WHERE a.id IN (SELECT unnest(?::VARCHAR[]))""",
                             [[s["article_id"] for s in meeting["sources"]]]).fetchone()[0]
    assert meeting["independent_reports"] == groups < meeting["reports"]


def test_every_sample_event_is_in_one_merged_event(samples):
    assert samples.execute("SELECT count(*) FROM events").fetchone() == samples.execute(
        "SELECT count(*) FROM event_members").fetchone()


def test_a_story_lists_its_merged_events(samples):
    story_id = samples.execute("""SELECT m.story_id FROM story_members m JOIN articles a ON a.id = m.article_id
                                  WHERE a.title LIKE 'Mali : Bamako%'""").fetchone()[0]
    events = queries.story(samples, story_id)["events"]
    assert events[0]["reports"] == 3 and events[0]["independent_reports"] < 3


@pytest.mark.parametrize("module, rows", [
    (stories, "SELECT story_id, article_id, round(score, 9) FROM story_members"),  # sums in another order
    (merge, "SELECT * FROM event_members")], ids=["stories", "merge"])
def test_chunk_by_chunk_gives_what_one_run_gives(samples, module, rows):
    whole = sorted(samples.execute(rows).fetchall())
    for name in module.TABLES:
        samples.execute(f"DELETE FROM {name}")
    samples.execute("DELETE FROM corpus_seen WHERE pass = ?", [module.NAME])
    saved, passes.PASSES = passes.PASSES, [module.__name__]
    try:
        passes.run_passes(samples, chunk=2)
    finally:
        passes.PASSES = saved
    assert sorted(samples.execute(rows).fetchall()) == whole
