"""The HTTP API over the sample store: search, one article, entities, quotes, events, stories, errors."""
from __future__ import annotations

import duckdb
import pytest

from tests.api.stores import HOSTILE_QUOTE

HAND_1, HAND_2 = "hand0000000000000000000000000001", "hand0000000000000000000000000002"


def items(client, path, **params):
    """Return the items of a list endpoint, checking the list envelope."""
    body = client.get(path, params=params).json()
    assert body["ok"] is True and isinstance(body["total"], int), body
    return body["items"]


def test_search_ranks_marks_and_counts(client):
    body = client.get("/api/articles", params={"q": "port"}).json()
    assert body["ok"] and body["total"] >= 3 and len(body["items"]) == body["total"]
    for hit in body["items"]:
        snippet = hit["snippet"]
        assert snippet["highlights"], hit["title"]
        for start, end in snippet["highlights"]:
            assert snippet["text"][start:end].lower().startswith("port")
    assert sum(body["facets"]["language"].values()) == body["total"]
    scores = [hit["score"] for hit in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_search_folds_accents_and_takes_apostrophes(client):
    accented = client.get("/api/articles", params={"q": "médiation"}).json()
    folded = client.get("/api/articles", params={"q": "mediation"}).json()
    assert accented["total"] >= 1 and accented["total"] == folded["total"]
    assert client.get("/api/articles", params={"q": "d'union"}).json()["ok"] is True


def test_each_filter_narrows_to_what_it_says(client):
    every = items(client, "/api/articles", limit=100)
    assert {hit["language"] for hit in items(client, "/api/articles", lang="en", limit=100)} == {"en"}
    site = next(hit["site"] for hit in every if hit["site"] != "unknown")
    assert {hit["site"] for hit in items(client, "/api/articles", site=site, limit=100)} == {site}
    dated = items(client, "/api/articles", **{"from": "2025-03-04", "to": "2025-03"}, limit=100)
    assert {hit["id"] for hit in dated} == {HAND_1, HAND_2}
    assert {hit["id"] for hit in items(client, "/api/articles", entity="Awa Sarr")} == {HAND_1, HAND_2}
    quoted, unquoted = (items(client, "/api/articles", has_quotes=flag, limit=100) for flag in ("true", "false"))
    assert len(quoted) + len(unquoted) == len(every) and not {h["id"] for h in quoted} & {h["id"] for h in unquoted}


def test_search_pages_without_overlap(client):
    total = client.get("/api/articles").json()["total"]
    first, second = (items(client, "/api/articles", limit=5, offset=offset) for offset in (0, 5))
    assert len(first) == 5 and total > 5
    assert not {hit["id"] for hit in first} & {hit["id"] for hit in second}


def test_an_article_comes_with_its_annotations(client):
    article = client.get(f"/api/articles/{HAND_1}").json()["item"]
    assert article["quotes"][0]["text"] == HOSTILE_QUOTE and article["quotes"][0]["speaker"] == "Paul Ndiaye"
    for entity in article["entities"]:
        for mention in entity["mentions"]:
            assert article["text"][mention["start"]:mention["end"]] == mention["text"]
    assert article["events"][0]["type"] == "CONSULT" and article["removed"][0]["reason"] == "ui_line"


def test_an_entity_across_articles(client):
    entity = client.get("/api/entities/Paul Ndiaye").json()["item"]
    assert entity["articles"] == 2 and entity["roles"][0]["role"] == "ministre"
    assert entity["roles"][0]["first"] == "2025-03-04" and entity["roles"][0]["last"] == "2025-03-05"
    assert [point["day"] for point in entity["timeline"]] == ["2025-03-04", "2025-03-05"]
    assert entity["cooccurring"][0]["name"] == "Awa Sarr" and entity["cooccurring"][0]["articles"] == 2
    assert {quote["article_id"] for quote in entity["quotes"]} == {HAND_1, HAND_2}  # by id, whatever the name
    assert entity["events"][0]["reports"] == 2
    assert client.get(f"/api/entities/{entity['id']}").json()["item"]["name"] == "Paul Ndiaye"


def test_entities_from_the_samples_are_listed(client):
    listed = client.get("/api/entities", params={"limit": 5}).json()
    assert listed["total"] > 5 and len(listed["items"]) == 5
    mentions = [entity["mentions"] for entity in listed["items"]]
    assert mentions == sorted(mentions, reverse=True)
    assert all(e["type"] == "PER" for e in items(client, "/api/entities", type="PER"))


def test_quotes_by_speaker_text_and_date(client):
    assert len(items(client, "/api/quotes", speaker="Paul Ndiaye")) == 2
    assert [q["article_id"] for q in items(client, "/api/quotes", q="gras", **{"from": "2025-03-05"})] == [HAND_2]
    assert client.get("/api/quotes").json()["total"] > 2  # the samples' quotes are there too


def test_events_are_merged_across_reports(client):
    merged = items(client, "/api/events", type="consult", actor="Paul Ndiaye", target="ent-sarr")
    assert len(merged) == 1 and merged[0]["reports"] == 2
    assert {source["article_id"] for source in merged[0]["sources"]} == {HAND_1, HAND_2}
    assert items(client, "/api/events", actor="Paul Ndiaye", **{"from": "2025-03-05"}) == []
    assert items(client, "/api/events", actor="Awa Sarr") == []
    found = items(client, "/api/events", limit=100)  # the samples' own events, found by the annotate stage
    assert len(found) > 1 and all(event["type"] and event["actor"] for event in found)


def test_events_export_as_csv(client):
    response = client.get("/api/events.csv", params={"type": "CONSULT", "actor": "Paul Ndiaye"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0].startswith("date,type,actor") and "Paul Ndiaye" in lines[1]


def test_csv_cells_never_start_a_formula():
    from veille.api import events_csv

    text = events_csv([{"type": "AID", "actor": "=HYPERLINK(\"x\")", "target": "+1", "sources": []}])
    assert "'=HYPERLINK" in text and ",'+1," in text


def test_stories_list_and_one(client):
    listed = items(client, "/api/stories", limit=100)
    assert [story["articles"] for story in listed] == sorted((story["articles"] for story in listed), reverse=True)
    assert next(story for story in listed if story["id"] == "story-dakar")["articles"] == 2
    story = client.get("/api/stories/story-dakar").json()["item"]
    assert {member["site"] for member in story["members"]} == {"dakar-soir.example", "lejournal.example"}
    assert story["events"][0]["reports"] == 2


def test_stats_has_the_contract_keys(client):
    stats = client.get("/api/stats").json()["item"]
    for key in ("pages", "articles", "rejects", "entities", "quotes", "events"):
        assert isinstance(stats[key], int)
    assert stats["status"]["snapshot"] is True and stats["status"]["notice"] is None


@pytest.mark.parametrize("path, status", [
    ("/api/articles/nope", 404), ("/api/entities/Nobody Here", 404), ("/api/stories/nope", 404),
    ("/api/nothing", 404), ("/api/articles?limit=101", 400), ("/api/articles?limit=-1", 400),
    ("/api/articles?from=yesterday", 400), ("/api/articles?lang=FRENCH", 400), ("/api/events?type=DROP%20TABLE", 400),
])
def test_errors_share_one_envelope(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert body == {"ok": False, "error": body["error"], "status": status} and body["error"]


def test_openapi_describes_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/entities", "/api/entities/{name_or_id}",
                 "/api/quotes", "/api/events", "/api/events.csv", "/api/stories", "/api/stats"):
        assert path in paths
    assert "/" not in paths  # pages are not API


def test_the_store_is_not_held_while_serving(client, store_path):
    client.get("/api/stats")
    con = duckdb.connect(str(store_path))  # a writer can open it: the server reads a copy
    con.close()
