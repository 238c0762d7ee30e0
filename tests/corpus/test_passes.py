"""The corpus pass runner: each pass sees each article once, in committed chunks, oldest first."""
from __future__ import annotations

import gc
import sys
import types

import pytest

from veille.corpus import passes
from veille.store.connect import open_store

FAKE = "veille_fake_pass"


@pytest.fixture
def fake_pass(monkeypatch):
    """Register a pass that records the chunks it was given in a table it owns, and can be told to fail."""
    module = types.ModuleType(FAKE)
    module.NAME, module.TABLES, module.fail_on = "fake", ("fake_seen",), None

    def update(con, article_ids):
        module.collector.append(gc.isenabled())
        if module.fail_on in article_ids:
            raise RuntimeError(f"cannot take {module.fail_on}")
        con.execute("INSERT INTO fake_seen SELECT unnest(?::VARCHAR[])", [article_ids])
        module.chunks.append(list(article_ids))
        return len(article_ids)

    module.update, module.chunks, module.collector = update, [], []
    monkeypatch.setitem(sys.modules, FAKE, module)
    monkeypatch.setattr(passes, "PASSES", [FAKE])
    return module


def store_with(path, days: list[str | None]):
    """Return an open store holding one article per publication day given (ids a0, a1, ...)."""
    con = open_store(str(path))
    con.execute("CREATE TABLE fake_seen (article_id VARCHAR)")
    for number, day in enumerate(days):
        con.execute("INSERT INTO articles (id, published) VALUES (?, ?)", [f"a{number}", day])
    return con


def test_a_pass_takes_new_articles_oldest_first_in_chunks_and_only_once(fake_pass, tmp_path):
    con = store_with(tmp_path / "s.duckdb", ["2026-11-03", None, "2026-11-01", "2026-11-02", "2026-11-01"])
    shown = []
    report = passes.run_passes(con, chunk=2, progress=lambda *step: shown.append(step))
    assert fake_pass.chunks == [["a2", "a4"], ["a3", "a0"], ["a1"]]
    assert report.articles == {"fake": 5} and report.changed == {"fake": 5}
    assert shown[-1] == ("fake", 5, 5)
    con.execute("INSERT INTO articles (id, published) VALUES ('a5', '2026-11-04')")
    passes.run_passes(con, chunk=2)
    assert fake_pass.chunks[-1] == ["a5"]
    assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM fake_seen").fetchone() == (6, 6)


def test_a_failed_chunk_leaves_no_trace_and_a_rerun_resumes_there(fake_pass, tmp_path):
    con = store_with(tmp_path / "s.duckdb", ["2026-11-01", "2026-11-02", "2026-11-03"])
    fake_pass.fail_on = "a2"
    with pytest.raises(RuntimeError, match="a2"):
        passes.run_passes(con, chunk=2)
    assert passes.unseen(con, "fake") == ["a2"]
    assert con.execute("SELECT list(article_id ORDER BY article_id) FROM fake_seen").fetchone()[0] == ["a0", "a1"]
    fake_pass.fail_on = None
    passes.run_passes(con, chunk=2)
    assert passes.unseen(con, "fake") == [] and fake_pass.chunks[-1] == ["a2"]


def test_rebuild_empties_what_a_pass_owns_and_runs_it_over_everything(fake_pass, tmp_path):
    con = store_with(tmp_path / "s.duckdb", ["2026-11-01", "2026-11-02"])
    passes.run_passes(con)
    report = passes.rebuild(con)
    assert report.articles == {"fake": 2}
    assert con.execute("SELECT count(*) FROM fake_seen").fetchone()[0] == 2


def test_a_chunk_runs_with_the_cycle_collector_off_and_leaves_it_as_it_was(fake_pass, tmp_path):
    con = store_with(tmp_path / "s.duckdb", ["2026-11-01", "2026-11-02", "2026-11-03"])
    passes.run_passes(con, chunk=2)
    assert fake_pass.collector == [False, False] and gc.isenabled()
    fake_pass.fail_on = "a4"
    con.execute("INSERT INTO articles (id, published) VALUES ('a3', '2026-11-04'), ('a4', '2026-11-05')")
    gc.disable()
    try:
        with pytest.raises(RuntimeError, match="a4"):
            passes.run_passes(con, chunk=2)
        assert fake_pass.collector[2:] == [False] and not gc.isenabled()
    finally:
        gc.enable()
    fake_pass.fail_on = None
    passes.run_passes(con, chunk=2)
    assert fake_pass.collector[3:] == [False] and gc.isenabled()
