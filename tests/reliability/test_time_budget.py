"""A page over its time budget is rejected as `timeout` and the run goes on, in one process and in a pool."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from veille.errors import UsageError
from veille.limits import page_seconds
from veille.pipeline import process_page
from veille.records import Article, Page, Reject

SEED = Path(__file__).parent.parent / "data" / "seed" / "lorient-haftar-moscou.txt"
RULES_ONLY = {"VEILLE_MODEL_FR": "none", "VEILLE_MODEL_EN": "none"}  # fast to start; the budget is under test


def slow_dump(lines: int = 150_000) -> str:
    """Return a dump whose cleaning takes tens of seconds: many distinct short lines (0.2 ms each)."""
    return "\n".join(f"Rubrique numéro {number} du site" for number in range(lines))


def seed_page() -> Page:
    """Return the seed page as read from its file."""
    return Page(source=str(SEED), content=SEED.read_bytes(), format="dump", published="2016-11-29")


@pytest.fixture
def rules_only(monkeypatch):
    """Annotate by rule only, so that no model loading counts in a short budget."""
    for name, value in RULES_ONLY.items():
        monkeypatch.setenv(name, value)


def test_slow_page_is_rejected_as_timeout_and_the_next_page_is_unharmed(monkeypatch, rules_only):
    before = process_page(seed_page())
    monkeypatch.setenv("VEILLE_PAGE_SECONDS", "0.5")
    started = time.monotonic()
    slow = process_page(Page(source="slow.txt", content=slow_dump(), format="dump"))
    assert time.monotonic() - started < 5
    assert isinstance(slow, Reject) and slow.reason == "timeout" and "VEILLE_PAGE_SECONDS" in slow.error
    after = process_page(seed_page())
    assert isinstance(after, Article) and after.text == before.text and after.title == before.title


def test_budget_leaves_no_timer_behind(monkeypatch, rules_only):
    monkeypatch.setenv("VEILLE_PAGE_SECONDS", "0.3")
    assert isinstance(process_page(seed_page()), Article)
    time.sleep(0.5)  # a timer left running would fire now and fail this test


def test_pages_in_threads_run_without_a_budget(monkeypatch, rules_only):
    monkeypatch.setenv("VEILLE_PAGE_SECONDS", "0.01")
    results = []
    thread = threading.Thread(target=lambda: results.append(process_page(seed_page())))
    thread.start()
    thread.join()
    assert isinstance(results[0], Article)  # SIGALRM belongs to the main thread: no budget, no crash


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_bad_budget_setting_is_a_usage_error(monkeypatch, value):
    monkeypatch.setenv("VEILLE_PAGE_SECONDS", value)
    with pytest.raises(UsageError, match="VEILLE_PAGE_SECONDS"):
        page_seconds()


@pytest.mark.parametrize("workers", [pytest.param("1", marks=pytest.mark.slow), "2"])
def test_ingest_rejects_the_slow_page_and_stores_the_others(tmp_path, workers):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a-slow.txt").write_text(slow_dump(), encoding="utf-8")
    (corpus / "b-seed.txt").write_bytes(SEED.read_bytes())
    env = {**os.environ, **RULES_ONLY, "VEILLE_PAGE_SECONDS": "2"}
    db = tmp_path / "store.duckdb"
    run = subprocess.run([sys.executable, "-m", "veille", "ingest", str(corpus), "--db", str(db), "--workers", workers],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    stats = subprocess.run([sys.executable, "-m", "veille", "stats", "--db", str(db), "--json"], env=env,
                           capture_output=True, text=True, check=True)
    counts = json.loads(stats.stdout)
    assert (counts["articles"], counts["rejects"]) == (1, 1)
    assert "timeout" in run.stderr + run.stdout


@pytest.mark.slow
def test_long_article_times_out_in_annotation(monkeypatch):
    process_page(seed_page())  # load the model outside the budget
    monkeypatch.setenv("VEILLE_PAGE_SECONDS", "5")
    text = "\n".join([SEED.read_text(encoding="utf-8")] * 300)  # 540 KB of French prose: about half a minute
    result = process_page(Page(source="long.txt", content=text, format="article"))
    assert isinstance(result, Reject) and result.reason == "timeout"
