"""Stories: the pair score, the window, averaging over a story, hand-made stores, and the samples' stories."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from veille.corpus import passes, stories
from veille.store.connect import open_store

ORDER = [*(name for name in passes.PASSES if name not in ("veille.corpus.stories", "veille.corpus.merge")),
         "veille.corpus.stories"]


@pytest.fixture
def store(store_with_passes):
    """Return an open empty store whose corpus passes are the stories pass alone."""
    return store_with_passes("veille.corpus.stories")


def add(con, article_id: str, day: str | None, keys: dict[str, int], *, site: str = "a.example",
        language: str = "fr") -> None:
    """Store an article of a day holding entities {entity id: mentions}, with no corpus pass output."""
    con.execute("INSERT INTO articles (id, published, site, language, title, paragraphs) VALUES (?, ?, ?, ?, ?, ?)",
                [article_id, day, site, language, article_id, ["lead"]])
    for key, mentions in keys.items():
        con.execute("INSERT INTO entities (article_id, entity_id, name, type, mention_count) VALUES (?, ?, ?, 'PER', ?)",
                    [article_id, key, key, mentions])


def members(con) -> dict[str, set[str]]:
    """Return the stories of a store as {story id: its articles}."""
    found: dict[str, set[str]] = {}
    for story, article in con.execute("SELECT story_id, article_id FROM story_members").fetchall():
        found.setdefault(story, set()).add(article)
    return found


def unrelated(con, count: int, day: str = "2026-11-02") -> None:
    """Store articles of their own names only, so that the shared ones are rare against them."""
    for number in range(count):
        add(con, f"other{number}", day, {f"o{number}a": 1, f"o{number}b": 1, "France": 1})


# The score and the window

def test_a_single_shared_key_scores_nothing_and_a_shared_event_adds_a_bonus():
    assert stories.pair_score(0.9, True, 1) == 0.0
    assert stories.pair_score(0.4, False, 2) == pytest.approx(0.4)
    assert stories.pair_score(0.4, True, 3) == pytest.approx(0.4 + stories.EVENT_BONUS)


def test_the_window_takes_three_days_either_way_and_no_undated_article():
    day = date(2026, 11, 25)
    assert stories.within(day, date(2026, 11, 28)) and stories.within(day, date(2026, 11, 22))
    assert not stories.within(day, date(2026, 11, 29))
    assert not stories.within(day, None) and not stories.within(None, day)


def test_a_story_scores_the_mean_over_its_members_so_one_alike_member_does_not_pull_an_article_in():
    clusters = stories.Clusters()
    for article in ("m1", "m2", "alone", "new"):
        clusters.day[article] = date(2026, 11, 25)
    clusters.members["s"] = ["m1", "m2"]
    clusters.story_of.update(m1="s", m2="s")
    partner, score = stories.best_story(clusters, "new", {"m1": 0.6, "alone": 0.45})
    assert (partner, score) == ("alone", pytest.approx(0.45))
    partner, score = stories.best_story(clusters, "new", {"m1": 0.6, "m2": 0.4})
    assert partner in ("m1", "m2") and score == pytest.approx(0.5)


def test_members_outside_the_window_do_not_count_against_a_story():
    clusters = stories.Clusters()
    clusters.day.update(old=date(2026, 11, 1), recent=date(2026, 11, 24), new=date(2026, 11, 25))
    clusters.members["s"] = ["old", "recent"]
    clusters.story_of.update(old="s", recent="s")
    assert stories.best_story(clusters, "new", {"recent": 0.5}) == ("recent", pytest.approx(0.5))


# Hand-made stores, without the other passes' output

def test_reports_naming_the_same_parties_are_one_story_named_for_the_first(store):
    unrelated(store, 6)
    add(store, "fr", "2026-11-25", {"Ndiaye": 3, "Varenne": 3, "Podor": 1, "France": 1}, language="fr")
    add(store, "en", "2026-11-26", {"Ndiaye": 2, "Varenne": 2, "Podor": 1, "Ashdown": 1}, site="b.example",
        language="en")
    add(store, "sport", "2026-11-26", {"Lemoine": 3, "Vannes": 1, "France": 1})
    passes.run_passes(store)
    assert members(store) == {stories.story_id("fr"): {"fr", "en"}}


@pytest.mark.parametrize("first, second", [
    # namesakes: one full name in common, nothing else
    (("2026-11-23", {"Daniel Osei": 3, "Ghana": 3, "IMF": 2}), ("2026-11-25", {"Daniel Osei": 2, "Montreal": 1})),
    # the same parties four days later: another happening
    (("2026-11-23", {"Lemoine": 3, "Assemblée": 1, "Aubagne": 1}), ("2026-11-27", {"Lemoine": 3, "Assemblée": 1})),
], ids=["namesakes", "four-days-apart"])
def test_articles_with_one_name_in_common_or_days_apart_stay_apart(store, first, second):
    unrelated(store, 6)
    add(store, "first", *first)
    add(store, "second", *second)
    passes.run_passes(store)
    assert members(store) == {}


def test_canonical_links_join_articles_whose_names_differ(store):
    unrelated(store, 6)
    add(store, "fr", "2026-11-27", {"Union européenne": 2, "Darfour": 2, "Virtanen": 1})
    add(store, "en", "2026-11-27", {"European Union": 2, "Darfur": 2, "Virtanen": 1}, language="en")
    passes.run_passes(store)
    assert members(store) == {}  # one name in common
    for article, entity, canonical in (("fr", "Union européenne", "c-eu"), ("en", "European Union", "c-eu"),
                                       ("fr", "Darfour", "c-darfur"), ("en", "Darfur", "c-darfur")):
        store.execute("INSERT INTO entity_links VALUES (?, ?, ?, 1.0)", [article, entity, canonical])
    passes.rebuild(store)
    assert members(store) == {stories.story_id("en"): {"fr", "en"}}  # same day: "en" comes first by id


def test_copies_in_one_duplicate_group_are_one_story_whatever_their_entities(store):
    add(store, "wire", "2026-11-24", {"Diallo": 1, "Alger": 1})
    add(store, "copy", "2026-12-20", {})
    store.execute("INSERT INTO duplicate_members VALUES ('g', 'wire', 1.0, 'representative'), ('g', 'copy', 0.9, 'copy')")
    passes.run_passes(store)
    assert members(store) == {stories.story_id("wire"): {"wire", "copy"}}


def test_a_later_article_joins_an_existing_story_in_a_later_run(store):
    unrelated(store, 6)
    add(store, "a", "2026-11-25", {"Le Goff": 2, "ANE": 2, "CGT": 1})
    add(store, "b", "2026-11-25", {"Le Goff": 1, "ANE": 2, "CGT": 1, "Halgand": 1})
    passes.run_passes(store)
    add(store, "c", "2026-11-26", {"Le Goff": 1, "ANE": 1, "CGT": 1})
    report = passes.run_passes(store)
    assert members(store) == {stories.story_id("a"): {"a", "b", "c"}} and report.changed["stories"] == 1


# The samples

@pytest.fixture(scope="module")
def samples_db(samples_store, tmp_path_factory) -> str:
    """Return the path of a copy of the samples store with the passes up to stories run again from scratch."""
    path = tmp_path_factory.mktemp("stories") / "samples.duckdb"
    shutil.copyfile(samples_store, path)
    saved, passes.PASSES = passes.PASSES, ORDER
    try:
        with open_store(str(path)) as con:
            passes.rebuild(con)
    finally:
        passes.PASSES = saved
    return str(path)


@pytest.fixture(scope="module")
def samples(samples_db):
    """Return the samples store of samples_db, open."""
    con = open_store(samples_db)
    yield con
    con.close()


def story_of(con, title: str) -> str | None:
    """Return the story of the sample article whose title starts so (None when it has none)."""
    rows = con.execute("""SELECT m.story_id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id
                          WHERE starts_with(a.title, ?)""", [title]).fetchall()
    assert rows, title
    return rows[0][0]


def test_the_french_and_english_reports_of_one_meeting_are_one_story(samples):
    flood = story_of(samples, "Inondations au Sénégal")
    assert flood is not None and flood == story_of(samples, "Senegal asks France")


def test_the_french_and_english_reports_of_the_eu_sanctions_are_one_story(samples):
    sanctions = story_of(samples, "Soudan : l'Union européenne")
    assert sanctions is not None and sanctions == story_of(samples, "EU sanctions four Sudanese")


def test_the_wire_story_and_its_copies_are_one_story(samples):
    stories_of = {row[0] for row in samples.execute(
        """SELECT m.story_id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id
           WHERE a.title LIKE 'Le chef de la diplomatie malienne%' OR a.title LIKE 'Mali : Bamako%'""").fetchall()}
    assert len(stories_of) == 1 and None not in stories_of


def test_the_strike_is_one_story_and_the_minister_s_visit_that_mentions_it_is_not_in_it(samples):
    strike = story_of(samples, "À Saint-Nazaire, les salariés")
    assert strike is not None and strike == story_of(samples, "Ateliers navals de l'Estuaire : la grève")
    assert story_of(samples, "En visite au port") != strike


def test_namesakes_are_not_joined_through_their_name(samples):
    lemoines = [story_of(samples, title) for title in ("Budget 2027 : Claire", "En visite au port", "US Saint-Nazaire")]
    assert len({story for story in lemoines if story}) == len([story for story in lemoines if story])
    ghana = story_of(samples, "Ghana seeks")
    assert ghana is None or ghana not in {story_of(samples, "Côte-des-Neiges"), story_of(samples, "Logement")}


def test_sport_and_culture_articles_are_in_no_story(samples):
    for title in ("Le XV de France", "Late Whitlock", "Le Canadien", "Salt and Iron", "À Lyon, Odile"):
        assert story_of(samples, title) is None, title


def test_every_story_has_two_articles_or_more(samples):
    assert samples.execute("SELECT min(n) FROM (SELECT count(*) AS n FROM story_members GROUP BY story_id)"
                           ).fetchone()[0] >= 2


def test_veille_stories_prints_the_contract_and_a_table(cli, samples_db, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(samples_db, db)
    listed = cli("stories", "--db", db, "--json").jsonl()
    assert len(listed) >= 4 and [len(story["members"]) for story in listed] == sorted(
        (len(story["members"]) for story in listed), reverse=True)
    flood = next(story for story in listed if story["languages"] == ["en", "fr"] and "Senegal" in story["title"])
    assert set(flood) >= {"story", "title", "languages", "members"}
    assert all(set(member) >= {"id", "source", "site", "url", "language"} for member in flood["members"])
    table = cli("stories", "--db", db, "--limit", "1")
    assert table.code == 0 and listed[0]["story"][:8] in table.out and "--limit for more" in table.out


def test_veille_stories_has_help_and_refuses_a_limit_of_nothing(cli, tmp_path):
    result = cli("stories", "--help")
    assert result.code == 0 and "--db" in result.out and "--json" in result.out
    assert cli("stories", "--db", tmp_path / "none.duckdb", "--limit", "0").code == 2
