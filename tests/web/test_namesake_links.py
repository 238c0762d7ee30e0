"""Article pages link a name to the right one of two namesakes (the canonical entity of that article)."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from veille.api import create_app


def article_id(client: TestClient, words: str) -> str:
    """Return the id of the one sample article whose search for these words comes first."""
    return client.get("/api/articles", params={"q": words}).json()["items"][0]["id"]


def osei_links(client: TestClient, article: str) -> set[str]:
    """Return the entity pages that the article page links 'Daniel Osei' to."""
    page = client.get(f"/articles/{article}", params={"ui": "en"}).text
    return set(re.findall(r'href="(/entities/[^"]+)"[^>]*>(?:<[^>]+>)*Daniel Osei<', page))


def test_each_daniel_osei_links_to_his_own_page(samples_ingest):
    with TestClient(create_app(samples_ingest[0])) as client:
        minister = osei_links(client, article_id(client, "Ghana IMF cedi"))
        councillor = osei_links(client, article_id(client, "rent registry Côte-des-Neiges"))
        councillor_fr = osei_links(client, article_id(client, "registre public des loyers"))
        assert len(minister) == 1 and len(councillor) == 1
        assert minister != councillor and councillor == councillor_fr
        page = client.get(next(iter(councillor)), params={"ui": "en"}).text
        assert "Côte-des-Neiges" in page and "finance minister" not in page
