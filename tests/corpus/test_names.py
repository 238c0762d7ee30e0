"""Names across articles: spellings that meet, namesakes kept apart, the same links incremental or rebuilt."""
from __future__ import annotations

import json
import shutil

import pytest

from veille.corpus import names, passes
from veille.nlp.entities import entity_id
from veille.store import queries
from veille.store.connect import open_store

SHOIGU = ["Sergueï Choïgou", "Sergei Shoigu", "Sergey Shoygu", "Сергей Шойгу"]


# ---- keys ----------------------------------------------------------------------------------

def test_french_english_and_cyrillic_spellings_of_one_name_give_one_key():
    assert {names.person_words(name) for name in SHOIGU} == {("sergei", "shoigu")}
    assert names.person_words("Шойгу") == ("shoigu",)
    assert names.person_words("Mikhaïl Gorbatchev") == names.person_words("Mikhail Gorbachev")


def test_a_hyphen_in_a_name_is_a_space():
    assert names.person_words("Kim Jong-un") == names.person_words("Kim Jong Un")
    assert names.person_words("Jean-Michel Quéré") == names.person_words("Jean Michel Quéré")


def test_titles_and_possessives_are_no_part_of_a_name():
    assert names.person_words("Councillor Martin Hale") == ("martin", "hale")
    assert names.person_words("Niamh Carragher's") == names.person_words("Niamh Carragher")


def test_given_names_agree_by_initial_or_absence_never_when_they_differ():
    words = names.person_words
    assert names.name_score(words("C. Lemoine"), words("Claire Lemoine")) == 1.0
    assert names.name_score(words("Lemoine"), words("Claire Lemoine")) == 1.0
    assert names.name_score(words("Hugo Lemoine"), words("Claire Lemoine")) is None
    assert names.name_score(words("Vladimir Poutine"), words("Vladimir Putin")) > 0.85  # fuzzy surname
    assert names.name_score(words("Claire Lemaire"), words("Claire Lemoine")) is None


def test_places_and_organisations_meet_across_languages_through_their_aliases():
    assert names.thing_key("Sénégal") == names.thing_key("Senegal")
    assert len({names.thing_key(n) for n in ("UE", "EU", "l'Union européenne", "European Union")}) == 1
    assert len({names.thing_key(n) for n in ("Nations unies", "ONU", "UN", "United Nations")}) == 1
    assert names.thing_key("Moscou") == names.thing_key("Moscow")
    assert names.thing_key("Alger") != names.thing_key("Algérie")


def test_a_common_noun_phrase_names_no_one_thing_but_a_nationality_or_a_capital_does():
    assert names.is_generic("le conseil municipal") and names.is_generic("gouvernement")
    assert not names.is_generic("armée malienne") and not names.is_generic("place Royale")
    assert not names.is_generic("onu")  # an alias


def test_roles_compare_by_their_words_in_one_language():
    assert names.role_words(["Finance Minister"]) == names.role_words(["ministre des Finances"])


def test_no_alias_belongs_to_two_entities():
    owners: dict[str, str] = {}
    for group in names._alias_groups():
        key = names.fold(group[0])
        for name in group:
            assert owners.setdefault(names.fold(name), key) == key, name


# ---- a store written by hand ----------------------------------------------------------------

def write_article(con, article_id: str, day: str, site: str, entities: list[tuple[str, str, list[str]]]) -> None:
    """Store one article and its entities (name, type, roles) as the annotate stage would."""
    con.execute("INSERT INTO articles (id, site, published) VALUES (?, ?, ?)", [article_id, site, day])
    for name, kind, roles in entities:
        con.execute("INSERT INTO entities VALUES (?, ?, ?, ?, ?, '{}', 1)",
                    [article_id, entity_id(kind, name), name, kind, roles])


@pytest.fixture
def hand_store(store_with_passes):
    """Return an open store whose only corpus pass is names."""
    return store_with_passes("veille.corpus.names")


