"""Ingest into the store: idempotent, counted, exported, and learning each site's boilerplate."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import SEED
from veille.ingest import ingest
from veille.sources import SourceOptions

PARAGRAPHS = [
    "Le conseil régional a voté jeudi une enveloppe de douze millions d'euros pour rénover les lycées "
    "de la région, a annoncé son président lors d'une conférence de presse à Rennes.",
    "Les travaux commenceront au printemps et dureront trois ans, selon le calendrier présenté aux élus, "
    "qui ont adopté le texte à une large majorité malgré l'abstention de l'opposition.",
]
NAV = ["Accueil", "Régions", "Économie", "Sports", "Le Petit Rapporteur, quotidien de l'Ouest",
       "Tous droits réservés Le Petit Rapporteur"]


def dump_page(title: str, extra: str) -> str:
    """Return a text dump of an article of the invented site, navigation included."""
    body = [f"{p} {extra}" for p in PARAGRAPHS]
    return "\n\n".join(NAV[:4] + [title] + body + NAV[4:]) + "\n"


def write_feed(path, count: int, start: int = 0) -> None:
    """Write a JSON Lines feed of count dump pages of one site."""
    lines = [json.dumps({"url": f"https://www.petit-rapporteur.example/region/{i}", "text":
                         dump_page(f"Titre de l'article numéro {i} sur les lycées", f"Détail numéro {i}.")})
             for i in range(start, start + count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def counts(db: str) -> dict:
    """Return the contract counts of a store."""
    with duckdb.connect(db, read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("pages", "articles", "rejects")}


def test_reingesting_the_same_input_adds_nothing(tmp_path, db):
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, 5)
    first = ingest([str(feed), str(SEED)], db, workers=1)
    assert (first.articles, first.rejects, first.skipped) == (6, 0, 0)
    second = ingest([str(feed), str(SEED)], db, workers=1)
    assert (second.articles, second.pages, second.skipped) == (0, 0, 6)
    assert counts(db) == {"pages": 6, "articles": 6, "rejects": 0}


def test_the_same_page_twice_in_one_run_is_stored_once(tmp_path, db):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes())
    report = ingest([str(SEED), str(copy)], db, workers=1)
    assert report.articles == 1
    assert counts(db)["pages"] == 1


def test_site_boilerplate_is_learned_and_applied_to_later_pages(tmp_path, db):
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, 6)
    ingest([str(feed)], db, workers=1, batch_size=2)
    with duckdb.connect(db, read_only=True) as con:
        from veille.store.queries import stats
        learned = stats(con)["boilerplate_lines"]
        removed = [json.loads(r) for (r,) in con.execute("SELECT removed FROM articles ORDER BY source").fetchall()]
    assert learned.get("petit-rapporteur.example", 0) >= len(NAV)
    later = {item["text"]: item["reason"] for item in removed[-1]}
    assert later.get("Tous droits réservés Le Petit Rapporteur") == "site_boilerplate"


def test_stats_json_has_the_contract_keys(cli, db):
    assert cli("ingest", SEED, "--db", db, "--published", "2016-11-29", "--no-progress").code == 0
    result = cli("stats", "--db", db, "--json")
    data = json.loads(result.out)
    for key in ("pages", "articles", "rejects", "entities", "quotes", "events"):
        assert isinstance(data[key], int)
    assert data["articles"] == 1 and data["languages"] == {"fr": 1}


def test_show_and_export(cli, db, tmp_path):
    cli("ingest", SEED, "--db", db, "--published", "2016-11-29", "--no-progress")
    [line] = cli("export", "--db", db).jsonl()
    shown = json.loads(cli("show", line["id"][:8], "--db", db, "--json").out)
    assert shown["title"] == line["title"] and len(shown["paragraphs"]) == 4
    assert "Le général Haftar" in cli("show", line["id"], "--db", db).out
    rows = list(csv.DictReader(io.StringIO(cli("export", "--db", db, "--format", "csv").out)))
    assert rows[0]["wire_source"] == "Reuters"
    out = tmp_path / "articles.parquet"
    assert cli("export", "--db", db, "--format", "parquet", "--out", out).code == 0
    assert duckdb.sql(f"SELECT title FROM '{out}'").fetchone()[0] == line["title"]
    assert cli("export", "--db", db, "--format", "parquet").code == 2


def test_rejects_are_stored_counted_and_exported(cli, db, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = cli("ingest", SEED, empty, "--db", db, "--no-progress")
    assert result.code == 0
    [reject] = cli("export", "--db", db, "--what", "rejects").jsonl()
    assert reject["reason"] == "empty_input" and reject["source"] == str(empty)
    assert json.loads(cli("stats", "--db", db, "--json").out)["rejects"] == 1


def test_strict_mode_and_all_rejected_runs_fail(cli, db, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert cli("ingest", SEED, empty, "--db", db, "--strict", "--no-progress").code == 5
    other = str(tmp_path / "other.duckdb")
    result = cli("ingest", empty, "--db", other, "--no-progress")
    assert result.code == 1 and "rejected" in result.err


def test_reading_a_missing_store_says_what_to_do(cli, tmp_path):
    result = cli("stats", "--db", tmp_path / "none.duckdb")
    assert result.code == 3 and "veille ingest" in result.err


def test_a_locked_store_names_the_process_holding_it(cli, db):
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({db!r}); "
                               "print('ready', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = cli("ingest", SEED, "--db", db, "--no-progress")
        assert result.code == 4
        assert f"pid {holder.pid}" in result.err and "--db" in result.err
    finally:
        holder.kill()
        holder.wait()


def test_every_command_has_help(cli):
    for command in ("extract", "ingest", "show", "stats", "export"):
        result = cli(command, "--help")
        assert result.code == 0 and "Usage" in result.out and len(result.out) > 200, command


def test_an_older_store_is_migrated_and_keeps_its_rows(db):
    from veille.store.connect import open_store
    from veille.store.schema import MIGRATIONS, SCHEMA_VERSION

    with duckdb.connect(db) as con:  # a store as the first release wrote it
        con.execute("CREATE TABLE schema_version (version INTEGER)")
        con.execute(MIGRATIONS[0])
        con.execute("INSERT INTO schema_version VALUES (1)")
        con.execute("INSERT INTO site_pages VALUES ('a.example', 4)")
        con.execute("INSERT INTO site_lines VALUES ('a.example', 'menu', 'Menu', 3)")
    with open_store(db) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("SELECT line FROM site_boilerplate").fetchall() == [("Menu",)]


def test_site_boilerplate_is_learned_for_html_pages_known_by_their_canonical_url(tmp_path, db):
    promo = "Abonnez-vous à la lettre du Petit Rapporteur pour recevoir l'essentiel chaque matin."
    for i in range(6):
        paragraphs = "".join(f"<p>{p} Détail numéro {i}.</p>" for p in PARAGRAPHS) + f"<p>{promo}</p>"
        (tmp_path / f"p{i}.html").write_text(
            f'<html><head><title>Titre numéro {i}</title><link rel="canonical" '
            f'href="https://www.petit-rapporteur.example/region/{i}"></head><body><article>'
            f"<h1>Titre numéro {i}</h1>{paragraphs}</article></body></html>", encoding="utf-8")
    ingest([str(tmp_path / f"p{i}.html") for i in range(6)], db, workers=1, batch_size=1)
    with duckdb.connect(db, read_only=True) as con:
        rows = con.execute("SELECT source, paragraphs FROM articles ORDER BY source").fetchall()
    assert all(site_rows for site_rows in rows)
    assert promo in rows[0][1]          # the first pages teach the line...
    assert promo not in rows[-1][1]     # ...the later ones lose it


def test_rejects_read_from_the_input_are_kept_apart_and_counted_once(tmp_path, db):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("{broken one\n", encoding="utf-8")
    assert ingest([str(feed)], db, workers=1).rejects == 1
    assert ingest([str(feed)], db, workers=1).rejects == 0  # the same bad line again: nothing new
    feed.write_text("{broken two\n", encoding="utf-8")   # same source and reason, another line
    assert ingest([str(feed)], db, workers=1).rejects == 1
    assert counts(db)["rejects"] == 2


def test_a_bad_memory_setting_is_named():
    from veille.errors import StoreError
    from veille.store.connect import _set_memory_limit

    with duckdb.connect() as con:
        _set_memory_limit(con, "512MB")
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0].startswith("488")
        with pytest.raises(StoreError, match="VEILLE_DUCKDB_MEMORY"):
            _set_memory_limit(con, "lots")


def test_the_raw_page_is_kept_and_comes_back_byte_for_byte(db):
    import gzip as gz

    ingest([str(SEED)], db, workers=1)
    with duckdb.connect(db, read_only=True) as con:
        packed, size = con.execute("SELECT content_gzip, size FROM pages").fetchone()
    assert gz.decompress(packed) == SEED.read_bytes() and size == len(SEED.read_bytes())
