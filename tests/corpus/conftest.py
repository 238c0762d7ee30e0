"""The corpus tests' store: the bundled samples ingested once a session, with the corpus passes run."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def samples_store(samples_ingest) -> str:
    """Return the path of the samples store (ingested once a session, passes run); copy it before changing it."""
    return samples_ingest[0]