def canonical_of(con, article_id: str, name: str, kind: str = "PER") -> str:
    """Return the canonical id an article's entity was linked to."""
    return con.execute("SELECT canonical_id FROM entity_links WHERE article_id = ? AND entity_id = ?",
                       [article_id, entity_id(kind, name)]).fetchone()[0]


def write_shoigu_articles(con) -> None:
    """Write four articles on the Russian minister, one per spelling, and one on a footballer of the same name."""
    write_article(con, "fr1", "2016-11-28", "lorient.example",
                  [("Sergueï Choïgou", "PER", ["ministre russe de la Défense"]), ("Russie", "LOC", [])])
    write_article(con, "en1", "2016-11-29", "wire.example",
                  [("Sergei Shoigu", "PER", ["Russian Defence Minister"]), ("Russia", "LOC", [])])
    write_article(con, "en2", "2016-12-02", "daily.example", [("Sergey Shoygu", "PER", []), ("Moscow", "LOC", []),
                                                              ("Russia", "LOC", [])])
    write_article(con, "ru1", "2016-12-05", "gazeta.example", [("Шойгу", "PER", []), ("Moscou", "LOC", [])])
    write_article(con, "sp1", "2016-12-06", "sport.example",
                  [("Sergei Shoigu", "PER", ["attaquant"]), ("Nantes", "LOC", [])])


def test_four_spellings_of_the_minister_are_one_entity_and_the_footballer_another(hand_store):
    write_shoigu_articles(hand_store)
    passes.run_passes(hand_store)
    minister = {canonical_of(hand_store, a, n) for a, n in
                (("fr1", "Sergueï Choïgou"), ("en1", "Sergei Shoigu"), ("en2", "Sergey Shoygu"), ("ru1", "Шойгу"))}
    assert len(minister) == 1
    assert canonical_of(hand_store, "sp1", "Sergei Shoigu") not in minister
    assert canonical_of(hand_store, "en1", "Russia", "LOC") == canonical_of(hand_store, "fr1", "Russie", "LOC")


def test_the_entity_page_gathers_every_spelling_with_roles_and_their_dates(hand_store):
    write_shoigu_articles(hand_store)
    passes.run_passes(hand_store)
    found = queries.entity(hand_store, "Sergey Shoygu")
    assert found["articles"] == 4
    assert {role["role"]: (role["first"], role["last"]) for role in found["roles"]} == {
        "ministre russe de la Défense": ("2016-11-28", "2016-11-28"),
        "Russian Defence Minister": ("2016-11-29", "2016-11-29")}
    assert queries.entity(hand_store, "Шойгу")["id"] == queries.entity(hand_store, "Sergueï Choïgou")["id"] == found["id"]
    assert [day["day"] for day in found["timeline"]] == ["2016-11-28", "2016-11-29", "2016-12-02", "2016-12-05"]
    assert queries.entity_ids(hand_store, "Serguei Shoïgou") == [found["id"]]  # a spelling never seen, by its key
    data = json.loads(hand_store.execute("SELECT data FROM canonical_entities WHERE canonical_id = ?",
                                         [found["id"]]).fetchone()[0])
    assert set(data["variants"]) == {"Sergueï Choïgou", "Sergei Shoigu", "Sergey Shoygu", "Шойгу"}
    assert data["roles"]["Russian Defence Minister"] == ["2016-11-29", "2016-11-29", 1]
    assert (data["first"], data["last"], data["articles"]) == ("2016-11-28", "2016-12-05", 4)


def test_a_lone_surname_joins_nobody_without_shared_context(hand_store):
    write_shoigu_articles(hand_store)
    write_article(hand_store, "xx1", "2016-12-07", "other.example", [("Shoigu", "PER", []), ("Lyon", "LOC", [])])
    passes.run_passes(hand_store)
    assert canonical_of(hand_store, "xx1", "Shoigu") not in {canonical_of(hand_store, "fr1", "Sergueï Choïgou"),
                                                            canonical_of(hand_store, "sp1", "Sergei Shoigu")}


