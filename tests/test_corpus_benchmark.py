"""The corpus-pass benchmark runs end to end on tiny stores, and its generator makes the shapes it promises."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

# benchmarks/ is a folder of the repository, not an installed package (see test_benchmarks.py).
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus, synthetic  # noqa: E402
from veille.corpus.passes import PASSES, pass_modules  # noqa: E402

DAY = 7


@pytest.fixture(scope="module")
def day_articles():
    """One day of 1,000 synthetic articles, each with its kind."""
    return synthetic.Day(1000, DAY, synthetic.SEED).articles()


def test_a_day_has_the_articles_asked_for_in_the_promised_shares(day_articles):
    kinds = Counter(kind for kind, _, _ in day_articles)
    assert len(day_articles) == 1000 and len({article.id for _, _, article in day_articles}) == 1000
    assert kinds["wire copy"] == 150 and kinds["exact duplicate"] == 20
    assert kinds["story member"] == 250 and kinds["wire original"] > 0 and kinds["single"] > 400
    assert {article.language for _, _, article in day_articles} == {"fr", "en"}
    assert len({article.site for _, _, article in day_articles}) > 100


def test_every_offset_slices_to_its_text(day_articles):
    for _, _, article in day_articles:
        text = article.text
        assert all(text[m.start:m.end] == m.text for entity in article.entities for m in entity.mentions)
        assert all(text[e.evidence.start:e.evidence.end] == e.evidence.text for e in article.events)
        assert all(text[q.start:q.end] == q.text for q in article.quotes)
        assert 0 <= len(article.events) <= 5


def test_events_name_entities_of_their_own_article(day_articles):
    for _, _, article in day_articles:
        ids = {entity.id for entity in article.entities}
        assert all(event.actor_entity in ids and event.target_entity in ids | {None} for event in article.events)


def test_exact_duplicates_repeat_a_text_under_another_address(day_articles):
    texts = Counter(article.text for _, _, article in day_articles)
    for kind, page, article in day_articles:
        if kind == "exact duplicate":
            assert texts[article.text] >= 2 and page.id == article.id


def test_wire_copies_keep_the_wire_text_and_credit(day_articles):
    originals = {article.paragraphs[0]: article for kind, _, article in day_articles if kind == "wire original"}
    copies = [article for kind, _, article in day_articles if kind == "wire copy"]
    kept = [copy for copy in copies if copy.paragraphs[0] in originals or copy.paragraphs[1] in originals]
    assert len(kept) > len(copies) / 2  # the others are late copies of the day before's wire stories
    assert all(copy.wire_source for copy in copies)


def test_the_same_seed_makes_the_same_day():
    first = [article.id for _, _, article in synthetic.Day(60, DAY, synthetic.SEED).articles()]
    again = [article.id for _, _, article in synthetic.Day(60, DAY, synthetic.SEED).articles()]
    other = [article.id for _, _, article in synthetic.Day(60, DAY, synthetic.SEED + 1).articles()]
    assert first == again and first != other


def test_a_later_day_follows_up_earlier_happenings():
    world = synthetic.world()
    earlier = synthetic.happening(world, synthetic.SEED, DAY, 0)
    assert synthetic.happening(world, synthetic.SEED, DAY, 0) == earlier  # a follow-up finds the same core


def test_the_report_has_every_pass_at_both_sizes_and_their_growth(tmp_path, capsys):
    out = tmp_path / "results"
    argv = ["--sizes", "120", "60", "--increments", "1", "--added", "40", "--out", str(out), "--markdown"]
    assert corpus.main(argv) == 0
    [result] = out.glob("corpus-*.json")
    report = json.loads(result.read_text(encoding="utf-8"))
    names = [module.NAME for module in pass_modules()]
    assert report["passes"] == PASSES and report["increments"] == 1 and report["machine"]["cores"] >= 1
    assert [size["articles"] for size in report["sizes"]] == [60, 120]
    for size in report["sizes"]:
        assert list(size["full"]) == names and list(size["incremental"]) == names
        assert all(size["full"][name]["articles"] == size["articles"] for name in names)
        assert all(size["incremental"][name]["articles"] == 40 for name in names)
        assert all(size["full"][name]["peak_rss_mb"] > 0 and size["full"][name]["cpu_s"] > 0 for name in names)
        assert all(size["full"][name]["statements"] for name in names)  # the runner's own query at least
    assert set(report["growth"]) == set(names)
    table = capsys.readouterr().out
    assert all(f"| {name} |" in table for name in names)


def test_loading_a_corpus_stores_the_rows_the_writer_stores(tmp_path):
    loaded, written = str(tmp_path / "loaded.duckdb"), str(tmp_path / "written.duckdb")
    assert synthetic.load_days(loaded, {DAY: 40}).to_dict() == synthetic.write_days(written, {DAY: 40}).to_dict()
    with duckdb.connect(loaded, read_only=True) as one, duckdb.connect(written, read_only=True) as other:
        for table in ("pages", "articles", "entities", "mentions", "quotes", "dates", "events"):
            query = f"SELECT * EXCLUDE (ingested_at) FROM {table} ORDER BY ALL" if table in ("pages", "articles") \
                else f"SELECT * FROM {table} ORDER BY ALL"
            rows = one.execute(query).fetchall()
            assert rows and rows == other.execute(query).fetchall()
