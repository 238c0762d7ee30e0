"""Duplicates and syndication: normalisation, containment arithmetic, and the groups found in the samples."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from veille.corpus import rebuild, shingles
from veille.ingest import ingest
from veille.store import queries
from veille.store.connect import open_store

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def groups_by_source(db: str) -> dict[str, dict]:
    """Return the duplicate groups of a store keyed by the file name of each member's source."""
    with open_store(db, read_only=True) as con:
        items = queries.duplicates(con, limit=1000)["items"]
    return {Path(member["source"]).name: group for group in items for member in group["members"]}


def group_of(groups: dict[str, dict], name: str) -> dict | None:
    """Return the group holding the copy read from a file or WARC record whose name starts with `name`."""
    return next((group for source, group in groups.items() if source.startswith(name)), None)


def comparable(db: str) -> set[tuple]:
    """Return what two stores must share: each group's description and its articles' relations."""
    with open_store(db, read_only=True) as con:
        groups = con.execute("SELECT group_id, kind, agency, representative, earliest, sites, members "
                             "FROM duplicate_groups").fetchall()
        members = con.execute("SELECT group_id, article_id, round(similarity, 6), relation "
                              "FROM duplicate_members").fetchall()
    return set(groups) | set(members)


# Normalisation and arithmetic

def test_normalise_folds_case_typography_spacing_and_mojibake():
    variants = ["L’Élysée a dit : « Non » — c’est sûr.",
                "l'élysée  a dit: \"non\" - c'est sûr",
                "L\u2019\u00c9lys\u00e9e a dit :\u00a0« Non »\n\nc\u2019est s\u00fbr.",
                "L’Élysée a dit : « Non » — c’est sûr.".encode("utf-8").decode("cp1252", errors="replace")]
    assert {shingles.normalise(text) for text in variants[:3]} == {"l élysée a dit non c est sûr"}
    assert shingles.normalise(variants[3]) == "l élysée a dit non c est sûr"


def test_normalise_keeps_words_apart():
    assert shingles.normalise("Le 3 mai") != shingles.normalise("Le 4 mai")


def test_shingles_are_runs_of_words_or_the_whole_short_text():
    assert shingles.shingles("a b c d e f", size=5) == {"a b c d e", "b c d e f"}
    assert shingles.shingles("a b", size=5) == {"a b"}
    assert shingles.shingles("", size=5) == set()


@pytest.mark.parametrize("size_a, size_b, common", [(100, 100, 50), (40, 300, 40), (250, 300, 240), (80, 90, 0)])
def test_overlap_and_containment_follow_from_jaccard_and_sizes(size_a, size_b, common):
    jaccard = common / (size_a + size_b - common)
    assert shingles.overlap(jaccard, size_a, size_b) == pytest.approx(common)
    assert shingles.containment(jaccard, size_a, size_b) == pytest.approx(common / min(size_a, size_b))


def test_signatures_estimate_jaccard():
    rng = random.Random(7)
    words = [f"w{rng.randrange(5000)}" for _ in range(600)]
    a = shingles.shingles(" ".join(words))
    b = shingles.shingles(" ".join(words[:400] + [f"x{i}" for i in range(150)]))
    true = len(a & b) / len(a | b)
    assert shingles.similarity(shingles.signature(a), shingles.signature(b)) == pytest.approx(true, abs=0.1)
    assert shingles.band_keys(shingles.signature(a)) == shingles.band_keys(shingles.signature(set(a)))


def test_a_trimmed_copy_is_contained_and_a_shared_sentence_is_not():
    assert shingles.link(False, 0.3, 150, 500) == "contained"  # 0.3 * 650 / 1.3 = 150: all of the smaller
    assert shingles.link(False, 0.3, 15, 50) is None  # as much of the smaller, but too short to be a copy
    assert shingles.link(False, 0.05, 300, 320) is None
    assert shingles.link(False, 0.9, 300, 320) == "near"
    assert shingles.link(True, 0.0, 0, 0) == "exact"


# The samples