def test_a_name_without_a_surname_joins_nobody(hand_store):
    for number in range(2):
        write_article(hand_store, f"m{number}", "2020-01-01", "same.example", [("Mme", "PER", []), ("H. B.", "PER", []),
                                                                               ("Lyon", "LOC", [])])
    passes.run_passes(hand_store)
    for name in ("Mme", "H. B."):
        assert canonical_of(hand_store, "m0", name) != canonical_of(hand_store, "m1", name)


def test_a_lone_surname_sharing_only_a_country_joins_nobody(hand_store):
    write_shoigu_articles(hand_store)
    write_article(hand_store, "xx2", "2016-12-07", "other.example", [("Shoigu", "PER", []), ("Russie", "LOC", [])])
    passes.run_passes(hand_store)
    assert canonical_of(hand_store, "xx2", "Shoigu") != canonical_of(hand_store, "fr1", "Sergueï Choïgou")


def test_a_generic_name_is_one_thing_on_one_site_only(hand_store):
    write_article(hand_store, "c1", "2020-01-01", "nantes.example", [("conseil municipal", "ORG", [])])
    write_article(hand_store, "c2", "2020-01-02", "nantes.example", [("conseil municipal", "ORG", [])])
    write_article(hand_store, "c3", "2020-01-03", "lyon.example", [("conseil municipal", "ORG", [])])
    passes.run_passes(hand_store)
    nantes = canonical_of(hand_store, "c1", "conseil municipal", "ORG")
    assert canonical_of(hand_store, "c2", "conseil municipal", "ORG") == nantes
    assert canonical_of(hand_store, "c3", "conseil municipal", "ORG") != nantes


def test_a_new_article_links_to_the_canonical_entities_already_there(hand_store):
    write_shoigu_articles(hand_store)
    passes.run_passes(hand_store)
    before = hand_store.execute("SELECT count(*) FROM canonical_entities").fetchone()[0]
    write_article(hand_store, "en3", "2016-12-08", "wire.example",
                  [("Sergei Shoigu", "PER", ["defence minister"]), ("Russia", "LOC", [])])
    passes.run_passes(hand_store)
    assert canonical_of(hand_store, "en3", "Sergei Shoigu") == canonical_of(hand_store, "en1", "Sergei Shoigu")
    assert hand_store.execute("SELECT count(*) FROM canonical_entities").fetchone()[0] == before


def test_a_chunk_loads_only_the_canonical_entities_that_share_its_block_keys(hand_store):
    write_shoigu_articles(hand_store)
    passes.run_passes(hand_store)
    write_article(hand_store, "en4", "2016-12-09", "wire.example", [("Sergei Shoigu", "PER", [])])
    index = names.BlockIndex.load(hand_store, names.read_entities(hand_store, ["en4"]))
    assert {c.name for c in index.canonicals.values()} == {"Sergueï Choïgou", "Sergei Shoigu"}


def test_only_the_candidates_whose_names_agree_are_read_in_full(hand_store, monkeypatch):
    write_shoigu_articles(hand_store)
    passes.run_passes(hand_store)
    read = []
    load_data = names.BlockIndex.load_data
    monkeypatch.setattr(names.BlockIndex, "load_data", lambda self, con, ids: (read.append(set(ids)),
                                                                                load_data(self, con, ids)))
    write_article(hand_store, "en5", "2016-12-10", "wire.example", [("Ivan Shoigu", "PER", [])])
    passes.run_passes(hand_store)
    write_article(hand_store, "en6", "2016-12-11", "wire.example", [("S. Shoigu", "PER", [])])
    passes.run_passes(hand_store)
    assert read[0] == set()  # "Ivan" agrees with no Sergei: no data read
    assert read[1] == {canonical_of(hand_store, "fr1", "Sergueï Choïgou"), canonical_of(hand_store, "sp1", "Sergei Shoigu")}


