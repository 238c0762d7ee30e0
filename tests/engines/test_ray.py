"""The Ray engine stores the same records as the local engine, and a second run reuses its shards."""
from __future__ import annotations

import pytest

from tests.conftest import SAMPLES
from tests.engines.stores import table_digests
from veille.ingest import ingest, ingest_on_ray

ray = pytest.importorskip("ray", reason="the Ray engine is an optional extra: pip install 'veille[ray]'")
pytest.importorskip("pyarrow", reason="the Ray engine writes Parquet shards with pyarrow (veille[ray])")

from veille.engines.ray import RayEngine, start_local_ray  # noqa: E402

# French and English, HTML, text dumps, a WARC of several pages, a page with no article (a reject).
CORPUS = [str(SAMPLES / "html" / "levigie-du-matin"), str(SAMPLES / "html" / "harbourherald"),
          str(SAMPLES / "dumps" / "saint-laurent-express"), str(SAMPLES / "crawl.warc.gz"),
          str(SAMPLES / "html" / "courrier-estuaire" / "courrier-page-introuvable.html")]


@pytest.fixture(scope="module")
def local_ray():
    """Start Ray on this machine with 2 CPUs for the module's tests."""
    start_local_ray(2)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def stores(tmp_path_factory, local_ray):
    """Ingest the corpus with the local engine and with Ray; return the two store paths and the shard folder."""
    folder = tmp_path_factory.mktemp("engines")
    local_db, ray_db = str(folder / "local.duckdb"), str(folder / "ray.duckdb")
    ingest(CORPUS, local_db, workers=1)
    engine = RayEngine(folder / "shards", cpus=2, shard_files=3)
    report = ingest_on_ray(CORPUS, ray_db, engine=engine)
    return local_db, ray_db, engine, report


def test_ray_and_local_engines_store_the_same_records(stores):
    local_db, ray_db, engine, report = stores
    assert engine.last_run.computed == engine.last_run.shards >= 3  # several shards, spread over two actors
    local, on_ray = table_digests(local_db), table_digests(ray_db)
    assert local == on_ray
    assert local["articles"][0] >= 10 and local["rejects"][0] >= 1 and local["entities"][0] > 0
    assert report.articles == local["articles"][0] and report.rejects == local["rejects"][0]


def test_a_second_ray_run_reuses_every_shard_and_stores_the_same(stores, tmp_path):
    local_db, _, engine, _ = stores
    again = RayEngine(engine.folder, cpus=2, shard_files=3)
    ingest_on_ray(CORPUS, str(tmp_path / "again.duckdb"), engine=again)
    assert again.last_run.computed == 0 and again.last_run.reused == engine.last_run.shards
    assert table_digests(str(tmp_path / "again.duckdb")) == table_digests(local_db)


def test_a_ray_run_into_a_store_that_holds_the_pages_adds_nothing(stores):
    _, ray_db, engine, _ = stores
    before = table_digests(ray_db)
    report = ingest_on_ray(CORPUS, ray_db, engine=RayEngine(engine.folder, cpus=2, shard_files=3))
    assert report.pages == report.articles == 0 and report.skipped > 0
    assert table_digests(ray_db) == before
