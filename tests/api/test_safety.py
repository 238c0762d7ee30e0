"""The server's safety: bound parameters, the token, closed CORS, size limits, headers, the lock, the index."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest
from fastapi.testclient import TestClient

from tests.api.stores import copy_store
from veille.api import create_app
from veille.store import reader
from veille.store.reader import Store

INJECTIONS = ["' OR '1'='1", "x'); DROP TABLE articles; --", "%' OR 1=1 --", "\" OR \"\"=\"", "1; SELECT 1",
              "'; ATTACH '/tmp/x.db' AS x; --", "\\'", "title:*", "(((", "ent-ndiaye' --"]
FILTERS = {"/api/articles": ["q", "lang", "site", "from", "to", "entity", "has_quotes"],
           "/api/entities": ["q", "type"], "/api/quotes": ["speaker", "q", "from", "to"],
           "/api/events": ["type", "actor", "target", "entity", "from", "to"], "/api/events.csv": ["actor", "target"],
           "/": ["q", "lang", "site", "entity", "quotes"], "/events": ["type", "actor", "target"]}


@pytest.mark.parametrize("path", list(FILTERS))
def test_injection_strings_are_only_ever_values(client, path):
    articles = client.get("/api/stats").json()["item"]["articles"]
    for name in FILTERS[path]:
        for value in INJECTIONS:
            response = client.get(path, params={name: value})
            assert response.status_code in (200, 400), (path, name, value, response.text[:200])
            if response.status_code == 200 and path.startswith("/api") and name not in ("q",) \
                    and not path.endswith(".csv"):
                assert response.json()["items"] == [], (path, name, value)  # no such value: nothing matches
    for value in INJECTIONS:
        for path_template in ("/api/articles/{}", "/api/entities/{}", "/api/stories/{}", "/articles/{}"):
            assert client.get(path_template.format(value)).status_code in (404, 400)
    assert client.get("/api/stats").json()["item"]["articles"] == articles


@pytest.fixture(scope="module")
def guarded(store_path):
    """Return a client of an app that requires a token."""
    with TestClient(create_app(str(store_path), token="s3cret-token")) as test_client:
        yield test_client


def test_the_token_is_required_off_loopback(guarded):
    assert guarded.get("/api/stats").json() == {"ok": False, "status": 401,
                                                 "error": "missing or wrong token: send Authorization: Bearer TOKEN"}
    assert guarded.get("/api/stats", headers={"Authorization": "Bearer s3cret-tokeN"}).status_code == 401
    assert guarded.get("/openapi.json").status_code == 401
    assert guarded.get("/api/stats", headers={"Authorization": "Bearer s3cret-token"}).json()["ok"] is True


def test_pages_ask_for_the_token_and_a_right_one_opens_them(guarded):
    page = guarded.get("/?q=port")
    assert page.status_code == 401 and 'name="token"' in page.text and "longshore" not in page.text.lower()
    assert guarded.post("/auth", content="token=wrong", headers={"Content-Type": "application/x-www-form-urlencoded"}
                        ).status_code == 401
    entered = guarded.post("/auth", content="token=s3cret-token", follow_redirects=False,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert entered.status_code == 303 and "httponly" in entered.headers["set-cookie"].lower()
    assert guarded.get("/?q=port").status_code == 200  # the client keeps the cookie
    guarded.cookies.clear()


def test_serve_refuses_a_public_address_without_a_token(cli, store_path, monkeypatch):
    monkeypatch.delenv("VEILLE_TOKEN", raising=False)
    result = cli("serve", "--db", store_path, "--host", "0.0.0.0")
    assert result.code == 2 and "--token" in result.err


def test_cors_is_closed_by_default(client):
    response = client.get("/api/stats", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/api/stats", headers={"Origin": "https://elsewhere.example",
                                                      "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in preflight.headers


def test_requests_and_pages_are_bounded(client):
    assert client.get("/api/articles", params={"q": "x" * 5000}).json()["status"] == 414
    assert client.post("/auth", content="token=" + "x" * 10_000).json()["status"] == 413
    assert client.get("/api/articles", params={"q": "x" * 201}).status_code == 400
    assert client.get("/api/quotes", params={"limit": 1000}).status_code == 400


def test_every_answer_forbids_inline_scripts_and_framing(client):
    for path in ("/", "/api/stats", "/nope", "/static/style.css"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/static/../api.py", "/static/%2e%2e/api.py", "/static/..%2fapi.py",
                                  "/static//etc/passwd", "/static/%2fetc%2fpasswd"])
def test_no_route_reads_a_file_by_a_given_path(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "import" not in response.text and "root:" not in response.text


HOLD_WRITE_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(30)
"""


def test_answers_come_from_the_last_copy_while_an_ingest_writes(store_path, tmp_path, monkeypatch):
    path = copy_store(store_path, tmp_path)
    monkeypatch.setattr(reader, "REFRESH_SECONDS", 0.0)
    served = TestClient(create_app(str(path)))
    before = served.get("/api/stats").json()["item"]["articles"]
    writer = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "locked"
        with open(path, "ab") as handle:  # the writer changed the file: the server tries a new copy
            handle.write(b"")
        time.sleep(0.01)
        path.touch()
        stats = served.get("/api/stats").json()["item"]
        assert stats["articles"] == before and "locked by another veille process" in stats["status"]["notice"]
        fresh = TestClient(create_app(str(path))).get("/api/stats")
        assert fresh.status_code == 503 and "no earlier copy" in fresh.json()["error"]
    finally:
        writer.kill()
        writer.wait()


def test_the_index_is_rebuilt_and_never_doubles(store_path, tmp_path):
    path = copy_store(store_path, tmp_path)
    with Store(str(path)) as store:
        total = store.search("port")["total"]
        folder = path.parent / (path.name + ".search")
        (folder / "indexed.txt").write_text("")  # a crash after the index committed, before its id list
    with Store(str(path)) as store:
        assert store.search("port")["total"] == total
        assert store.search()["total"] == store.stats()["articles"]
    (folder / "veille.json").write_text("{broken")  # a damaged index folder is started over
    with Store(str(path)) as store:
        assert store.search("port")["total"] == total
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM articles ORDER BY id LIMIT 3)")
    with Store(str(path)) as store:
        assert store.search()["total"] == store.stats()["articles"]