def test_the_candidates_found_by_surname_are_those_of_the_whole_block_whose_names_agree(hand_store):
    write_shoigu_articles(hand_store)
    write_article(hand_store, "en7", "2016-12-07", "wire.example", [("Ivan Shagalovski", "PER", [])])
    write_article(hand_store, "en8", "2016-12-08", "daily.example", [("Olga Shagalovska", "PER", [])])  # one block
    passes.run_passes(hand_store)
    asked = ("S. Shoigu", "Ivan Shoigu", "Ivan Shagelovski", "I. Shagalovska", "Shagalovsky")
    write_article(hand_store, "en9", "2016-12-12", "wire.example", [(name, "PER", []) for name in asked])
    seen = names.read_entities(hand_store, ["en9"])
    index = names.BlockIndex.load(hand_store, seen)
    found = {item.name: index.plausible(item) for item in seen}
    assert found == {item.name: [c.id for c in index.candidates(item) if names.is_plausible(item, c)] for item in seen}
    ivan = canonical_of(hand_store, "en7", "Ivan Shagalovski")
    olga = canonical_of(hand_store, "en8", "Olga Shagalovska")
    assert len(found["S. Shoigu"]) == 2 and found["Ivan Shoigu"] == [] and found["Ivan Shagelovski"] == [ivan]
    assert found["I. Shagalovska"] == [ivan] and found["Shagalovsky"] == sorted([ivan, olga])  # surnames 91 alike


# ---- the samples ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def samples(samples_store, tmp_path_factory):
    """Return a read-only connection to a copy of the samples store (the passes run at ingest)."""
    path = tmp_path_factory.mktemp("names") / "samples.duckdb"
    shutil.copyfile(samples_store, path)
    con = open_store(str(path), read_only=True)
    yield con
    con.close()


def canonicals_named(con, name: str) -> dict[str, set[str]]:
    """Return {canonical id: the sites of its articles} for the entities so named."""
    rows = con.execute("""SELECT l.canonical_id, list(DISTINCT a.site) FROM entities e
                          JOIN entity_links l USING (article_id, entity_id) JOIN articles a ON a.id = e.article_id
                          WHERE e.name = ? GROUP BY 1""", [name]).fetchall()
    return {canonical: set(sites) for canonical, sites in rows}


def test_every_sample_entity_is_linked(samples):
    unlinked = samples.execute("""SELECT count(*) FROM entities e ANTI JOIN entity_links l
                                  USING (article_id, entity_id)""").fetchone()[0]
    assert unlinked == 0


def test_the_two_daniel_osei_stay_apart_and_the_montreal_councillor_is_one_in_french_and_english(samples):
    found = canonicals_named(samples, "Daniel Osei")
    assert sorted(map(sorted, found.values())) == [["harbourherald.example"], ["saint-laurent-express.example"]]
    montreal = queries.entity(samples, next(c for c, sites in found.items() if "harbourherald.example" not in sites))
    assert montreal["articles"] == 2


def test_an_article_says_which_of_two_namesakes_it_names_and_quotes(samples):
    linked = {}
    for (article_id,) in samples.execute("SELECT DISTINCT article_id FROM entities WHERE name = 'Daniel Osei'").fetchall():
        article = queries.article(samples, article_id)
        [osei] = [e for e in article["entities"] if e["name"] == "Daniel Osei"]
        speakers = {q["speaker_canonical"] for q in article["quotes"] if q["speaker_entity"] == osei["id"]}
        assert speakers <= {osei["canonical_id"]}
        linked.setdefault(osei["canonical_id"], set()).add(article["site"])
    assert sorted(map(sorted, linked.values())) == [["harbourherald.example"], ["saint-laurent-express.example"]]


