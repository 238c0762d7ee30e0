"""An article says where it belongs across the corpus: its copies and its story, on the page and in `veille show`."""
from __future__ import annotations

from fastapi.testclient import TestClient

from veille.api import create_app


def wire_copies(client: TestClient) -> list[dict]:
    """Return the sample wire story's group of copies, as the API lists it."""
    groups = client.get("/api/duplicates", params={"kind": "syndication"}).json()["items"]
    return next(group for group in groups if group["agency"] == "Reuters")["members"]


def test_a_wire_copy_page_links_its_other_copies_and_its_story(samples_ingest):
    with TestClient(create_app(samples_ingest[0])) as client:
        copies = wire_copies(client)
        one, others = copies[-1], copies[:-1]
        page = client.get(f"/articles/{one['id']}", params={"ui": "en"}).text
        assert "One wire story across outlets" in page and "Reuters" in page
        assert all(f'href="/articles/{other["id"]}"' in page for other in others)
        assert f'href="/articles/{one["id"]}"' not in page
        story = client.get(f"/api/articles/{one['id']}").json()["item"]["story"]
        assert story["articles"] >= len(copies) and f'href="/stories/{story["id"]}"' in page


def test_an_article_without_copies_or_story_says_nothing_of_them(samples_ingest):
    with TestClient(create_app(samples_ingest[0])) as client:
        found = client.get("/api/articles", params={"q": "volcano Flores"}).json()["items"][0]
        article = client.get(f"/api/articles/{found['id']}").json()["item"]
        assert article["copies"] is None and article["story"] is None
        assert "Copies" not in client.get(f"/articles/{found['id']}", params={"ui": "en"}).text


def test_show_names_the_copies_and_the_story(cli, samples_ingest):
    db = samples_ingest[0]
    wire = cli("duplicates", "--db", db, "--kind", "syndication", "--json").jsonl()[0]
    shown = cli("show", wire["members"][1]["id"], "--db", db)
    assert shown.code == 0 and "copies (syndication, Reuters" in " ".join(shown.out.split()) and "in story" in shown.out
    record = cli("show", wire["members"][1]["id"], "--db", db, "--json").jsonl()[0]
    assert record["copies"]["group"] == wire["group"] and record["story"]["articles"] >= 3
