"""The corpus tests' store: the bundled samples ingested once a session, with the corpus passes run."""
from __future__ import annotations

import pytest

from veille.corpus import passes
from veille.store.connect import open_store


@pytest.fixture(scope="session")
def samples_store(samples_ingest) -> str:
    """Return the path of the samples store (ingested once a session, passes run); copy it before changing it."""
    return samples_ingest[0]


@pytest.fixture
def store_with_passes(tmp_path, monkeypatch):
    """Return a function that opens an empty store whose corpus passes are only the modules given."""
    opened = []

    def open_with(*modules: str):
        monkeypatch.setattr(passes, "PASSES", list(modules))
        opened.append(open_store(str(tmp_path / f"store-{len(opened)}.duckdb")))
        return opened[-1]

    yield open_with
    for con in opened:
        con.close()
