"""Entity pages by stable id: names apart from role nouns and pronouns, roles with their dates, quotes by id."""
from __future__ import annotations

from tests.api.stores import HOSTILE_SPEAKER
from veille.nlp.entities import entity_id

HAND_1, HAND_2 = "hand0000000000000000000000000001", "hand0000000000000000000000000002"


def entity(client, name_or_id):
    """Return the /api/entities/{name_or_id} item."""
    body = client.get(f"/api/entities/{name_or_id}").json()
    assert body["ok"] is True, body
    return body["item"]


def test_variants_are_names_and_references_are_counted_apart(client):
    person = entity(client, "ent-ndiaye")
    assert [(v["text"], v["count"]) for v in person["variants"]] == [("Paul Ndiaye", 4)]
    assert [(r["kind"], r["text"], r["count"], r["articles"]) for r in person["references"]] == [
        ("role", "Le ministre", 2, 2), ("pronoun", "Il", 2, 2)]
    assert person["mentions"] == 8  # every mention, names and references


def test_roles_come_with_the_dates_of_their_articles(client):
    [role] = entity(client, "Paul Ndiaye")["roles"]
    assert role["role"] == "ministre" and role["dates"] == ["2025-03-04", "2025-03-05"]


def test_quotes_are_those_whose_speaker_entity_is_the_id(client):
    quotes = entity(client, "ent-ndiaye")["quotes"]
    assert {(q["article_id"], q["speaker"]) for q in quotes} == {(HAND_1, "Paul Ndiaye"), (HAND_2, HOSTILE_SPEAKER)}
    assert entity(client, "ent-sarr")["quotes"] == []  # named in both articles, speaker of none


def test_an_entity_id_is_its_stable_hash_and_opens_its_page(client):
    listed = client.get("/api/entities", params={"type": "PER", "limit": 100}).json()["items"]
    sampled = [item for item in listed if not item["id"].startswith("ent-")]
    assert len({item["id"] for item in listed}) == len(listed) and sampled
    for item in sampled[:5]:
        assert item["id"] == entity_id("PER", item["name"])
        found = entity(client, item["id"])
        assert found["id"] == item["id"] and found["ids"] == [item["id"]] and found["articles"] == item["articles"]
        assert entity(client, item["name"].upper())["id"] == item["id"]  # by name, in any case


def test_article_page_marks_role_and_pronoun_mentions_lightly(client):
    html = client.get(f"/articles/{HAND_1}").text
    assert '<a class="mention role" href="/entities/ent-ndiaye" title="Paul Ndiaye (PER)">Le ministre</a>' in html
    assert '<a class="mention pronoun" href="/entities/ent-ndiaye" title="Paul Ndiaye (PER)">Il</a>' in html
    assert '<a class="mention" href="/entities/ent-ndiaye" title="Paul Ndiaye (PER)">Paul Ndiaye</a>' in html


def test_entity_page_shows_names_references_and_role_dates(client):
    html = client.get("/entities/ent-ndiaye", params={"ui": "en"}).text
    names, references = html.index("Names used"), html.index("Also referred to as")
    assert names < html.index("Paul Ndiaye (4)") < references
    assert references < html.index("Le ministre <small>role noun</small> (2)")
    assert '<time datetime="2025-03-04">2025-03-04</time>, <time datetime="2025-03-05">' in html
    assert "Autres désignations" in client.get("/entities/ent-ndiaye", params={"ui": "fr"}).text
