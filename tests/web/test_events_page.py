"""The events page, the article's events and the CSV export show what only might happen apart from what did."""
from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from tests.api.test_events_command import MIGHT, write_event_store
from veille.api import create_app


@pytest.fixture(scope="module")
def events_client(tmp_path_factory):
    """Return a test client of the app over a store of hand-made events."""
    db = write_event_store(tmp_path_factory.mktemp("events-web") / "events.duckdb")
    with TestClient(create_app(db)) as client:
        yield client


def rows(html: str) -> list[str]:
    """Return the rows of a page's events table as their text, tags left out."""
    body = html.split('<table class="events">', 1)[1].split("</table>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("<tr>")[2:]]


def row_with(html: str, *words: str) -> str:
    """Return the one table row holding all the words."""
    [row] = [row for row in rows(html) if all(word in row for word in words)]
    return row


def test_events_page_flags_possible_and_denied_events(events_client):
    page = events_client.get("/events", params={"ui": "en"}).text
    assert "First reported" in page
    assert row_with(page, "SANCTION").startswith("— 2025-05-10 SANCTION (possible) Le Sénégal")
    assert "CONSULT (denied) Paul Ndiaye Omar Ba" in row_with(page, "Omar Ba")
    meeting = row_with(page, "Awa Sarr", "Dakar")
    assert meeting.startswith("2025-05-05 2025-05-10 CONSULT Paul") and "possible" not in meeting


def test_events_page_speaks_french(events_client):
    page = events_client.get("/events", params={"ui": "fr"}).text
    assert "Premier signalement" in page and "SANCTION (éventuel)" in row_with(page, "SANCTION")


def test_article_page_flags_its_possible_event(events_client):
    sanction = events_client.get("/api/events", params={"type": "SANCTION"}).json()["items"][0]
    page = events_client.get(f"/articles/{sanction['sources'][0]['article_id']}", params={"ui": "en"}).text
    assert row_with(page, "SANCTION").startswith("SANCTION (possible) Le Sénégal")
    assert "possible" not in row_with(page, "Omar Ba")


def test_csv_export_has_the_flags_first_report_and_cameo_code(events_client):
    text = events_client.get("/api/events.csv").text
    table = list(csv.DictReader(io.StringIO(text)))
    assert {"hypothetical", "negated", "cameo", "first_reported"} <= set(table[0])
    sanction = next(row for row in table if row["type"] == "SANCTION")
    assert (sanction["hypothetical"], sanction["negated"], sanction["cameo"]) == ("True", "False", "16")
    assert sanction["date"] == "" and sanction["first_reported"] == "2025-05-10" and sanction["evidence"] == MIGHT
    assert {row["hypothetical"] for row in table if row["type"] != "SANCTION"} == {"False"}


def article_ids(client, **filters) -> list[str]:
    """Return the ids of the articles reporting the first event that matches the filters."""
    return [s["article_id"] for s in client.get("/api/events", params=filters).json()["items"][0]["sources"]]


def legend(page: str) -> str:
    """Return the legend of an article page."""
    return page.split('<div class="legend">', 1)[1].split("</div>", 1)[0]


def test_article_text_underlines_denied_and_possible_events_apart(events_client):
    [first] = article_ids(events_client, type="SANCTION")
    page = events_client.get(f"/articles/{first}", params={"ui": "en"}).text
    text = page.split('<div class="text">', 1)[1]
    titles = ("SANCTION: Le Sénégal → les exportateurs de bois", "CONSULT: Paul Ndiaye → Omar Ba",
              "CONSULT: Paul Ndiaye → Awa Sarr")
    classes = {title: set(re.findall(rf'<span class="([^"]+)" title="{title}">', text)) for title in titles}
    assert classes == {titles[0]: {"event possible"}, titles[1]: {"event negated"}, titles[2]: {"event"}}
    assert '<span class="event negated">denied</span>' in legend(page)
    assert '<span class="event possible">possible</span>' in legend(page)
    [second] = set(article_ids(events_client, target="Awa Sarr")) - {first}
    assert "event possible" not in legend(events_client.get(f"/articles/{second}").text)
