"""The seed page through the whole per-page pipeline matches its hand-made record."""
from __future__ import annotations

import pytest

from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed_record(request) -> dict:
    """Return `veille extract` output for the seed page, published on its known date."""
    from veille.pipeline import process_page
    from veille.sources import SourceOptions, read_pages
    from veille.display import extract_record

    [page] = list(read_pages([str(SEED)], SourceOptions(published="2016-11-29")))
    return extract_record(process_page(page))


def test_seed_metadata_matches_the_record(seed_record, seed_expected):
    for key in ("language", "section", "title", "wire_source", "published"):
        assert seed_record[key] == seed_expected[key], key
    assert seed_record["published_from"] == "argument"
    assert seed_record["language_score"] > 0.9


def test_seed_keeps_exactly_the_four_body_paragraphs(seed_record, seed_expected):
    starts = seed_expected["body_paragraphs_start_with"]
    assert len(seed_record["paragraphs"]) == len(starts)
    for paragraph, start in zip(seed_record["paragraphs"], starts):
        assert paragraph.startswith(start)


def test_seed_drops_boilerplate_and_the_truncated_teaser(seed_record, seed_expected):
    text = seed_record["text"]
    for line in seed_expected["boilerplate_lines"]:
        assert line not in seed_record["paragraphs"]
    assert "Notre..." not in text
    assert "(Source : Reuters)" not in text
    reasons = {r["text"]: r["reason"] for r in seed_record["removed"]}
    assert any(t.endswith("Notre...") for t in reasons)
    assert reasons["Rechercher"] and reasons["Retour en haut"]


def test_seed_text_is_the_paragraphs_joined(seed_record):
    assert seed_record["text"] == "\n\n".join(seed_record["paragraphs"])
    assert seed_record["id"] and seed_record["source"].endswith("lorient-haftar-moscou.txt")
    for key in ("entities", "quotes", "dates", "events", "removed"):
        assert isinstance(seed_record[key], list)


def test_seed_through_the_cli(cli):
    result = cli("extract", SEED, "--published", "2016-11-29")
    assert result.code == 0
    [record] = result.jsonl()
    assert record["title"].startswith("Le général Haftar à Moscou")
    assert list(record)[0] == "source"


def _people(record: dict) -> dict:
    """Return the record's people keyed by name."""
    return {entity["name"]: entity for entity in record["entities"] if entity["type"] == "PER"}


def test_seed_gives_every_person_with_the_roles_of_the_record(seed_record, seed_expected):
    people = _people(seed_record)
    assert set(people) == {person["name"] for person in seed_expected["people"]}
    for person in seed_expected["people"]:
        assert set(person["roles"]) <= set(people[person["name"]]["roles"]), person["name"]


def test_seed_gives_the_places_and_organisations_of_the_record(seed_record, seed_expected):
    names = {entity["type"]: set() for entity in seed_record["entities"]}
    for entity in seed_record["entities"]:
        names[entity["type"]].add(entity["name"])
    assert set(seed_expected["places"]) <= names["LOC"]
    # Reuters is the wire credit, lifted out of the text into wire_source.
    assert set(seed_expected["organizations"]) <= names["ORG"] | {seed_record["wire_source"]}


def test_seed_gives_the_quotes_with_speaker_and_channel(seed_record, seed_expected):
    people = _people(seed_record)
    for expected in seed_expected["quotes"]:
        matches = [q for q in seed_record["quotes"] if q["text"].startswith(expected["text_starts_with"])]
        assert len(matches) == 1, expected["text_starts_with"]
        quote = matches[0]
        assert quote["text"].endswith(expected.get("text_ends_with", ""))
        assert (quote["kind"], quote["speaker"]) == (expected["kind"], expected["speaker"])
        assert quote["speaker_entity"] == people[expected["speaker"]]["id"]
        assert quote["via"] == expected.get("via")
        assert seed_record["text"][quote["start"]:quote["end"]] == quote["text"]


def test_seed_resolves_every_date_of_the_record(seed_record, seed_expected):
    resolved = {(d["text"], d["resolved"]) for d in seed_record["dates"]}
    for expected in seed_expected["dates_resolved"]:
        assert (expected["expression"], expected["date"]) in resolved
    for date in seed_record["dates"]:
        assert seed_record["text"][date["start"]:date["end"]] == date["text"]


def _event_matches(found: dict, expected: dict) -> bool:
    """Return True when a found event has the expected type, actor, target and evidence sentence."""
    actors = {expected["actor"], *expected.get("actor_also", [])}
    targets = {expected["target"], *expected.get("target_also", [])}
    return (found["type"] == expected["type"] and found["actor"] in actors and found["target"] in targets
            and found["evidence"]["text"].startswith(expected["evidence_starts_with"]))


def test_seed_gives_every_event_of_the_record(seed_record, seed_expected):
    for expected in seed_expected["events_normalized"]:
        matches = [e for e in seed_record["events"] if _event_matches(e, expected)]
        assert matches, expected
        if "when" in expected:
            assert any(e["date"] == expected["when"] for e in matches), (expected, matches)


def test_seed_events_are_all_in_the_record(seed_record, seed_expected):
    """Precision on the seed: every event found is one of the record's, none asserted that did not happen."""
    for found in seed_record["events"]:
        assert any(_event_matches(found, expected) for expected in seed_expected["events_normalized"]), found
        assert not found["negated"] and not found["hypothetical"]
        assert found["evidence"]["text"] in seed_record["text"]