def test_the_mali_wire_story_is_one_syndication_group(samples_store):
    group = group_of(groups_by_source(samples_store), "vigie-mali-alger-mediation")
    assert group is not None
    sources = {Path(member["source"]).name for member in group["members"]}
    assert sources == {"vigie-mali-alger-mediation.html", "courrier-mali-alger-mediation.txt",
                       next(source for source in sources if source.startswith("crawl.warc.gz"))}
    assert (group["kind"], group["agency"], group["copies"], group["independent_sources"]) == \
        ("syndication", "Reuters", 3, 3)
    by_source = {Path(member["source"]).name: member for member in group["members"]}
    original = by_source["vigie-mali-alger-mediation.html"]
    assert group["earliest"] == group["representative"] == original["id"]
    assert by_source["courrier-mali-alger-mediation.txt"]["relation"] == "excerpt"  # 5 of 7 paragraphs
    local = next(member for name, member in by_source.items() if name.startswith("crawl.warc.gz"))
    assert local["relation"] == "extended"  # a local paragraph first, then the 7


def test_the_exact_duplicate_lists_both_copies(samples_store):
    groups = groups_by_source(samples_store)
    group = group_of(groups, "herald-peru-cusco-clashes")
    assert group is not None and group["kind"] == "exact"
    assert len(group["members"]) == group["copies"] == 2
    assert len({member["id"] for member in group["members"]}) == 1  # one page, stored once
    assert {Path(m["source"]).name.split("#")[0] for m in group["members"]} == \
        {"herald-peru-cusco-clashes.html", "crawl.warc.gz"}
    assert group["independent_sources"] == 1


@pytest.mark.parametrize("title", ["Oil prices climb%", "Thousands evacuated as volcano erupts%"])
def test_a_single_wire_story_forms_no_group(samples_store, title):
    with open_store(samples_store, read_only=True) as con:
        rows = con.execute("SELECT id, wire_source FROM articles WHERE title LIKE ?", [title]).fetchall()
        assert len(rows) == 1 and rows[0][1]  # the credit is there...
        assert queries.duplicate_group_of(con, rows[0][0]) is None  # ... and no copy


def test_two_reports_of_one_strike_are_not_duplicates(samples_store):
    with open_store(samples_store, read_only=True) as con:
        ids = [row[0] for row in con.execute(
            "SELECT id FROM articles WHERE title ILIKE '%Ateliers navals%' AND title ILIKE '%grève%'").fetchall()]
        assert len(ids) == 2
        assert [queries.duplicate_group_of(con, article) for article in ids] == [None, None]


def test_only_the_samples_copies_are_grouped(samples_store):
    with open_store(samples_store, read_only=True) as con:
        assert queries.duplicates(con)["total"] == 2
        assert queries.duplicates(con, kind="near")["total"] == 0


def test_ingesting_in_two_halves_gives_the_same_groups(samples_store, tmp_path):
    db = str(tmp_path / "halves.duckdb")
    ingest([str(SAMPLES / "html"), str(SAMPLES / "dumps")], db, workers=1)
    ingest([str(SAMPLES / "crawl.warc.gz"), str(SAMPLES / "feed.jsonl")], db, workers=1)
    assert comparable(db) == comparable(samples_store)
    # The copy of the Cusco page came second, under another name: it is listed all the same.
    group = group_of(groups_by_source(db), "herald-peru-cusco-clashes")
    assert group is not None and len(group["members"]) == 2


def test_rebuild_gives_the_same_groups(samples_store, tmp_path):
    db = str(tmp_path / "rebuilt.duckdb")
    shutil.copyfile(samples_store, db)
    with open_store(db) as con:
        rebuild(con)
    assert comparable(db) == comparable(samples_store)


def test_cli_prints_one_contract_object_per_group(samples_store, cli):
    result = cli("duplicates", "--db", samples_store, "--json", "--kind", "syndication")
    assert result.code == 0
    [group] = result.jsonl()
    assert {"group", "kind", "agency", "representative", "members"} <= set(group)
    assert all({"id", "source", "site", "url"} <= set(member) for member in group["members"])
    assert "3 copies" in cli("duplicates", "--db", samples_store).out
    assert f"duplicate group {group['group']}" in cli("show", group["representative"], "--db", samples_store).out


def test_cli_has_help(cli):
    result = cli("duplicates", "--help")
    assert result.code == 0 and "--kind" in result.out and "--db" in result.out


def test_http_lists_groups_in_the_list_envelope(samples_store):
    from fastapi.testclient import TestClient

    from veille.api import create_app

    with TestClient(create_app(samples_store)) as client:
        answer = client.get("/api/duplicates", params={"kind": "exact"}).json()
        assert answer["ok"] and answer["total"] == 1 and answer["items"][0]["kind"] == "exact"
        assert client.get("/api/duplicates", params={"kind": "other"}).json()["status"] == 400


# The pass on hand-made articles: groups joined, merged and described

