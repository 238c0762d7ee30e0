"""The search index holds what the filters need: entities by id or name, quote counts; it follows the store."""
from __future__ import annotations

import json

import duckdb
import pytest

from tests.api.stores import copy_store
from veille.store.reader import Store
from veille.store.search import INDEX_VERSION, index_path

HAND = {"hand0000000000000000000000000001", "hand0000000000000000000000000002"}


def ids(found: dict) -> set[str]:
    """Return the article ids of a search answer."""
    return {hit["id"] for hit in found["items"]}


@pytest.fixture
def store(store_path, tmp_path):
    """Return a reader over a copy of the sample store, its index built afresh."""
    with Store(str(copy_store(store_path, tmp_path))) as opened:
        yield opened


@pytest.mark.parametrize("entity", ["ent-sarr", "Awa Sarr", "awa SARR", "Àwa Sarr", " Awa Sarr "])
def test_the_entity_filter_takes_an_id_or_a_name_in_any_case(store, entity):
    assert ids(store.search(entity=entity, limit=100)) == HAND


def test_the_entity_filter_finds_every_article_naming_a_sample_entity(store, store_path):
    with duckdb.connect(str(store_path), read_only=True) as con:
        entity_id, name, expected = con.execute("""
            SELECT entity_id, any_value(name), list(DISTINCT article_id) FROM entities
            WHERE article_id NOT LIKE 'hand%' GROUP BY entity_id ORDER BY count(DISTINCT article_id) DESC, 1
            LIMIT 1""").fetchone()
    assert len(expected) >= 3
    assert ids(store.search(entity=entity_id, limit=100)) == set(expected)
    assert set(expected) <= ids(store.search(entity=name, limit=100))
    assert store.search(entity="Personne Inconnue")["total"] == 0


def test_the_quotes_filter_matches_the_quotes_table(store, store_path):
    with duckdb.connect(str(store_path), read_only=True) as con:
        quoted = {row[0] for row in con.execute("SELECT DISTINCT article_id FROM quotes").fetchall()}
        every = {row[0] for row in con.execute("SELECT id FROM articles").fetchall()}
    assert ids(store.search(has_quotes=True, limit=500)) == quoted
    assert ids(store.search(has_quotes=False, limit=500)) == every - quoted
    with_words = store.search("Paul", has_quotes=True, entity="Paul Ndiaye", lang="fr", limit=100)
    assert ids(with_words) == HAND and with_words["facets"]["language"] == {"fr": 2}


def test_an_article_whose_annotations_change_is_indexed_again(store_path, tmp_path):
    path = str(copy_store(store_path, tmp_path))
    with Store(path) as store:
        assert store.search(entity="Nouvelle Personne")["total"] == 0
        assert "hand0000000000000000000000000001" in ids(store.search(has_quotes=True, limit=500))
    with duckdb.connect(path) as con:  # as a corpus pass would: new entity rows, quotes taken away
        con.execute("""INSERT INTO entities VALUES ('hand0000000000000000000000000001', 'ent-new', 'Nouvelle Personne',
                                                     'PER', [], '{}', 1)""")
        con.execute("DELETE FROM quotes WHERE article_id = 'hand0000000000000000000000000001'")
    with Store(path) as store:
        assert ids(store.search(entity="Nouvelle Personne")) == {"hand0000000000000000000000000001"}
        assert ids(store.search(entity="ent-new")) == {"hand0000000000000000000000000001"}
        assert "hand0000000000000000000000000001" in ids(store.search(has_quotes=False, limit=500))
        assert store.search()["total"] == store.stats()["articles"]  # re-added, not added twice


def test_an_index_of_another_version_is_rebuilt(store_path, tmp_path):
    path = str(copy_store(store_path, tmp_path))
    with Store(path) as store:
        total = store.search("port")["total"]
    meta = index_path(path) / "veille.json"
    meta.write_text(json.dumps({"version": INDEX_VERSION - 1}))
    (index_path(path) / "indexed.txt").write_text("")  # an old index: its id list says nothing of entities
    with Store(path) as store:
        assert store.search("port")["total"] == total
        assert ids(store.search(entity="Awa Sarr")) == HAND
    assert json.loads(meta.read_text())["version"] == INDEX_VERSION
