"""Searching by entity follows the canonical entity: any of its names finds its articles, a namesake's stay out."""
from __future__ import annotations

import veille


def titles(store, **filters) -> set[str]:
    """Return the titles a search finds."""
    return {item["title"] for item in store.search(limit=50, **filters)["items"]}


def test_an_organisation_is_found_under_its_names_in_both_languages(samples_ingest):
    with veille.open(samples_ingest[0]) as store:
        found = titles(store, entity="EU")
        assert found == titles(store, entity="Union européenne") == titles(store, entity="European Union")
        assert {"fr", "en"} <= {item["language"] for item in store.search(entity="EU")["items"]}


def test_each_of_two_namesakes_finds_only_his_articles(samples_ingest):
    with veille.open(samples_ingest[0]) as store:
        ids = {item["id"] for item in store.entities("Daniel Osei")["items"]}
        assert len(ids) == 2
        found = [titles(store, entity=entity) for entity in sorted(ids)]
        assert found[0] and found[1] and not found[0] & found[1]
        assert any(any("Ghana" in title for title in side) for side in found)