def words(seed: int, count: int) -> list[str]:
    """Return `count` made-up words, the same for the same seed."""
    rng = random.Random(seed)
    return ["".join(rng.choice("bcdfglmnprstv") + rng.choice("aeiou") for _ in range(3)) for _ in range(count)]


def paragraphs(seed: int, count: int = 6) -> list[str]:
    """Return `count` paragraphs of 40 made-up words."""
    every = words(seed, 40 * count)
    return [" ".join(every[i * 40:(i + 1) * 40]) + "." for i in range(count)]


def add_article(con, article_id: str, paras: list[str], site: str, published: str, wire: str | None = None) -> None:
    """Store one article with its text."""
    con.execute("INSERT INTO articles (id, site, published, wire_source, text, paragraphs) VALUES (?, ?, ?, ?, ?, ?)",
                [article_id, site, published, wire, "\n\n".join(paras), paras])


def group_rows(con) -> dict[str, tuple]:
    """Return {article id: (group id, kind, relation)}."""
    rows = con.execute("""SELECT m.article_id, g.group_id, g.kind, m.relation FROM duplicate_members m
                          JOIN duplicate_groups g USING (group_id)""").fetchall()
    return {article: (group, kind, relation) for article, group, kind, relation in rows}


def test_a_new_copy_merges_two_groups_and_only_touched_groups_are_rewritten(tmp_path):
    from veille.corpus import run_passes

    one, two, other = paragraphs(1), paragraphs(2), paragraphs(3)
    with open_store(str(tmp_path / "hand.duckdb")) as con:
        add_article(con, "a1", one, "a.example", "2026-11-01")
        add_article(con, "a2", one[:4], "b.example", "2026-11-02")  # trimmed copy of a1, elsewhere
        add_article(con, "b1", two, "a.example", "2026-11-01")
        add_article(con, "b2", two[:-1] + ["Une mise à jour du soir, " + two[-1]], "a.example", "2026-11-02")
        add_article(con, "c1", other, "c.example", "2026-11-01")
        run_passes(con)
        before = group_rows(con)
        assert before["a1"][1:] == ("syndication", "representative") and before["a2"][2] == "excerpt"
        assert before["b1"][1] == "near" and before["b1"][0] == before["b2"][0]  # one site: an update
        assert "c1" not in before
        # A page made of both stories' text joins their groups into one.
        add_article(con, "d1", one + two, "d.example", "2026-11-03")
        run_passes(con)
        after = group_rows(con)
        assert len({after[article][0] for article in ("a1", "a2", "b1", "b2", "d1")}) == 1
        assert con.execute("SELECT count(*) FROM duplicate_groups").fetchone()[0] == 1
        assert {before["a1"][0], before["b1"][0]}.isdisjoint({row[0] for row in after.values()})


def test_a_page_seen_twice_forms_an_exact_group_when_its_copy_comes_later(tmp_path):
    from veille.corpus import run_passes

    with open_store(str(tmp_path / "copy.duckdb")) as con:
        add_article(con, "p1", paragraphs(4), "a.example", "2026-11-01")
        con.execute("INSERT INTO pages (id, source, url) VALUES ('p1', 'first.html', 'https://a.example/1')")
        run_passes(con)
        assert group_rows(con) == {}
    from veille.records import Page
    from veille.store.writer import StoreWriter

    with StoreWriter(str(tmp_path / "copy.duckdb")) as writer:
        copy = Page(source="crawl.warc.gz#3", content=b"", url="https://a.example/1")
        copy.id = "p1"  # the same bytes as the stored page
        writer.record_copies([copy, copy])
        writer.record_copies([copy])  # seen again under the same name: nothing new
        assert writer.con.execute("SELECT count(*) FROM page_copies").fetchone()[0] == 1
        run_passes(writer.con)
        assert group_rows(writer.con)["p1"][1:] == ("exact", "representative")


def test_empty_texts_are_no_copies_of_each_other(tmp_path):
    from veille.corpus import run_passes

    with open_store(str(tmp_path / "empty.duckdb")) as con:
        for number in range(3):
            add_article(con, f"e{number}", [""] if number else ["« … »"], "a.example", "2026-11-01")
        run_passes(con)
        assert group_rows(con) == {}


def test_the_python_api_lists_groups(samples_store):
    import veille

    with veille.open(samples_store) as store:
        found = store.duplicates(kind="syndication")
    assert found["total"] == 1 and found["items"][0]["agency"] == "Reuters"
