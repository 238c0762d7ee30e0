"""The web UI in Debian's Chromium, driven by Playwright: search, an article, a speaker's page, no script run.

One server for the module, on 127.0.0.1 and a free port, over the sample store. The
screenshots of the README are written to docs/img/ on the way when VEILLE_SCREENSHOTS=1.
"""
from __future__ import annotations

import os
import tempfile

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from veille.api import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# The README's screenshots are rewritten only when asked (VEILLE_SCREENSHOTS=1 make test):
# a plain test run leaves the working tree as it found it.
SCREENSHOTS = (Path(__file__).resolve().parents[2] / "docs" / "img" if os.environ.get("VEILLE_SCREENSHOTS") == "1"
               else Path(tempfile.mkdtemp(prefix="veille-screenshots-")))
HAND_1 = "hand0000000000000000000000000001"

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")


def free_port() -> int:
    """Return a port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(store_path):
    """Start the server over the sample store in a thread and return its address."""
    server = uvicorn.Server(uvicorn.Config(create_app(str(store_path)), host="127.0.0.1",
                                           port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """Launch Chromium once for the module."""
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """Return a fresh page, failing the test on any script error."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == []


def test_search_article_speaker_entity_with_timeline_and_network(page, base_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{base_url}/")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("/")  # the search box's shortcut
    page.keyboard.type("port")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=port*")
    assert int(page.locator("#total").inner_text()) >= 3
    assert page.locator(".snippet mark").count() >= 3
    page.screenshot(path=str(SCREENSHOTS / "search.png"))
    page.locator(".hit h2 a").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator(".text p").count() >= 2 and page.locator("details.removed").count() <= 1
    speaker = page.locator("a.speaker-link").first
    name = speaker.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "article.png"), full_page=True)
    speaker.focus()
    page.keyboard.press("Enter")  # keyboard only
    page.wait_for_url("**/entities/*")
    assert page.locator("h1").inner_text().startswith(name)
    _check_charts(page)
    page.screenshot(path=str(SCREENSHOTS / "entity.png"), full_page=True)


def _check_charts(page) -> None:
    """Check that the timeline has a bar and the network has nodes, both drawn with a size."""
    timeline, network = page.locator("svg.timeline"), page.locator("svg.network")
    assert timeline.locator("rect").count() >= 1 and network.locator("circle").count() >= 2
    for chart in (timeline, network):
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100


def test_markup_in_titles_quotes_and_names_never_runs(page, base_url):
    page.goto(f"{base_url}/?q=piégé")
    page.goto(f"{base_url}/articles/{HAND_1}")
    page.locator("span.quote").first.hover()
    page.goto(f"{base_url}/entities/Paul%20Ndiaye")
    page.goto(f"{base_url}/api/articles/{HAND_1}")
    for path in ("/?q=gras", f"/articles/{HAND_1}", "/entities/Paul%20Ndiaye", "/events", "/stories/story-dakar"):
        page.goto(base_url + path)
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("main script, main img, main [onerror], main [onload], main [onmouseover]").count() == 0
    page.goto(f"{base_url}/articles/{HAND_1}")
    assert "<script>" in page.locator("h1").inner_text()  # shown as text, not run


def test_french_ui_and_phone_width(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    phone = context.new_page()
    phone.goto(f"{base_url}/entities/Paul%20Ndiaye")
    assert phone.locator("html").get_attribute("lang") == "fr"
    assert "Mentions dans le temps" in phone.locator("main").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    phone.goto(f"{base_url}/events")
    with phone.expect_download() as download:
        phone.locator("a[download]").click()
    assert download.value.suggested_filename == "events.csv"
    context.close()
