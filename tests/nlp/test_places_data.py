"""The place data: countries and regions per language, their names, demonyms and cross-language names."""
from __future__ import annotations

import pytest

from veille.nlp.lexicon import load_lexicon

LANGUAGES = {"fr": "en", "en": "fr"}
KINDS = ("countries", "regions")


@pytest.fixture(scope="module", params=sorted(LANGUAGES))
def places(request) -> tuple[str, dict]:
    """Return a language and its place data."""
    return request.param, load_lexicon("places", request.param)


def entries(data: dict):
    """Yield (kind, key, entry) for every country and region."""
    for kind in KINDS:
        for key, entry in data.get(kind, {}).items():
            yield kind, key, entry


def test_every_file_covers_the_world(places):
    _, data = places
    # 193 UN members, the Vatican and Palestine (observers), Kosovo and Taiwan.
    assert len(data["countries"]) == 197
    assert len(data["regions"]) >= 10


def test_every_country_has_its_name_first_and_demonyms(places):
    language, data = places
    for _, key, entry in entries(data):
        assert entry["names"][0] == key
        assert len(entry["names"]) == len(set(entry["names"])), key
        assert len(entry["demonyms"]) == len(set(entry["demonyms"])), key
    for key, entry in data["countries"].items():
        assert entry["demonyms"], key


def test_french_demonyms_are_lowercase_and_english_ones_capitalised(places):
    language, data = places
    for _, key, entry in entries(data):
        for word in entry["demonyms"]:
            if language == "fr":
                assert word == word.lower(), (key, word)
            else:
                assert word[0].isupper(), (key, word)


def test_french_demonyms_come_in_every_inflected_form():
    countries = load_lexicon("places", "fr")["countries"]
    assert countries["Libye"]["demonyms"] == ["libyen", "libyenne", "libyens", "libyennes"]
    assert set(countries["Russie"]["demonyms"]) == {"russe", "russes"}
    assert set(countries["France"]["demonyms"]) == {"français", "française", "françaises"}
    assert set(countries["Turquie"]["demonyms"]) == {"turc", "turque", "turcs", "turques"}
    # A masculine singular in -en always has its feminine in -enne.
    for key, entry in countries.items():
        forms = set(entry["demonyms"])
        for word in forms:
            if word.endswith("ien"):
                assert word + "ne" in forms and word + "s" in forms and word + "nes" in forms, key


def test_english_demonyms_have_their_plural():
    countries = load_lexicon("places", "en")["countries"]
    assert countries["Libya"]["demonyms"] == ["Libyan", "Libyans"]
    assert "Russians" in countries["Russia"]["demonyms"]
    assert {"Swiss"} == set(countries["Switzerland"]["demonyms"])


def claimed_twice(data: dict, field: str) -> dict[str, set[str]]:
    """Return the words of a field ("names", "demonyms") that more than one place lists, with those places."""
    owners: dict[str, set[str]] = {}
    for _, key, entry in entries(data):
        for word in entry[field]:
            owners.setdefault(word, set()).add(key)
    return {word: keys for word, keys in owners.items() if len(keys) > 1}


def test_no_demonym_names_two_places_but_the_listed_shared_ones(places):
    _, data = places
    assert set(claimed_twice(data, "demonyms")) == set(data["shared_demonyms"])


def test_no_name_names_two_places(places):
    _, data = places
    assert claimed_twice(data, "names") == {}


def test_cross_language_names_agree_both_ways():
    for language, other in LANGUAGES.items():
        here, there = load_lexicon("places", language), load_lexicon("places", other)
        for kind in KINDS:
            assert len(here[kind]) == len(there[kind])
            for key, entry in here[kind].items():
                assert entry[other] in there[kind], (language, key)
                assert there[kind][entry[other]][language] == key, (language, key)


def test_accented_and_typographic_variants_are_listed():
    countries = load_lexicon("places", "fr")["countries"]
    assert {"Égypte", "Egypte"} <= set(countries["Égypte"]["names"])
    assert {"Côte d'Ivoire", "Côte d’Ivoire"} <= set(countries["Côte d'Ivoire"]["names"])
    assert "Etats-Unis" in countries["États-Unis"]["names"]