def test_claire_and_hugo_lemoine_stay_apart_and_the_minister_is_one_on_two_sites(samples):
    claire, hugo = canonicals_named(samples, "Claire Lemoine"), canonicals_named(samples, "Hugo Lemoine")
    assert len(claire) == 1 and len(hugo) == 1 and claire.keys() != hugo.keys()
    assert next(iter(claire.values())) == {"levigie-du-matin.example", "courrier-estuaire.example"}


def test_french_and_english_names_of_one_place_or_organisation_are_one_entity(samples):
    for pair in (("Sénégal", "Senegal"), ("Union européenne", "European Union"), ("Union africaine", "African Union"),
                 ("Bruxelles", "Brussels"), ("Darfour", "Darfur"), ("Hongrie", "Hungary")):
        assert len({c for name in pair for c in canonicals_named(samples, name)}) == 1, pair


def test_lists_and_pages_count_an_organisation_once_under_all_its_names(samples):
    union = queries.entity(samples, "EU")
    assert {v["text"] for v in union["variants"]} == {"EU", "Union européenne", "European Union"}
    listed = [item for item in queries.entities(samples, type="ORG", limit=500)["items"] if item["id"] == union["id"]]
    assert len(listed) == 1 and listed[0]["articles"] == union["articles"] == 4
    [found] = queries.entities(samples, q="european union")["items"]  # one of its names: counted under all
    assert found["id"] == union["id"] and found["articles"] == 4


def test_incremental_runs_in_small_chunks_give_what_a_rebuild_gives(samples_store, tmp_path, monkeypatch):
    monkeypatch.setattr(passes, "PASSES", ["veille.corpus.names"])
    tables = ("canonical_entities", "entity_links", "name_blocks")
    path = tmp_path / "chunks.duckdb"
    shutil.copyfile(samples_store, path)
    with open_store(str(path)) as con:
        rebuilt = {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall()) for table in tables}
        passes.rebuild(con)
        assert {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall()) for table in tables} == rebuilt
        for table in (*tables, "corpus_seen"):
            con.execute(f"DELETE FROM {table}")
        passes.run_passes(con, chunk=3)
        assert {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall()) for table in tables} == rebuilt


# ---- veille entity --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def samples_path(samples_store, tmp_path_factory) -> str:
    """Return the path of a copy of the samples store for the command line."""
    path = tmp_path_factory.mktemp("names-cli") / "samples.duckdb"
    shutil.copyfile(samples_store, path)
    return str(path)


def test_veille_entity_json_gathers_names_roles_quotes_and_days(cli, samples_path):
    result = cli("entity", "Claire Lemoine", "--db", samples_path, "--json")
    assert result.code == 0, result.err
    [found] = result.jsonl()
    assert found["name"] == "Claire Lemoine" and found["articles"] == 2
    assert {role["role"] for role in found["roles"]} == {"ministre du Budget", "ministre du Budget et des Comptes publics"}
    assert {quote["site"] for quote in found["quotes"]} == {"levigie-du-matin.example", "courrier-estuaire.example"}
    assert [day["day"] for day in found["timeline"]] == ["2026-11-23", "2026-11-27"]


def test_veille_entity_draws_mentions_per_day(cli, samples_path):
    result = cli("entity", "Union européenne", "--db", samples_path)
    assert result.code == 0 and "mentions per day" in result.out and "█" in result.out
    assert "European Union" in result.out and "EU (" in result.out  # the names it goes by, in both languages


def test_veille_entity_says_in_one_line_that_a_name_is_unknown_and_suggests_close_ones(cli, samples_path):
    result = cli("entity", "Lemoine", "--db", samples_path)
    assert result.code == 2 and result.out == ""
    assert len(result.err.strip().splitlines()) == 1 and "'Claire Lemoine'" in result.err and "'Hugo Lemoine'" in result.err
    assert cli("entity", "Zorglub", "--db", samples_path).code == 2
